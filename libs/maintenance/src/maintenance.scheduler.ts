import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@app/config';
import { Clock, CronRunner } from '@app/core';
import { MaintenanceJob } from './maintenance.job';

/**
 * The in-process entry point of the retention job: `MAINTENANCE_JOB_CRON` (`off`: none). Other
 * instances may run at the same time (every batch skips rows another run holds).
 */
@Injectable()
export class MaintenanceScheduler extends CronRunner {
  constructor(
    config: AppConfig,
    registry: SchedulerRegistry,
    clock: Clock,
    private readonly job: MaintenanceJob,
  ) {
    super({ name: 'maintenance', expression: config.maintenance.jobCron, registry, clock, logger: new Logger('MaintenanceJob') });
  }

  protected run(): Promise<unknown> {
    return this.job.runOnce();
  }
}
