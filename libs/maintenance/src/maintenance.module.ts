import { Module } from '@nestjs/common';
import { MaintenanceJob } from './maintenance.job';
import { MaintenanceScheduler } from './maintenance.scheduler';

/** The job alone (`npm run job:maintenance`). */
@Module({ providers: [MaintenanceJob], exports: [MaintenanceJob] })
export class MaintenanceJobModule {}

/** The job on its in-process schedule (the service). */
@Module({ imports: [MaintenanceJobModule], providers: [MaintenanceScheduler] })
export class MaintenanceModule {}
