import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import { AuthMethodEnum, AuthPayloadModel, SessionModel, SessionsService } from '@app/credentials';
import { AppConfig } from '@app/config';
import { CurrentPrincipal, GqlAuthGuard, GraphqlContext, Principal, requestLoader, resolveLocale } from '@app/graphql';
import { ContactManagementService, IdentifierModel, IdentifiersService } from '@app/identifiers';
import { SecurityEventConnectionModel, SecurityEventsService } from '@app/security-events';
import { AccountDetails, AccountsService } from './accounts.service';
import { SignUpInput } from './inputs/sign-up.input';
import { UpdateProfileInput, UpdateSettingsInput } from './inputs/update-profile.input';
import { AccountModel, AccountSettingsModel, OrganizationModel, ProfileModel } from './models/account.model';
import { SignUpPayloadModel } from './models/sign-up-payload.model';
import { SignUpService } from './sign-up.service';

@Resolver(() => AccountModel)
export class AccountsResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly signUpService: SignUpService,
    private readonly identifierService: IdentifiersService,
    private readonly config: AppConfig,
    private readonly contacts: ContactManagementService,
    private readonly sessionsService: SessionsService,
    private readonly eventsService: SecurityEventsService,
  ) {}

  @Mutation(() => AccountModel, { description: 'Removes one of your emails / phones; never the last verified identifier.' })
  @UseGuards(GqlAuthGuard)
  async removeIdentifier(@Args('identifierId', { type: () => ID }) identifierId: string, @CurrentPrincipal() me: Principal): Promise<AccountModel> {
    await this.contacts.remove(me.accountId, String(identifierId).slice(0, 64));
    return this.accounts.toModel(await this.accounts.getById(me.accountId));
  }

  @Mutation(() => SignUpPayloadModel, { description: 'Creates an account, its organization, profile, settings and identifiers in one transaction.' })
  async signUp(@Args('input') input: SignUpInput, @Context() ctx: GraphqlContext): Promise<SignUpPayloadModel> {
    const { token, account, verifications } = await this.signUpService.execute(input, resolveLocale(ctx.req, this.config.defaultLocale));
    return {
      ...token,
      account: { ...this.accounts.toModel(account), viewer: { accountId: account.id, sessionId: token.sessionId, roles: account.roles } },
      verifications,
    };
  }

  @Query(() => AccountModel, { description: 'The signed-in account.' })
  @UseGuards(GqlAuthGuard)
  async me(@CurrentPrincipal() me: Principal): Promise<AccountModel> {
    // The token check of this very request read the account row: answer from it (one read, not two).
    return me.account ? this.accounts.toModel(me.account) : this.accounts.toModel(await this.accounts.getById(me.accountId));
  }

  @Mutation(() => AccountModel)
  @UseGuards(GqlAuthGuard)
  async updateProfile(@Args('input') input: UpdateProfileInput, @CurrentPrincipal() me: Principal): Promise<AccountModel> {
    return this.accounts.toModel(await this.accounts.updateProfile(me.accountId, input));
  }

  @Mutation(() => AccountModel)
  @UseGuards(GqlAuthGuard)
  async updateSettings(@Args('input') input: UpdateSettingsInput, @CurrentPrincipal() me: Principal): Promise<AccountModel> {
    return this.accounts.toModel(await this.accounts.updateSettings(me.accountId, input));
  }

  @ResolveField(() => OrganizationModel, { nullable: true })
  organization(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<OrganizationModel | null> | null {
    if (!account.organizationId) return null;
    return requestLoader(ctx, 'organizations', (ids: readonly string[]) => this.accounts.organizationsFor(ids)).load(account.organizationId);
  }

  @ResolveField(() => ProfileModel)
  async profile(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<ProfileModel> {
    const empty: ProfileModel = { displayName: null, firstName: null, lastName: null };
    return (await this.details(ctx, account.id))?.profile ?? empty;
  }

  @ResolveField(() => AccountSettingsModel)
  async settings(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<AccountSettingsModel> {
    const settings = await requestLoader(ctx, 'settings', (ids: readonly string[]) => this.accounts.settingsFor(ids)).load(account.id);
    return settings ?? this.accounts.defaultSettings(this.config.defaultLocale);
  }

  @ResolveField(() => [IdentifierModel])
  async identifiers(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<IdentifierModel[]> {
    const details = await this.details(ctx, account.id);
    return (details?.identifiers ?? []).map((r) => this.identifierService.toModel(r));
  }

  @ResolveField(() => SecurityEventConnectionModel, { description: 'Newest first (the account itself or ADMIN).' })
  securityEvents(
    @Parent() account: AccountModel,
    @Context() ctx: GraphqlContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<SecurityEventConnectionModel> {
    const viewer = account.viewer ?? ctx.req.user;
    if (!viewer || (viewer.accountId !== account.id && !viewer.roles.includes('ADMIN'))) throw ApiException.forbidden();
    return this.eventsService.list({ accountId: account.id }, first, after);
  }

  @ResolveField(() => [SessionModel], { description: 'Live sessions, most recently used first (the account itself or ADMIN).' })
  async sessions(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<SessionModel[]> {
    const viewer = account.viewer ?? ctx.req.user;
    if (!viewer || (viewer.accountId !== account.id && !viewer.roles.includes('ADMIN'))) throw ApiException.forbidden();
    const live = await requestLoader(ctx, 'sessions', (ids: readonly string[]) => this.sessionsService.liveSessionsOf(ids), []).load(account.id);
    return (live ?? []).map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: SessionsService.expiresAt(s),
      authMethods: s.authMethods as AuthMethodEnum[],
      ip: s.ip,
      userAgent: s.userAgent,
      current: viewer.accountId === account.id && s.id === viewer.sessionId,
    }));
  }

  /** Profile and identifiers come from one query per request (batched over every account in it). */
  private details(ctx: GraphqlContext, accountId: string): Promise<AccountDetails | null> {
    return requestLoader(ctx, 'account-details', (ids: readonly string[]) => this.accounts.detailsFor(ids)).load(accountId);
  }
}

/** AuthPayload.account: the auth library issues tokens, this library owns the Account type. */
@Resolver(() => AuthPayloadModel)
export class AuthPayloadAccountResolver {
  constructor(private readonly accounts: AccountsService) {}

  @ResolveField(() => AccountModel)
  async account(@Parent() payload: AuthPayloadModel): Promise<AccountModel> {
    const model = this.accounts.toModel(await this.accounts.getById(payload.accountId));
    return { ...model, viewer: { accountId: model.id, sessionId: payload.sessionId, roles: model.roles } };
  }
}
