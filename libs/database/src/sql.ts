import type { DataSource, EntityManager } from 'typeorm';

interface PoolLike {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs SQL and always returns the rows. TypeORM's postgres driver answers UPDATE / DELETE with
 * `[rows, rowCount]` but SELECT / INSERT with `rows`; `... RETURNING` callers want rows either way.
 */
export async function queryRows<T>(db: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** A text[] column as strings: pg parses arrays, PGlite may hand back the literal (`{A,B}`). */
export function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}

/**
 * One read straight on the driver's pool (pg.Pool, or the PGlite pool), without a TypeORM query
 * runner: for the reads of every signed-in request (token check, `me`), where building and
 * releasing a query runner per statement cost ~8 % of `me` (issue 8). Outside a
 * transaction only; errors are the driver's own, which the error path classifies the same way.
 */
export async function readRows<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master?: PoolLike }).master;
  if (typeof pool?.query !== 'function') return queryRows<T>(db, sql, params);
  return (await pool.query(sql, params)).rows as T[];
}
