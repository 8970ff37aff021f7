import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Mutation, Resolver } from '@nestjs/graphql';
import { AuthPayloadModel, SessionsService } from '@app/credentials';
import { CurrentPrincipal, GqlAuthGuard, type Principal } from '@app/graphql';

/** Contract: Sessions. Thin: each call goes to SessionsService. */
@Resolver()
export class SessionsResolver {
  constructor(private readonly sessions: SessionsService) {}

  @Mutation(() => AuthPayloadModel, { description: 'Trades a refresh token for a new pair (rotation).' })
  refreshSession(@Args('refreshToken') refreshToken: string): Promise<AuthPayloadModel> {
    return this.sessions.refresh(refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of the token making the request.' })
  @UseGuards(GqlAuthGuard)
  async signOut(@CurrentPrincipal() me: Principal): Promise<boolean> {
    await this.sessions.end(me.accountId, me.sessionId, 'signed_out');
    return true;
  }

  @Mutation(() => Boolean, { description: "Ends one of the account's own sessions (another account's id is NOT_FOUND)." })
  @UseGuards(GqlAuthGuard)
  async revokeSession(@Args('sessionId', { type: () => ID }) sessionId: string, @CurrentPrincipal() me: Principal): Promise<boolean> {
    await this.sessions.end(me.accountId, String(sessionId), 'revoked');
    return true;
  }

  @Mutation(() => Int, { description: 'Ends every session of the account, this one included; returns how many.' })
  @UseGuards(GqlAuthGuard)
  signOutEverywhere(@CurrentPrincipal() me: Principal): Promise<number> {
    return this.sessions.endAll(me.accountId, 'signed_out_everywhere');
  }
}
