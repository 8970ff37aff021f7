import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite is a single session. `typeorm-pglite`'s pool hands that one session to every query
 * runner at once, so two concurrent transactions interleave their statements inside one
 * BEGIN … COMMIT. Here a client is leased exclusively (like `pg.Pool` with `max: 1`): a
 * transaction holds the session until it releases it, and other work waits its turn. This
 * is what makes the embedded database honest about atomicity and concurrency.
 */
export class PGlitePool extends EventEmitter {
  private static readonly instances = new Map<string, Promise<PGlite>>();
  private queue: Promise<void> = Promise.resolve();
  private readonly dataDir: string;

  constructor(options: { pgliteDataDir?: string }) {
    super();
    this.dataDir = options.pgliteDataDir ?? 'memory://';
  }

  private db(): Promise<PGlite> {
    let db = PGlitePool.instances.get(this.dataDir);
    if (!db) {
      if (!this.dataDir.startsWith('memory://')) mkdirSync(this.dataDir, { recursive: true });
      db = PGlite.create(this.dataDir, {
        // node-postgres sends booleans as 'true'/'false'; PGlite's default serializer is stricter.
        serializers: { [types.BOOL]: (v: unknown) => (v === true || v === 'true' || v === 1 ? 'TRUE' : 'FALSE') },
      });
      PGlitePool.instances.set(this.dataDir, db);
    }
    return db;
  }

  connect(callback: (err: Error | null, client?: PGliteClient, release?: (err?: unknown) => void) => void): void {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    previous
      .then(() => this.db())
      .then(
        (db) => {
          let released = false;
          const client = new PGliteClient(db);
          callback(null, client, () => {
            if (released) return;
            released = true;
            release();
          });
        },
        (err: Error) => {
          release();
          callback(err);
        },
      );
  }

  query(text: string, params?: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.connect((err, client, release) => {
        if (err || !client) return reject(err ?? new Error('PGlite pool: no client'));
        (client.query(text, params) as Promise<unknown>).then(
          (r) => (release?.(), resolve(r)),
          // The driver's error goes on unchanged: callers read its SQLSTATE `code`.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          (e) => (release?.(), reject(e)),
        );
      }),
    );
  }

  end(callback?: (err?: Error) => void): void {
    const db = PGlitePool.instances.get(this.dataDir);
    PGlitePool.instances.delete(this.dataDir);
    (db ? db.then((d) => d.close()) : Promise.resolve()).then(
      () => callback?.(),
      (e: Error) => callback?.(e),
    );
  }
}

type Result = { rows: unknown[]; rowCount: number; command?: string };
type Callback = (err: Error | null, result?: Result) => void;

class PGliteClient extends EventEmitter {
  constructor(private readonly pg: PGlite) {
    super();
  }

  /** node-postgres' signature: promise, or `(text, cb)` / `(text, params, cb)` as TypeORM sometimes calls it. */
  query(text: string, paramsOrCallback?: unknown[] | Callback, callback?: Callback): Promise<Result> | void {
    const params = Array.isArray(paramsOrCallback) ? paramsOrCallback : undefined;
    const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback;
    const result = this.run(text, params);
    if (!cb) return result;
    result.then(
      (r) => cb(null, r),
      (e: Error) => cb(e),
    );
  }

  private async run(text: string, params?: unknown[]): Promise<Result> {
    if (params && params.length > 0) {
      const r = await this.pg.query(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command: commandOf(text) };
    }
    // Without parameters TypeORM may send several statements at once (migrations); the
    // result of the last one is what node-postgres would report.
    const results = await this.pg.exec(text);
    const last = results[results.length - 1];
    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? last?.rows.length ?? 0, command: commandOf(text) };
  }
}

function commandOf(text: string): string {
  return (/^\s*(?:WITH\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)?.[1] ?? '').toUpperCase();
}

/** The `driver` TypeORM's postgres driver loads instead of `pg`. */
export function pgliteDriver(): { Pool: typeof PGlitePool } {
  return { Pool: PGlitePool };
}
