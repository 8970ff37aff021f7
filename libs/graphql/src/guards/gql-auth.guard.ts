import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { AppException, ApiException, ErrorCode } from '@app/core';
import type { GraphqlContext, Principal } from '../request-context';

/**
 * What an account that must set up a second factor (SECOND_FACTOR_REQUIRED_ROLES) may still
 * reach: `me`, the second-factor mutations, identifier verification, changePassword and the
 * session mutations (contract: Configuration). Everything else is FORBIDDEN until it does.
 */
export const SETUP_ALLOWED_FIELDS = new Set([
  'me',
  'beginTotpEnrollment',
  'confirmTotpEnrollment',
  'enableCodeSecondFactor',
  'disableSecondFactor',
  'regenerateRecoveryCodes',
  'requestIdentifierVerification',
  'verifyIdentifier',
  'resendOtp',
  'changePassword',
  'refreshSession',
  'signOut',
  'signOutEverywhere',
]);

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

  handleRequest<T>(err: unknown, user: T, _info?: unknown, context?: ExecutionContext): T {
    // A database outage is SERVICE_UNAVAILABLE, not "your token is bad".
    if (err instanceof AppException && err.code !== ErrorCode.UNAUTHENTICATED) throw err;
    // Anything else passport met (a driver error) goes on as it is, to the exception filter.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (err && !(err instanceof AppException)) throw err;
    if (!user) throw ApiException.unauthenticated();
    if ((user as unknown as Principal).secondFactorSetupRequired && context) {
      const field = GqlExecutionContext.create(context).getInfo<{ fieldName: string }>().fieldName;
      if (!SETUP_ALLOWED_FIELDS.has(field)) throw new ApiException(ErrorCode.FORBIDDEN, { reason: 'second_factor_setup_required' });
    }
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
      if (err instanceof AppException && err.code === ErrorCode.UNAUTHENTICATED) return true;
      throw err;
    }
  }
}
