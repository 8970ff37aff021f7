import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import { CurrentPrincipal, GqlAuthGuard, GraphqlContext, Principal, requestLoader, Roles, RolesGuard } from '@app/graphql';
import { DisableSecondFactorInput, SecondFactorSettingsService, SecondFactorStatusModel } from '@app/second-factor';
import { AccountsService } from './accounts.service';
import { AccountModel } from './models/account.model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The second factor where it meets the Account type (contract: Second factor): the
 * `Account.secondFactor` field and the mutations that answer with an Account. The
 * second-factor library owns the data; this library owns the type.
 */
@Resolver(() => AccountModel)
export class AccountSecondFactorResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly settings: SecondFactorSettingsService,
  ) {}

  @ResolveField(() => SecondFactorStatusModel, { description: 'Second sign-in step: what is set up.' })
  async secondFactor(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<SecondFactorStatusModel> {
    const viewer = account.viewer ?? ctx.req.user;
    if (!viewer || (viewer.accountId !== account.id && !viewer.roles.includes('ADMIN'))) throw ApiException.forbidden();
    const status = await requestLoader(ctx, 'second-factor', (ids: readonly string[]) => this.settings.statusOf(ids)).load(account.id);
    return status ?? { enabled: false, methods: [], recoveryCodesRemaining: 0 };
  }

  @Mutation(() => AccountModel, { description: 'Turns the second step off: needs the password and a TOTP or recovery code.' })
  @UseGuards(GqlAuthGuard)
  async disableSecondFactor(@Args('input') input: DisableSecondFactorInput, @CurrentPrincipal() me: Principal): Promise<AccountModel> {
    await this.settings.disable(me.accountId, input.currentPassword, input.code);
    return this.accounts.toModel(await this.accounts.getById(me.accountId));
  }

  @Mutation(() => AccountModel, { description: "Removes the account's second factor and recovery codes (the person lost the device)." })
  @UseGuards(GqlAuthGuard, RolesGuard)
  @Roles('ADMIN')
  async resetSecondFactor(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('reason') reason: string,
    @CurrentPrincipal() me: Principal,
  ): Promise<AccountModel> {
    const account = UUID.test(String(accountId)) ? await this.accounts.findById(String(accountId)) : null;
    if (!account) throw ApiException.notFound();
    if (reason.length > 500) throw ApiException.badInput('reason', 'too_long');
    await this.settings.adminReset(account.id, me.accountId, reason);
    return this.accounts.toModel(account);
  }
}
