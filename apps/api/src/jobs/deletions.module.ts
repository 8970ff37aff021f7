import { Module } from '@nestjs/common';
import { DeletionJobModule } from '@app/account-deletion';
import { ConfigModule } from '@app/config';
import { CoreModule } from '@app/core';
import { DatabaseModule } from '@app/database';
import { WebhooksModule } from '@app/notifications';
import { ObservabilityModule } from '@app/observability';
import { SecurityEventsModule } from '@app/security-events';

/**
 * What `npm run job:deletions` needs: configuration, the clock, the database (migrations applied), the job,
 * and what an erasure records (ACCOUNT_ERASED, and with WEBHOOK_URL the account.deleted webhook).
 */
@Module({
  imports: [ConfigModule, CoreModule.forRoot(), ObservabilityModule, DatabaseModule, SecurityEventsModule, WebhooksModule, DeletionJobModule],
})
export class DeletionsJobAppModule {}
