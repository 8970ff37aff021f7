import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { AppException, ApiException } from '../errors/app.exception';
import { ErrorCode } from '../errors/error-code';
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
    if (err instanceof AppException && err.code !== ErrorCode.UNAUTHENTICATED) throw err;
    // Anything else passport met (a driver error) goes on as it is, to the exception filter.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
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
