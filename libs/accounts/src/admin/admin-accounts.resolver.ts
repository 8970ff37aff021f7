import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import { CurrentPrincipal, GqlAuthGuard, Principal, Roles, RolesGuard } from '@app/graphql';
import { AccountsService } from '../accounts.service';
import { AccountModel } from '../models/account.model';
import { AccountStatus, Role } from '../models/enums';
import { AccountAdminService, AdminAction } from './account-admin.service';
import { AccountDirectoryService } from './account-directory.service';
import { AccountConnectionModel, AccountFilter } from './admin-accounts.models';

@Resolver(() => AccountConnectionModel)
@UseGuards(GqlAuthGuard, RolesGuard)
@Roles('ADMIN')
export class AdminAccountsResolver {
  constructor(
    private readonly directory: AccountDirectoryService,
    private readonly admin: AccountAdminService,
    private readonly accountService: AccountsService,
  ) {}

  @Query(() => AccountModel, { nullable: true, description: 'ADMIN only.' })
  async account(@Args('id', { type: () => ID }) id: string): Promise<AccountModel | null> {
    const found = await this.admin.find(String(id));
    return found ? this.accountService.toModel(found) : null;
  }

  @Query(() => AccountConnectionModel, { description: 'ADMIN only. Keyset pagination, newest first.' })
  accounts(
    @Args('filter', { type: () => AccountFilter, nullable: true }) filter: AccountFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AccountConnectionModel> {
    return this.directory.list(filter ?? {}, { first, after });
  }

  // Field resolvers run no guards (GatehouseGraphqlModule, fieldResolverEnhancers): the class's
  // guards protect `accounts`, the only field that returns an AccountConnection.
  @ResolveField(() => Int, { nullable: true, description: 'Computed only when asked for.' })
  totalCount(@Parent() connection: AccountConnectionModel): Promise<number> {
    return this.directory.count(connection.filter);
  }

  @Mutation(() => AccountModel, { description: 'ADMIN only. BLOCKED / DEACTIVATED refuse the account’s tokens at once.' })
  async setAccountStatus(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('status', { type: () => AccountStatus }) status: AccountStatus,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(await this.admin.setStatus(action(me, reason), String(accountId), status));
  }

  @Mutation(() => Int, { description: 'ADMIN only. Ends every session of the account; returns how many.' })
  revokeAccountSessions(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<number> {
    return this.admin.revokeSessions(action(me, reason), String(accountId));
  }

  @Mutation(() => AccountModel, { description: 'ADMIN only.' })
  async setAccountRoles(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('roles', { type: () => [Role] }) roles: Role[],
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(await this.admin.setRoles(action(me, reason), String(accountId), roles));
  }

  @Mutation(() => AccountModel, {
    description: 'ADMIN only. Moves the account into an existing organization (unknown ids: NOT_FOUND); shows in the next token’s `org` claim.',
  })
  async setAccountOrganization(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('organizationId', { type: () => ID }) organizationId: string,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(await this.admin.setOrganization(action(me, reason), String(accountId), String(organizationId)));
  }

  @Mutation(() => AccountModel, { description: 'ADMIN only. Sets or clears (null) the merchant scope; shows in the next token’s `mch` claim.' })
  async setAccountMerchant(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('merchantId', { type: () => ID, nullable: true }) merchantId: string | null,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(
      await this.admin.setMerchant(action(me, reason), String(accountId), merchantId === null || merchantId === undefined ? null : String(merchantId)),
    );
  }
}

/** An admin's reason is free text kept in the event's detail (at most 200 characters kept). */
function action(me: Principal, reason: string | null | undefined): AdminAction {
  if (typeof reason === 'string' && reason.length > 500) throw ApiException.badInput('reason', 'too_long');
  return { actorId: me.accountId, reason: reason ?? null };
}
