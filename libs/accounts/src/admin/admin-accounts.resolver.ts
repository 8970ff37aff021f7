import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, GqlAuthGuard, Principal, Roles, RolesGuard } from '@app/graphql';
import { AccountsService } from '../accounts.service';
import { AccountModel } from '../models/account.model';
import { AccountStatus, Role } from '../models/enums';
import { AccountAdminService } from './account-admin.service';
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
    @Args('reason', { type: () => String, nullable: true }) _reason: string | null,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(await this.admin.setStatus(me.accountId, String(accountId), status));
  }

  @Mutation(() => Int, { description: 'ADMIN only. Ends every session of the account; returns how many.' })
  revokeAccountSessions(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('reason', { type: () => String, nullable: true }) _reason: string | null,
  ): Promise<number> {
    return this.admin.revokeSessions(String(accountId));
  }

  @Mutation(() => AccountModel, { description: 'ADMIN only.' })
  async setAccountRoles(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('roles', { type: () => [Role] }) roles: Role[],
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    return this.accountService.toModel(await this.admin.setRoles(me.accountId, String(accountId), roles));
  }
}

