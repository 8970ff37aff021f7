import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AuthPayloadModel, IssuedSession } from '@app/credentials';
import { CurrentPrincipal, GqlAuthGuard, Principal, SignedIn, SignInGuard } from '@app/graphql';
import { OtpChallengeModel } from '@app/otp';
import {
  BeginTotpEnrollmentInput,
  CompleteSignInInput,
  ConfirmTotpEnrollmentInput,
  EnableCodeSecondFactorInput,
  RecoveryCodesModel,
  RegenerateRecoveryCodesInput,
  RequestSecondFactorCodeInput,
  TotpEnrollmentModel,
} from './second-factor.models';
import { SecondFactorSettingsService } from './second-factor-settings.service';
import { SignInStepService } from './sign-in-step.service';
import { TotpEnrollmentService } from './totp-enrollment.service';

/** Second factor mutations (contract: Second factor). `disableSecondFactor` lives with the Account type (accounts library). */
@Resolver()
export class SecondFactorResolver {
  constructor(
    private readonly enrollment: TotpEnrollmentService,
    private readonly settings: SecondFactorSettingsService,
    private readonly step: SignInStepService,
  ) {}

  @Mutation(() => TotpEnrollmentModel, { description: 'Starts enrolling an authenticator app: the secret is shown here only.' })
  @UseGuards(GqlAuthGuard)
  beginTotpEnrollment(@Args('input') input: BeginTotpEnrollmentInput, @CurrentPrincipal() me: Principal): Promise<TotpEnrollmentModel> {
    return this.enrollment.begin(me.accountId, input.currentPassword);
  }

  @Mutation(() => RecoveryCodesModel, { description: 'Turns TOTP on; returns the first recovery codes.' })
  @UseGuards(GqlAuthGuard)
  confirmTotpEnrollment(@Args('input') input: ConfirmTotpEnrollmentInput, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesModel> {
    return this.enrollment.confirm(me.accountId, me.sessionId, input.enrollmentId, input.code);
  }

  @Mutation(() => RecoveryCodesModel, { description: 'Turns on a code by email / SMS as the second step; returns the first recovery codes.' })
  @UseGuards(GqlAuthGuard)
  enableCodeSecondFactor(@Args('input') input: EnableCodeSecondFactorInput, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesModel> {
    return this.settings.enableCode(me.accountId, me.sessionId, input.channel, input.currentPassword);
  }

  @Mutation(() => RecoveryCodesModel, { description: 'Replaces every recovery code.' })
  @UseGuards(GqlAuthGuard)
  regenerateRecoveryCodes(@Args('input') input: RegenerateRecoveryCodesInput, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesModel> {
    return this.settings.regenerate(me.accountId, input.currentPassword);
  }

  /** The `second-factor` strategy has signed in (or answered) already. */
  @Mutation(() => AuthPayloadModel, { description: 'The second step of a sign-in: the ticket of SECOND_FACTOR_REQUIRED and a code.' })
  @UseGuards(SignInGuard('second-factor'))
  completeSignIn(@Args('input') _input: CompleteSignInInput, @SignedIn() session: IssuedSession): IssuedSession {
    return session;
  }

  @Mutation(() => OtpChallengeModel, { description: 'Sends a second-step code on a channel the ticket offers.' })
  requestSecondFactorCode(@Args('input') input: RequestSecondFactorCodeInput): Promise<OtpChallengeModel> {
    return this.step.requestCode(input.ticket, input.channel);
  }
}
