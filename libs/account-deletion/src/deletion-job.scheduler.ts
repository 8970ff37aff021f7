import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@app/config';
import { Clock, CronRunner } from '@app/core';
import { AccountDeletionJob } from './deletion.job';

/**
 * The in-process entry point of the deletion job: `DELETION_JOB_CRON` (`off`: none). Other
 * instances may run at the same time (the job is safe for that).
 */
@Injectable()
export class DeletionJobScheduler extends CronRunner {
  constructor(
    config: AppConfig,
    registry: SchedulerRegistry,
    clock: Clock,
    private readonly job: AccountDeletionJob,
  ) {
    super({ name: 'account-deletions', expression: config.deletion.jobCron, registry, clock, logger: new Logger('AccountDeletionJob') });
  }

  protected run(): Promise<unknown> {
    return this.job.runOnce();
  }
}
