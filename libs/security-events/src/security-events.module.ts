import { Global, Module } from '@nestjs/common';
import { SecurityEventsRepository } from './security-events.repository';
import { SecurityEventsResolver } from './security-events.resolver';
import { SecurityEventsService } from './security-events.service';

/**
 * The `security_events` table (contract: Security events): every flow that changes an account
 * records through SecurityEventsService inside its own transaction. Global, since nearly every
 * feature records something; it depends on infrastructure only, so no feature can form a cycle
 * through it.
 */
@Global()
@Module({
  providers: [SecurityEventsRepository, SecurityEventsService, SecurityEventsResolver],
  exports: [SecurityEventsService],
})
export class SecurityEventsModule {}
