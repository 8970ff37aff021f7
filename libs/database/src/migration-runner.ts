import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbeddedOptions } from './data-source-options';

/**
 * Applies pending migrations at boot, before anything reads the schema. Several instances
 * booting at once take a PostgreSQL advisory lock so only one migrates at a time.
 */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.dataSource, (m) => this.logger.log(m));
  }
}

export function isEmbedded(dataSource: DataSource): boolean {
  return isEmbeddedOptions(dataSource.options);
}

export async function runMigrations(dataSource: DataSource, log: (message: string) => void): Promise<void> {
  if (isEmbedded(dataSource)) {
    // One process owns the embedded database; its single session cannot hold a lock and migrate at once.
    for (const m of await dataSource.runMigrations({ transaction: 'each' })) log(`migration applied: ${m.name}`);
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7215001)');
    for (const m of await dataSource.runMigrations({ transaction: 'each' })) log(`migration applied: ${m.name}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7215001)').catch(() => undefined);
    await runner.release();
  }
}
