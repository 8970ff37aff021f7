import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccountModel } from '@app/accounts';
import { CurrentPrincipal, GqlAuthGuard, GraphqlContext, LenientAuthGuard, OptionalPrincipal, Principal, requestLoader, Roles, RolesGuard } from '@app/graphql';
import { DeletionRequestStatus } from './models/account-deletion-request.model';
import { AccountDeletionRequestConnectionModel } from './models/deletion-request-connection.model';
import { DeletionRequestsAdminService } from './deletion-requests-admin.service';
import { OtpChallengeModel, SubmitOtpInput } from '@app/otp';
import { AccountDeletionService } from './account-deletion.service';
import { DeletionCancellationService } from './deletion-cancellation.service';
import { AccountDeletionJob } from './deletion.job';
import { DeletionRequestsRepository } from './deletion-requests.repository';
import { CancelAccountDeletionInput, RequestAccountDeletionInput } from './inputs/request-account-deletion.input';
import { AccountDeletionRequestModel } from './models/account-deletion-request.model';

@Resolver(() => AccountDeletionRequestModel)
export class AccountDeletionResolver {
  constructor(
    private readonly deletion: AccountDeletionService,
    private readonly cancellation: DeletionCancellationService,
    private readonly job: AccountDeletionJob,
    private readonly admin: DeletionRequestsAdminService,
  ) {}

  @Query(() => AccountDeletionRequestConnectionModel, { description: 'ADMIN only. Newest first.' })
  @UseGuards(GqlAuthGuard, RolesGuard)
  @Roles('ADMIN')
  accountDeletionRequests(
    @Args('status', { type: () => DeletionRequestStatus, nullable: true }) status: DeletionRequestStatus | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AccountDeletionRequestConnectionModel> {
    return this.admin.list(status, first, after);
  }

  @Mutation(() => OtpChallengeModel, { description: 'Signed in: sends a code confirming the deletion of your account (checks currentPassword first).' })
  @UseGuards(GqlAuthGuard)
  requestAccountDeletion(@Args('input') input: RequestAccountDeletionInput, @CurrentPrincipal() me: Principal): Promise<OtpChallengeModel> {
    return this.deletion.request(me.accountId, input);
  }

  @Mutation(() => AccountDeletionRequestModel, {
    description: 'Signed in: confirms the code; the account is erased DELETION_GRACE_DAYS later and signed out now.',
  })
  @UseGuards(GqlAuthGuard)
  confirmAccountDeletion(@Args('input') input: SubmitOtpInput, @CurrentPrincipal() me: Principal): Promise<AccountDeletionRequestModel> {
    return this.deletion.confirm(me.accountId, input.challengeId, input.code);
  }

  // No guard: the account cannot sign in while its deletion is scheduled, and a stale token must not stand in the way.
  @Mutation(() => OtpChallengeModel, { description: 'Not signed in: sends a code to cancel a scheduled deletion. Answers the same for any email or phone.' })
  requestAccountDeletionCancellation(@Args('input') input: CancelAccountDeletionInput): Promise<OtpChallengeModel> {
    return this.cancellation.request(input.identifier);
  }

  // A stale token of the person is ignored; another live account's session is OTP_INVALID (it cannot cancel someone else's deletion).
  @Mutation(() => AccountDeletionRequestModel, { description: 'Not signed in: confirms the code; the deletion is cancelled and the account active again.' })
  @UseGuards(LenientAuthGuard)
  confirmAccountDeletionCancellation(@Args('input') input: SubmitOtpInput, @OptionalPrincipal() me: Principal | null): Promise<AccountDeletionRequestModel> {
    return this.cancellation.confirm(input.challengeId, input.code, me?.accountId ?? null);
  }

  @Mutation(() => Int, { description: 'Runs the deletion job now; returns how many accounts it deleted.' })
  @UseGuards(GqlAuthGuard, RolesGuard)
  @Roles('ADMIN')
  async processDueAccountDeletions(): Promise<number> {
    return (await this.job.runOnce()).erased;
  }
}

/** Account.deletionRequest: the accounts library owns the type, this library the field. */
@Resolver(() => AccountModel)
export class AccountDeletionFieldResolver {
  constructor(private readonly requests: DeletionRequestsRepository) {}

  @ResolveField(() => AccountDeletionRequestModel, { nullable: true, description: 'The open or scheduled deletion request, if any.' })
  deletionRequest(@Parent() account: AccountModel, @Context() ctx: GraphqlContext): Promise<AccountDeletionRequestModel | null> {
    return requestLoader(ctx, 'deletionRequests', (ids: readonly string[]) => this.requests.openForAccounts(ids)).load(account.id);
  }
}
