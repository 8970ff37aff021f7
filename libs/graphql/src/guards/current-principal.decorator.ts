import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import type { GraphqlContext, Principal } from '../request-context';

function principalOf(ctx: ExecutionContext): Principal | undefined {
  return GqlExecutionContext.create(ctx).getContext<GraphqlContext>().req.user;
}

/** The signed-in principal (set by GqlAuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const user = principalOf(ctx);
  if (!user) throw ApiException.unauthenticated();
  return user;
});

/** The principal when a valid token was sent (OptionalAuthGuard), else null. */
export const OptionalPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | null => principalOf(ctx) ?? null);
