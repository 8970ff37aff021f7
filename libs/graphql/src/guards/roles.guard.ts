import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiException } from '@app/core';
import type { GraphqlContext } from '../request-context';

const ROLES = 'gatehouse:roles';

/** The roles a resolver needs (any of them). Use after GqlAuthGuard: `@UseGuards(GqlAuthGuard, RolesGuard)`. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);

/**
 * FORBIDDEN when signed in without a needed role. Roles come from the account row the JWT
 * strategy reads on every request, so removing ADMIN takes effect at once, not at the next sign-in.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!needed?.length) return true;
    const user = GqlExecutionContext.create(context).getContext<GraphqlContext>().req.user;
    if (!user) throw ApiException.unauthenticated();
    if (!needed.some((r) => user.roles.includes(r))) throw ApiException.forbidden();
    return true;
  }
}
