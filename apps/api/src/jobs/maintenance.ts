import 'reflect-metadata';
import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MaintenanceJob } from '@app/maintenance';
import { ConfigError, loadConfig } from '@app/config';
import { MaintenanceJobAppModule } from './maintenance.module';

/**
 * `npm run job:maintenance`: runs the retention job once and exits (for an external cron or a
 * Kubernetes CronJob; contract: Running it, Retention). Safe next to running instances and
 * other runs of itself. Exit code 0 when the run completed, 1 when it could not run.
 */
async function main(): Promise<number> {
  let logLevel: string;
  try {
    logLevel = loadConfig(process.env).logLevel;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  const levels: LogLevel[] = ['fatal', 'error', 'warn', 'log'];
  const context = await NestFactory.createApplicationContext(MaintenanceJobAppModule, {
    // The totals line is the point of this command: always at least `log`.
    logger: logLevel === 'debug' || logLevel === 'trace' ? [...levels, 'debug'] : levels,
  });
  try {
    const result = await context.get(MaintenanceJob).runOnce();
    new Logger('job:maintenance').log(JSON.stringify({ job: 'maintenance', ...result }));
    return 0;
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`job:maintenance failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
