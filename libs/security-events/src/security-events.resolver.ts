import { UseGuards } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { GqlAuthGuard, Roles, RolesGuard } from '@app/graphql';
import { SecurityEventConnectionModel, SecurityEventFilter } from './security-event.models';
import { SecurityEventsService } from './security-events.service';

@Resolver()
@UseGuards(GqlAuthGuard, RolesGuard)
@Roles('ADMIN')
export class SecurityEventsResolver {
  constructor(private readonly events: SecurityEventsService) {}

  @Query(() => SecurityEventConnectionModel, { description: 'ADMIN only. Newest first, keyset-paged; `since` inclusive, `until` exclusive.' })
  securityEvents(
    @Args('filter', { type: () => SecurityEventFilter, nullable: true }) filter: SecurityEventFilter | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<SecurityEventConnectionModel> {
    return this.events.list(filter ?? {}, first, after);
  }
}
