import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { CoreModule } from '@app/core';
import { DatabaseModule } from '@app/database';
import { MaintenanceJobModule } from '@app/maintenance';
import { ObservabilityModule } from '@app/observability';

/** What `npm run job:maintenance` needs: configuration, the clock, the database (migrations applied) and the job. */
@Module({
  imports: [ConfigModule, CoreModule.forRoot(), ObservabilityModule, DatabaseModule, MaintenanceJobModule],
})
export class MaintenanceJobAppModule {}
