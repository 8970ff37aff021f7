import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, GqlAuthGuard, OptionalAuthGuard, OptionalPrincipal, Principal } from '@app/graphql';
import { OtpChallengeModel, SubmitOtpInput } from '@app/otp';
import { IdentifierModel } from './identifier.model';
import { IdentifierVerificationService } from './identifier-verification.service';

@Resolver(() => IdentifierModel)
export class IdentifiersResolver {
  constructor(private readonly verification: IdentifierVerificationService) {}

  @Mutation(() => OtpChallengeModel, { description: 'Sends a code to one of your unverified emails / phones.' })
  @UseGuards(GqlAuthGuard)
  requestIdentifierVerification(@Args('identifierId', { type: () => ID }) identifierId: string, @CurrentPrincipal() me: Principal): Promise<OtpChallengeModel> {
    return this.verification.request(me.accountId, String(identifierId).slice(0, 64));
  }

  @Mutation(() => IdentifierModel, { description: 'Marks the identifier verified. Works without a session for challenges from sign-up or sign-in.' })
  @UseGuards(OptionalAuthGuard)
  verifyIdentifier(@Args('input') input: SubmitOtpInput, @OptionalPrincipal() me: Principal | null): Promise<IdentifierModel> {
    return this.verification.verify(input.challengeId, input.code, me?.accountId ?? null);
  }
}
