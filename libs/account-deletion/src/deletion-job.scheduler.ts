import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '@app/config';
import { AccountDeletionJob } from './deletion.job';

const JOB_NAME = 'account-deletions';

/**
 * The in-process entry point of the deletion job: `DELETION_JOB_CRON` (null when `off`).
 * Registered at boot rather than with `@Cron` because the schedule is configuration. A run
 * still going when the next tick comes is not doubled; other instances may run at the same
 * time (the job is safe for that).
 */
@Injectable()
export class DeletionJobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AccountDeletionJob');
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly job: AccountDeletionJob,
  ) {}

  onApplicationBootstrap(): void {
    const expression = this.config.deletion.jobCron;
    if (!expression) return;
    const cron = CronJob.from({ cronTime: expression, onTick: () => this.tick(), start: false, waitForCompletion: true });
    this.registry.addCronJob(JOB_NAME, cron);
    cron.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('cron', JOB_NAME)) await this.registry.getCronJob(JOB_NAME).stop();
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.job.runOnce().catch((err: unknown) => this.logger.error(`deletion job failed: ${(err as Error).message}`));
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
