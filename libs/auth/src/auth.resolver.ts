import { UseGuards } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, GqlAuthGuard, type GraphqlContext, type Principal } from '@app/graphql';
import { SIGNED_IN, SignInGuard } from './guards/sign-in.guard';
import { ChangePasswordInput, SignInInput } from './inputs/sign-in.input';
import { AuthPayloadModel } from '@app/credentials';
import { SessionService, SignInResult } from './session.service';

@Resolver(() => AuthPayloadModel)
export class AuthResolver {
  constructor(private readonly sessions: SessionService) {}

  @Mutation(() => AuthPayloadModel, { description: 'Sign in with a username, email or phone and a password.' })
  @UseGuards(SignInGuard)
  signIn(@Args('input') _input: SignInInput, @Context() ctx: GraphqlContext): Promise<AuthPayloadModel> {
    return this.sessions.completeSignIn((ctx.req as unknown as Record<string, SignInResult>)[SIGNED_IN]);
  }

  @Mutation(() => AuthPayloadModel, { description: 'Checks the current password first; returns a fresh token, older tokens stop working.' })
  @UseGuards(GqlAuthGuard)
  changePassword(@Args('input') input: ChangePasswordInput, @CurrentPrincipal() me: Principal): Promise<AuthPayloadModel> {
    return this.sessions.changePassword(me.accountId, me.sessionId, input.currentPassword, input.newPassword);
  }
}
