import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiException, GraphqlContext, Principal } from '@app/graphql';

/** The signed-in principal (set by the JWT guard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const user = GqlExecutionContext.create(ctx).getContext<GraphqlContext>().req.user;
  if (!user) throw ApiException.unauthenticated();
  return user;
});
