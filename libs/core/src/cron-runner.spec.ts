import { CronJob } from 'cron';
import { FixedClock } from './clock';
import { CronRunner, CronRunnerOptions } from './cron-runner';

/** SchedulerRegistry's three calls CronRunner makes, over a map. */
class FakeRegistry {
  readonly jobs = new Map<string, CronJob>();
  addCronJob(name: string, job: CronJob): void {
    this.jobs.set(name, job);
  }
  doesExist(_type: 'cron', name: string): boolean {
    return this.jobs.has(name);
  }
  getCronJob(name: string): CronJob {
    return this.jobs.get(name)!;
  }
}

class TestRunner extends CronRunner {
  runs = 0;
  release: () => void = () => undefined;
  fail?: Error;

  constructor(options: Omit<CronRunnerOptions, 'registry' | 'clock' | 'logger'> & Partial<CronRunnerOptions>) {
    super({ registry: new FakeRegistry(), clock: new FixedClock(), logger: { warn: () => undefined, error: () => undefined }, ...options });
  }

  protected run(): Promise<void> {
    this.runs++;
    if (this.fail) return Promise.reject(this.fail);
    return new Promise((resolve) => (this.release = resolve));
  }
}

describe('CronRunner', () => {
  it('schedules nothing when the expression is off (null)', () => {
    const registry = new FakeRegistry();
    new TestRunner({ name: 'job', expression: null, registry: registry }).onApplicationBootstrap();
    expect(registry.jobs.size).toBe(0);
  });

  it('registers a started cron under its name, and stops it at shutdown', async () => {
    const registry = new FakeRegistry();
    const runner = new TestRunner({ name: 'job', expression: '0 0 1 1 *', registry: registry });
    runner.onApplicationBootstrap();
    expect(registry.jobs.get('job')?.isActive).toBe(true);
    await runner.onApplicationShutdown();
    expect(registry.jobs.get('job')?.isActive).toBe(false);
  });

  it('runs once while a run is going, warns with the run start from the clock, and runs again after', async () => {
    const clock = new FixedClock('2025-03-01T10:00:00.000Z');
    const warn = jest.fn();
    const runner = new TestRunner({ name: 'job', expression: null, clock, logger: { warn, error: jest.fn() } });
    const first = runner.tick();
    clock.advance(60_000);
    await runner.tick();
    expect(runner.runs).toBe(1);
    expect(warn).toHaveBeenCalledWith('job job: the run started at 2025-03-01T10:00:00.000Z is still going; this tick is skipped');
    runner.release();
    await first;
    const second = runner.tick();
    expect(runner.runs).toBe(2);
    runner.release();
    await second;
  });

  it('logs a failed run with its duration and does not throw', async () => {
    const clock = new FixedClock();
    const error = jest.fn();
    const runner = new TestRunner({ name: 'maintenance', expression: null, clock, logger: { warn: jest.fn(), error } });
    runner.fail = new Error('database unavailable');
    await expect(runner.tick()).resolves.toBeUndefined();
    expect(error).toHaveBeenCalledWith('maintenance job failed after 0 ms: database unavailable');
    runner.fail = undefined;
    const next = runner.tick();
    expect(runner.runs).toBe(2);
    runner.release();
    await next;
  });

  it('waits at shutdown for the run in progress', async () => {
    const runner = new TestRunner({ name: 'job', expression: null });
    void runner.tick();
    let stopped = false;
    const shutdown = runner.onApplicationShutdown().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    runner.release();
    await shutdown;
    expect(stopped).toBe(true);
  });
});
