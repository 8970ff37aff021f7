import 'reflect-metadata';
import { INestApplicationContext, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@app/config';

/**
 * The shape every `npm run job:<name>` shares: validate the configuration, boot a Nest application
 * context of `module` (no HTTP), run the job once, log its totals as one JSON line, exit.
 * `job` names the totals line; `run` returns the totals and whether the run completed (exit 0) or not (exit 1).
 */
export function runJob<T extends object>(
  name: string,
  job: string,
  module: Type<unknown>,
  run: (context: INestApplicationContext) => Promise<{ totals: T; ok: boolean }>,
): void {
  const main = async (): Promise<number> => {
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
    const context = await NestFactory.createApplicationContext(module, {
      // The totals line is the point of this command: always at least `log`.
      logger: logLevel === 'debug' || logLevel === 'trace' ? [...levels, 'debug'] : levels,
    });
    try {
      const { totals, ok } = await run(context);
      new Logger(`job:${name}`).log(JSON.stringify({ job, ...totals }));
      return ok ? 0 : 1;
    } finally {
      await context.close();
    }
  };
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`job:${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
