import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/**
 * An in-memory PGlite database in a child process, for unit tests of SQL (Jest cannot load
 * PGlite in-process). Rows keep their types (timestamps come back as Dates): the IPC channel
 * uses the structured-clone serialization.
 */
export interface EmbeddedDatabase {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters (a migration's DDL). */
  exec(sql: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(): Promise<EmbeddedDatabase> {
  const child: ChildProcess = fork(join(__dirname, 'embedded-database-child.cjs'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let next = 0;
  let exited = false;
  child.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else p?.resolve(m.rows ?? []);
  });
  child.on('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`the embedded database process exited (${code})`));
    pending.clear();
  });
  const call = (op: 'query' | 'exec', sql: string, params?: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (exited) return reject(new Error('the embedded database process has exited'));
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, sql, params });
    });
  const db: EmbeddedDatabase = {
    query: async <T>(sql: string, params: unknown[] = []) => (await call('query', sql, params)) as T[],
    exec: async (sql) => {
      await call('exec', sql);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
  await db.query('SELECT 1');
  return db;
}
