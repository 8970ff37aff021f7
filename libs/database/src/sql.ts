import type { DataSource, EntityManager } from 'typeorm';

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
  if (typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return [];
}
