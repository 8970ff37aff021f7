import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfigValues } from '@app/config';
import { MIGRATIONS } from './migrations';
import pg from 'pg';
import { pgliteDriver } from './pglite-pool';
import { poolKey, trackingPools } from './sql';

/**
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in DATA_DIR
 * (contract: Running it). Migrations always run at boot; `synchronize` is never on.
 */
export function dataSourceOptions(config: AppConfigValues, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (config.database.url) {
    return {
      ...common,
      driver: trackingPools(pg, config.database.prepareStatements),
      url: config.database.url,
      poolSize: config.database.poolSize,
      connectTimeoutMS: 3000,
      extra: {
        // Fail fast when the database is gone instead of hanging a request (contract: SERVICE_UNAVAILABLE within 5 s).
        connectionTimeoutMillis: 3000,
        statement_timeout: 4000,
        query_timeout: 4500,
        idleTimeoutMillis: 30000,
        keepAlive: true,
        ...poolKey(),
      },
    };
  }
  return {
    ...common,
    driver: trackingPools(pgliteDriver()),
    extra: { pgliteDataDir: join(config.database.dataDir, 'pglite'), ...poolKey() },
  };
}

/**
 * The embedded PGlite (one process owns it), not a PostgreSQL server shared by instances. Both
 * pass their pool through TypeORM's `driver` option, so that option says nothing: the PGlite data
 * directory does.
 */
export function isEmbeddedOptions(options: DataSourceOptions): boolean {
  return Boolean((options.extra as { pgliteDataDir?: string } | undefined)?.pgliteDataDir);
}
