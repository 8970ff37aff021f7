import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AuthPayloadModel, IssuedSession } from '@app/credentials';
import { CurrentPrincipal, GqlAuthGuard, SignedIn, type Principal } from '@app/graphql';
import { PasswordSignInGuard } from './guards/password-sign-in.guard';
import { ChangePasswordInput, SignInInput } from './inputs/sign-in.input';
import { SessionService } from './session.service';

@Resolver(() => AuthPayloadModel)
export class AuthResolver {
  constructor(private readonly sessions: SessionService) {}

  /** The password strategy of the identifier's type has signed in (or answered) already; see PasswordSignInGuard. */
  @Mutation(() => AuthPayloadModel, { description: 'Sign in with a username, email or phone and a password.' })
  @UseGuards(PasswordSignInGuard)
  signIn(@Args('input') _input: SignInInput, @SignedIn() session: IssuedSession): IssuedSession {
    return session;
  }

  @Mutation(() => AuthPayloadModel, { description: 'Checks the current password first; returns a fresh token, older tokens stop working.' })
  @UseGuards(GqlAuthGuard)
  changePassword(@Args('input') input: ChangePasswordInput, @CurrentPrincipal() me: Principal): Promise<AuthPayloadModel> {
    return this.sessions.changePassword(me.accountId, me.sessionId, input.currentPassword, input.newPassword);
  }
}
