import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiException } from '../errors/app.exception';
import type { GraphqlContext } from '../request-context';

const ROLES_KEY = 'gatehouse:roles';

/** The roles a resolver needs (any one of them). Use after GqlAuthGuard: `@UseGuards(GqlAuthGuard, RolesGuard)`. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

/**
 * FORBIDDEN unless the principal has one of the `@Roles(...)`; UNAUTHENTICATED without a
 * principal (contract: Administration). Roles come from the account row the JWT strategy read.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const needed = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!needed?.length) return true;
    const user = GqlExecutionContext.create(context).getContext<GraphqlContext>().req.user;
    if (!user) throw ApiException.unauthenticated();
    if (!needed.some((role) => user.roles.includes(role))) throw ApiException.forbidden();
    return true;
  }
}
