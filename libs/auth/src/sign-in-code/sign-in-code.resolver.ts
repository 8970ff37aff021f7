import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { AppConfig } from '@app/config';
import { AuthPayloadModel, IssuedSession } from '@app/credentials';
import { GraphqlContext, resolveLocale, SignedIn, SignInGuard } from '@app/graphql';
import { OtpChallengeModel, SubmitOtpInput } from '@app/otp';
import { RequestSignInCodeInput } from './sign-in-code.input';
import { SignInCodeService } from './sign-in-code.service';

@Resolver()
export class SignInCodeResolver {
  constructor(
    private readonly service: SignInCodeService,
    private readonly config: AppConfig,
  ) {}

  @Mutation(() => OtpChallengeModel, {
    description: 'Sends a sign-in code to a verified email / phone. Answers the same for unknown identifiers (nothing is sent then).',
  })
  requestSignInCode(@Args('input') input: RequestSignInCodeInput, @Context() ctx: GraphqlContext): Promise<OtpChallengeModel> {
    return this.service.request(input.identifier, input.channel, resolveLocale(ctx.req, this.config.defaultLocale));
  }

  /** The `sign-in-code` strategy has signed in (or answered) already. */
  @Mutation(() => AuthPayloadModel, { description: 'Signs in with the code of requestSignInCode (or answers SECOND_FACTOR_REQUIRED).' })
  @UseGuards(SignInGuard('sign-in-code'))
  signInWithCode(@Args('input') _input: SubmitOtpInput, @SignedIn() session: IssuedSession): IssuedSession {
    return session;
  }
}
