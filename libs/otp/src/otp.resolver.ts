import { UseGuards } from '@nestjs/common';
import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { OptionalAuthGuard, OptionalPrincipal, Principal } from '@app/graphql';
import { OtpChallengeModel } from './otp-challenge.model';
import { OtpService } from './otp.service';

@Resolver(() => OtpChallengeModel)
export class OtpResolver {
  constructor(private readonly otp: OtpService) {}

  @Mutation(() => OtpChallengeModel, { description: 'Sends a new code for an open challenge (same id; the old code dies; cool-down applies).' })
  @UseGuards(OptionalAuthGuard)
  resendOtp(@Args('challengeId', { type: () => ID }) challengeId: string, @OptionalPrincipal() me: Principal | null): Promise<OtpChallengeModel> {
    return this.otp.resend(String(challengeId), me?.accountId ?? null);
  }
}
