import { CronJob } from 'cron';
import type { LoggerService, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { Clock } from './clock';

export interface CronRunnerOptions {
  /** The job's name in the SchedulerRegistry and in its log lines. */
  name: string;
  /** The configured expression (`*_JOB_CRON`); null when configured `off`: nothing is scheduled. */
  expression: string | null;
  registry: Pick<SchedulerRegistry, 'addCronJob' | 'doesExist' | 'getCronJob'>;
  clock: Clock;
  logger: Pick<LoggerService, 'error' | 'warn'>;
}

/**
 * The in-process schedule of a job (the deletion job, the maintenance job): registered at boot
 * rather than with `@Cron` because the expression is configuration; `off` schedules nothing. One
 * instance never runs the job twice at once (a tick that finds a run going is skipped); a failed
 * run is logged, never thrown into the cron; a shutdown stops the schedule and waits for the run in
 * progress. Other instances may run the job at the same time: each job is safe for that itself.
 */
export abstract class CronRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private running?: { since: Date; done: Promise<void> };

  protected constructor(private readonly options: CronRunnerOptions) {}

  /** One run of the job. */
  protected abstract run(): Promise<unknown>;

  onApplicationBootstrap(): void {
    const { name, expression, registry } = this.options;
    if (!expression) return;
    const cron = CronJob.from({ cronTime: expression, onTick: () => this.tick(), start: false, waitForCompletion: true });
    registry.addCronJob(name, cron);
    cron.start();
  }

  async onApplicationShutdown(): Promise<void> {
    const { name, registry } = this.options;
    if (registry.doesExist('cron', name)) await registry.getCronJob(name).stop();
    await this.running?.done;
  }

  /** The cron's tick: one run, unless one is still going. */
  async tick(): Promise<void> {
    const { name, clock, logger } = this.options;
    if (this.running) {
      logger.warn(`${name} job: the run started at ${this.running.since.toISOString()} is still going; this tick is skipped`);
      return;
    }
    const since = clock.now();
    const done = this.run().then(
      () => undefined,
      (err: unknown) => {
        const ms = clock.now().getTime() - since.getTime();
        logger.error(`${name} job failed after ${ms} ms: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    this.running = { since, done };
    try {
      await done;
    } finally {
      this.running = undefined;
    }
  }
}
