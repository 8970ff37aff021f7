import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { AppException, ApiException } from '../errors/app.exception';
import type { GraphqlContext } from '../request-context';

/**
 * Everything signed in: a valid bearer token of an ACTIVE account, else UNAUTHENTICATED.
 * The `jwt` passport strategy itself lives in the auth library; this guard only names it, so
 * every feature library can protect its resolvers without depending on auth.
 */
@Injectable()
export class GqlAuthGuard extends AuthGuard('jwt') {
  getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext<GraphqlContext>().req;
  }

  handleRequest<T>(err: unknown, user: T): T {
    // A database outage is SERVICE_UNAVAILABLE, not "your token is bad".
    if (err instanceof AppException && err.code !== 'UNAUTHENTICATED') throw err;
    if (err && !(err instanceof AppException)) throw err;
    if (!user) throw ApiException.unauthenticated();
    return user;
  }
}

/** Signed in or anonymous: a bearer token, when sent, must be valid; no token is fine. */
@Injectable()
export class OptionalAuthGuard extends GqlAuthGuard {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = this.getRequest(context);
    if (!req.headers.authorization) return true;
    return (await super.canActivate(context)) as boolean;
  }
}

/**
 * Anonymous unless a valid token is sent: a stale or bad token is ignored rather than refused
 * (flows of people who cannot sign in, e.g. cancelling a scheduled deletion), while a valid
 * one still names the caller, so another account's session cannot act for someone else.
 */
@Injectable()
export class LenientAuthGuard extends GqlAuthGuard {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = this.getRequest(context);
    if (!req.headers.authorization) return true;
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (err) {
      if (err instanceof AppException && err.code === 'UNAUTHENTICATED') return true;
      throw err;
    }
  }
}
