import type { DataSource, EntityManager } from 'typeorm';

/** Runs one statement and returns its rows (RETURNING rows for a DELETE / UPDATE). */
export type RowsQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * One batch of a retention rule (contract: Retention): deletes (or clears) up to `batch` rows that
 * ended before `before`, locking them FOR UPDATE SKIP LOCKED; returns how many it touched. Each
 * owner of a table exports its own; the maintenance job orchestrates them.
 */
export type PurgeBatch = (q: RowsQuery, before: Date, batch: number) => Promise<number>;

interface PoolLike {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Marks a data source's options (in `extra`, which TypeORM hands to the pool it creates). */
const POOL_KEY = Symbol('gatehouse.pool');
const pools = new WeakMap<object, PoolLike>();

/** The start of a statement marked by `prepared`. */
const PREPARED = '/*prepared*/ ';

/**
 * Marks a hot statement to be prepared once per connection (issue 21): PostgreSQL then parses it
 * once and, after a few runs, reuses a generic plan, where an unnamed statement is parsed and
 * planned on every run (planning was 60 % of PostgreSQL's time in a code pair: 1.8 of 3 ms). For
 * statements whose text is fixed (no per-call lists of values); `pg` only (PGlite runs the same
 * text, the mark being a comment).
 */
export function prepared(sql: string): string {
  return sql.startsWith(PREPARED) ? sql : PREPARED + sql;
}

/** One name per marked text, for every connection of the process. */
const statementNames = new Map<string, string>();

function nameOf(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `gh_${statementNames.size + 1}`));
  return name;
}

type ClientClass = new (...args: never[]) => { query(config: unknown, values?: unknown, callback?: unknown): unknown };

/** The driver's Client, running statements marked by `prepared` as named (prepared) statements. */
function preparingClient(Client: ClientClass): ClientClass {
  return class PreparingClient extends Client {
    query(config: unknown, values?: unknown, callback?: unknown): unknown {
      if (typeof config === 'string' && config.startsWith(PREPARED)) return super.query({ name: nameOf(config), text: config }, values, callback);
      return super.query(config, values, callback);
    }
  };
}

/**
 * The pool-creating driver module (`pg`, or the PGlite pool) with each pool it creates
 * registered under the key in its options (`poolKey()`): TypeORM's public `driver` option, so
 * `readRows` reaches the pool without reading TypeORM's internals (issue 16). With
 * `prepare`, the pool's connections run statements marked by `prepared` as prepared statements.
 */
export function trackingPools<D extends { Pool: new (options: never) => object; Client?: unknown }>(driver: D, prepare = false): D {
  const Base = driver.Pool as unknown as new (options: Record<PropertyKey, unknown>) => PoolLike;
  const Client = prepare && typeof driver.Client === 'function' ? preparingClient(driver.Client as ClientClass) : undefined;
  class TrackedPool extends Base {
    constructor(options: Record<PropertyKey, unknown>) {
      super(Client ? { ...options, Client } : options);
      const key = options?.[POOL_KEY];
      if (typeof key === 'object' && key !== null) pools.set(key, this);
    }
  }
  // The module's other exports (`types`, `defaults`…) stay reachable through the prototype.
  return Object.create(driver, { Pool: { value: TrackedPool } }) as D;
}

/** A fresh key for one data source's `extra` options. */
export function poolKey(): { [POOL_KEY]: object } {
  return { [POOL_KEY]: {} };
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
 * One read straight on the driver's pool (pg.Pool, or the PGlite pool: `trackingPools`), without a TypeORM query
 * runner: for the reads of every signed-in request (token check, `me`), where building and
 * releasing a query runner per statement cost ~8 % of `me` (issue 8). Outside a
 * transaction only; errors are the driver's own, which the error path classifies the same way.
 */
export async function readRows<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const key = (db.options.extra as Record<PropertyKey, unknown> | undefined)?.[POOL_KEY];
  const pool = typeof key === 'object' && key !== null ? pools.get(key) : undefined;
  if (!pool) return queryRows<T>(db, sql, params);
  return (await pool.query(sql, params)).rows as T[];
}

/**
 * One `WITH` statement that several libraries write parts of, each over its own tables (issue 21:
 * a flow's writes across owners in one round trip and one commit, without a transaction). A part
 * adds its CTEs with `with`, takes its values through `p` (placeholders are numbered here, so
 * parts never renumber each other's), and names earlier parts' CTEs only by the names they returned.
 */
export class ComposedStatement {
  private readonly ctes: string[] = [];
  private readonly values: unknown[] = [];

  /** The placeholder of one more value. */
  p(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds `name AS (sql)`; returns the name, for the parts after it. */
  with(name: string, sql: string): string {
    this.ctes.push(`${name} AS (${sql})`);
    return name;
  }

  /** Runs the CTEs with the final `select`; its rows. */
  run<T>(db: DataSource | EntityManager, select: string): Promise<T[]> {
    return queryRows<T>(db, prepared(`WITH ${this.ctes.join(',\n')}\n${select}`), this.values);
  }
}
