import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, GqlAuthGuard, OptionalAuthGuard, OptionalPrincipal, Principal } from '@app/graphql';
import { AuthPayloadModel } from '@app/credentials';
import { OtpChallengeModel, SubmitOtpInput } from '@app/otp';
import { ChangeContactInput, LinkIdentifierInput } from './contact-management.inputs';
import { ContactManagementService } from './contact-management.service';
import { IdentifierModel } from './identifier.model';
import { IdentifierVerificationService } from './identifier-verification.service';

@Resolver(() => IdentifierModel)
export class IdentifiersResolver {
  constructor(
    private readonly verification: IdentifierVerificationService,
    private readonly contacts: ContactManagementService,
  ) {}

  @Mutation(() => OtpChallengeModel, { description: 'Sends a code to a new email / phone to add to your account (current password first).' })
  @UseGuards(GqlAuthGuard)
  requestIdentifierLink(@Args('input') input: LinkIdentifierInput, @CurrentPrincipal() me: Principal): Promise<OtpChallengeModel> {
    return this.contacts.requestLink(me.accountId, input.type, input.value, input.currentPassword);
  }

  @Mutation(() => IdentifierModel, { description: 'Adds the email / phone, verified.' })
  @UseGuards(GqlAuthGuard)
  confirmIdentifierLink(@Args('input') input: SubmitOtpInput, @CurrentPrincipal() me: Principal): Promise<IdentifierModel> {
    return this.contacts.confirmLink(me.accountId, input.challengeId, input.code);
  }

  @Mutation(() => OtpChallengeModel, { description: 'Sends a code to the new value; nothing changes until it is confirmed (current password first).' })
  @UseGuards(GqlAuthGuard)
  requestContactChange(@Args('input') input: ChangeContactInput, @CurrentPrincipal() me: Principal): Promise<OtpChallengeModel> {
    return this.contacts.requestChange(me.accountId, input.type, input.newValue, input.currentPassword);
  }

  @Mutation(() => AuthPayloadModel, { description: 'Replaces your primary email / phone with the new value, tells the old one, and returns a fresh token.' })
  @UseGuards(GqlAuthGuard)
  confirmContactChange(@Args('input') input: SubmitOtpInput, @CurrentPrincipal() me: Principal): Promise<AuthPayloadModel> {
    return this.contacts.confirmChange(me.accountId, me.sessionId, input.challengeId, input.code);
  }

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
