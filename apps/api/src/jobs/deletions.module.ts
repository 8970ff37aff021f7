import { Module } from '@nestjs/common';
import { DeletionJobModule } from '@app/account-deletion';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ObservabilityModule } from '@app/observability';

/** What `npm run job:deletions` needs: configuration, the database (migrations applied) and the job. */
@Module({
  imports: [ConfigModule, ObservabilityModule, DatabaseModule, DeletionJobModule],
})
export class DeletionsJobAppModule {}
