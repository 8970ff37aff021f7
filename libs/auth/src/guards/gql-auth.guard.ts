import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { AppException, GraphqlContext } from '@app/graphql';
import { AuthErrorCode, AuthException } from '../auth.exception';

/** Everything signed in: a valid bearer token of an ACTIVE account, else UNAUTHENTICATED. */
@Injectable()
export class GqlAuthGuard extends AuthGuard('jwt') {
  getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext<GraphqlContext>().req;
  }

  handleRequest<T>(err: unknown, user: T): T {
    // A database outage is SERVICE_UNAVAILABLE, not "your token is bad".
    if (err instanceof AppException && err.code !== 'UNAUTHENTICATED') throw err;
    if (err && !(err instanceof AppException)) throw err;
    if (!user) throw new AuthException(AuthErrorCode.UNAUTHENTICATED);
    return user;
  }
}
