export { DatabaseModule } from './database.module';
export { dataSourceOptions } from './data-source-options';
export { runMigrations, isEmbedded } from './migration-runner';
export { isUniqueViolation, isConnectionError, pgCode } from './database-errors';
export { ComposedStatement, prepared, queryRows, readRows, textArray } from './sql';
export type { RowsQuery, PurgeBatch } from './sql';
