import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard, IAuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiException, AppException, GraphqlContext } from '@app/graphql';
import { MetricsService } from '@app/observability';
import { IdentifiersService, IdentifierKind } from '@app/identifiers';
import { SignInInput } from '../inputs/sign-in.input';

export const SIGNED_IN = 'signedIn';

const SIGN_IN_RESULTS: Record<string, string> = {
  INVALID_CREDENTIALS: 'invalid_credentials',
  ACCOUNT_DISABLED: 'disabled',
  ACCOUNT_PENDING_DELETION: 'pending_deletion',
  RATE_LIMITED: 'rate_limited',
  BAD_USER_INPUT: 'invalid_credentials',
};

function localGuard(strategy: string): Type<IAuthGuard> {
  class LocalGqlGuard extends AuthGuard(strategy) {
    getRequest(context: ExecutionContext) {
      return GqlExecutionContext.create(context).getContext<GraphqlContext>().req;
    }
    getAuthenticateOptions() {
      return { property: SIGNED_IN, session: false };
    }
    handleRequest<T>(err: unknown, user: T): T {
      // passport's error (an AppException from the strategy) goes on as it is, to the exception filter.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (err) throw err;
      return user;
    }
  }
  return LocalGqlGuard;
}

const GUARDS: Record<IdentifierKind, IAuthGuard> = {
  USERNAME: new (localGuard('local-username'))(),
  EMAIL: new (localGuard('local-email'))(),
  PHONE: new (localGuard('local-phone'))(),
};

/**
 * Runs the passport-local strategy of the identifier's type for `signIn`. Guards run before
 * pipes, so the input is validated here with the same class-validator rules first.
 */
@Injectable()
export class SignInGuard implements CanActivate {
  constructor(
    private readonly identifiers: IdentifiersService,
    private readonly metrics: MetricsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const gql = GqlExecutionContext.create(context);
    const input = plainToInstance(SignInInput, gql.getArgs<{ input: SignInInput }>().input ?? {});
    const errors = await validate(input, { stopAtFirstError: true });
    if (errors.length) {
      const e = errors[0];
      throw ApiException.badInput(e.property, Object.keys(e.constraints ?? {})[0] === 'maxLength' ? 'too_long' : 'invalid');
    }
    const kind = input.identifierType ?? this.identifiers.detect(input.identifier);
    const req = gql.getContext<GraphqlContext>().req;
    const body: unknown = req.body;
    // passport-local reads credentials from req.body; restore the GraphQL body right after.
    req.body = { identifier: input.identifier, password: input.password };
    try {
      return (await GUARDS[kind].canActivate(context)) as boolean;
    } catch (err) {
      this.metrics.signIns.inc({ result: SIGN_IN_RESULTS[err instanceof AppException ? err.code : ''] ?? 'error' });
      throw err;
    } finally {
      req.body = body;
    }
  }
}
