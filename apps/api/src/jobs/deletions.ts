import 'reflect-metadata';
import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountDeletionJob } from '@app/account-deletion';
import { ConfigError, loadConfig } from '@app/config';
import { DeletionsJobAppModule } from './deletions.module';

/**
 * `npm run job:deletions`: runs the account-deletion job once and exits (for an external cron
 * or a Kubernetes CronJob; contract: Running it). Safe next to running instances and other
 * runs of itself. Exit code 0 when the run completed (accounts a cancellation was holding are
 * left for the next run), 1 when it could not run (configuration, database).
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
  const context = await NestFactory.createApplicationContext(DeletionsJobAppModule, {
    // The totals line is the point of this command: always at least `log`.
    logger: logLevel === 'debug' || logLevel === 'trace' ? [...levels, 'debug'] : levels,
  });
  try {
    const result = await context.get(AccountDeletionJob).runOnce();
    new Logger('job:deletions').log(JSON.stringify({ job: 'account-deletions', ...result }));
    return result.failed > 0 ? 1 : 0;
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`job:deletions failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
