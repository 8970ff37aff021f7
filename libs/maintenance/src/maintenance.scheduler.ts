import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '@app/config';
import { MaintenanceJob } from './maintenance.job';

const JOB_NAME = 'maintenance';

/**
 * The in-process entry point of the retention job: `MAINTENANCE_JOB_CRON` (null when `off`). A
 * run still going at the next tick is not doubled; other instances may run at the same time
 * (every batch skips rows another run holds).
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MaintenanceJob');
  private running?: Promise<unknown>;

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly job: MaintenanceJob,
  ) {}

  onApplicationBootstrap(): void {
    const expression = this.config.maintenance.jobCron;
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
    this.running = this.job.runOnce().catch((err: unknown) => this.logger.error(`maintenance job failed: ${(err as Error).message}`));
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}
