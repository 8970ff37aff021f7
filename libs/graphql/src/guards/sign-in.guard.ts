import { CanActivate, createParamDecorator, ExecutionContext, Inject, Type } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { AppException, ApiException, ErrorCode } from '@app/core';
import { MetricsService } from '@app/observability';
import type { GatehouseRequest, GraphqlContext } from '../request-context';
import { validateInput } from '../validation.pipe';

/**
 * What a sign-in strategy reads: the HTTP request (IP, user agent) and the resolver's GraphQL
 * arguments as they are; passport leaves what the strategy proved in `user`.
 */
export interface SignInRequest {
  req: GatehouseRequest;
  args: Record<string, unknown>;
  user?: unknown;
}

// One per resolver call, keyed by its arguments object (the one the guard and the resolver's
// parameters both see), so @SignedIn() reads what passport left on the same request.
const requests = new WeakMap<object, SignInRequest>();

function signInRequestOf(context: ExecutionContext): SignInRequest {
  const gql = GqlExecutionContext.create(context);
  const args = gql.getArgs<Record<string, unknown>>();
  let request = requests.get(args);
  if (!request) {
    request = { req: gql.getContext<GraphqlContext>().req, args };
    requests.set(args, request);
  }
  return request;
}

const guards = new Map<string, Type<CanActivate>>();

/**
 * The guard of every sign-in mutation (signIn, signInWithCode, completeSignIn): runs the named
 * passport strategy on the resolver's arguments. The strategy's error (an AppException) goes on
 * as it is, to the exception filter.
 */
export function SignInGuard(strategy: string): Type<CanActivate> {
  let guard = guards.get(strategy);
  if (!guard) {
    guard = class extends AuthGuard(strategy) {
      getRequest(context: ExecutionContext): SignInRequest {
        return signInRequestOf(context);
      }
      getAuthenticateOptions() {
        return { session: false };
      }
      handleRequest<T>(err: unknown, user: T): T {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (err) throw err;
        if (!user) throw ApiException.unauthenticated();
        return user;
      }
    };
    guards.set(strategy, guard);
  }
  return guard;
}

/** What the sign-in strategy proved (set by SignInGuard): the mutation's AuthPayload. */
export const SignedIn = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => signInRequestOf(ctx).user);

/** `gatehouse_sign_ins_total` results by the contract code that answered (contract: Observability). */
const RESULTS: Partial<Record<ErrorCode, string | null>> = {
  [ErrorCode.INVALID_CREDENTIALS]: 'invalid_credentials',
  [ErrorCode.BAD_USER_INPUT]: 'invalid_credentials',
  [ErrorCode.OTP_INVALID]: 'invalid_credentials',
  [ErrorCode.OTP_EXPIRED]: 'invalid_credentials',
  [ErrorCode.OTP_MAX_ATTEMPTS]: 'invalid_credentials',
  [ErrorCode.IDENTIFIER_NOT_VERIFIED]: 'unverified',
  [ErrorCode.ACCOUNT_DISABLED]: 'disabled',
  [ErrorCode.ACCOUNT_PENDING_DELETION]: 'pending_deletion',
  [ErrorCode.RATE_LIMITED]: 'rate_limited',
  [ErrorCode.SECOND_FACTOR_REQUIRED]: 'second_factor_required',
  // A sign-in way turned off (SIGN_IN_WITH_CODE=off) is no attempt.
  [ErrorCode.FORBIDDEN]: null,
};

/**
 * The base of every sign-in way's passport strategy (`passport-custom`, named `name`): the
 * mutation's `input` argument is validated like any other input (BAD_USER_INPUT naming the
 * field), then `signIn` proves it and returns the AuthPayload (a session, or throws
 * SECOND_FACTOR_REQUIRED and the like). Every way counts in `gatehouse_sign_ins_total` here.
 */
export function SignInStrategy<I extends object>(name: string, input: Type<I>) {
  abstract class Strategy extends PassportStrategy(CustomStrategy, name) {
    @Inject(MetricsService) private readonly metrics: MetricsService;

    protected abstract signIn(input: I): Promise<unknown>;

    async validate(request: SignInRequest): Promise<unknown> {
      try {
        const payload = await this.signIn(await validateInput(input, request.args.input));
        this.metrics.signIns.inc({ result: 'success' });
        return payload;
      } catch (err) {
        const result = err instanceof AppException ? RESULTS[err.code] : undefined;
        if (result !== null) this.metrics.signIns.inc({ result: result ?? 'error' });
        throw err;
      }
    }
  }
  return Strategy;
}
