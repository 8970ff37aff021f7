import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { AppConfig } from '@app/config';
import { GraphqlContext, OptionalAuthGuard, OptionalPrincipal, Principal, resolveLocale } from '@app/graphql';
import { OtpChallengeModel, SubmitOtpInput } from '@app/otp';
import { PasswordResetTicketModel, RequestPasswordResetInput, ResetPasswordInput, ResetPasswordPayloadModel } from './password-reset.models';
import { PasswordResetService } from './password-reset.service';

@Resolver()
export class PasswordResetResolver {
  constructor(
    private readonly reset: PasswordResetService,
    private readonly config: AppConfig,
  ) {}

  @Mutation(() => OtpChallengeModel, { description: 'Sends a reset code. Answers the same for unknown identifiers (nothing is sent then).' })
  requestPasswordReset(@Args('input') input: RequestPasswordResetInput, @Context() ctx: GraphqlContext): Promise<OtpChallengeModel> {
    return this.reset.request(input.identifier, input.channel, resolveLocale(ctx.req, this.config.defaultLocale));
  }

  @Mutation(() => PasswordResetTicketModel, { description: 'Trades a right code for a single-use reset token (15 minutes).' })
  @UseGuards(OptionalAuthGuard)
  verifyPasswordResetCode(@Args('input') input: SubmitOtpInput, @OptionalPrincipal() me: Principal | null): Promise<PasswordResetTicketModel> {
    return this.reset.verifyCode(input.challengeId, input.code, me?.accountId ?? null);
  }

  @Mutation(() => ResetPasswordPayloadModel, { description: 'Sets the new password; every earlier session token stops working. Never signs in.' })
  async resetPassword(@Args('input') input: ResetPasswordInput): Promise<ResetPasswordPayloadModel> {
    await this.reset.reset(input.resetToken, input.newPassword);
    return { success: true };
  }
}
