import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createTestDatabase, createTestRedis, startApp, TestApp, TestDatabase } from './app-process';
import { gql, GqlOptions, GqlResponse } from './graphql-client';
import { SmsSink, startSmsSink } from './sms-sink';
import { SmtpSink, startSmtpSink } from './smtp-sink';

/**
 * Several instances of the service behind no load balancer, as production runs them (README,
 * Deploying): one fresh PostgreSQL database on the server of `DATABASE_URL` and one flushed
 * logical Redis database on the server of `REDIS_URL`, both shared; one SMTP sink and one SMS
 * sink, shared; N app processes on their own loopback ports. Nothing else is shared.
 */

export interface StartClusterOptions {
  /** How many app processes (default 3). */
  instances?: number;
  /** Extra / overriding environment for every instance. */
  env?: Record<string, string>;
  /** Prefix for the instances' names (logs, errors). */
  name?: string;
  startTimeoutMs?: number;
}

export interface TestCluster {
  apps: TestApp[];
  smtp: SmtpSink;
  sms: SmsSink;
  database: TestDatabase;
  databaseUrl: string;
  redisUrl: string;
  /** The next running instance, round-robin. */
  next(): TestApp;
  /** Instances whose process is running. */
  running(): TestApp[];
  /** A GraphQL call to the next running instance (round-robin). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResponse<T>>;
  /** Sends SIGKILL (or `signal`) to instance `index` and waits until its process is gone. */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts instance `index` again on the same port, database and Redis. */
  restart(index: number): Promise<void>;
  /** GET /health/ready of every instance: its HTTP status (0 when it did not answer in `timeoutMs`). */
  ready(timeoutMs?: number): Promise<Array<{ name: string; status: number; body: string }>>;
  /** Stops every instance and both sinks, and drops the database. */
  stop(): Promise<void>;
}

export async function startCluster(opts: StartClusterOptions = {}): Promise<TestCluster> {
  const count = opts.instances ?? 3;
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    throw new Error('startCluster() needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis): instances share both');
  }
  const prefix = opts.name ?? 'node';
  const smtp = await startSmtpSink();
  const sms = await startSmsSink();
  let database: TestDatabase | undefined;
  const apps: TestApp[] = [];
  const cleanup = async () => {
    await Promise.allSettled(apps.map((a) => a.stop()));
    await Promise.allSettled([smtp.stop(), sms.stop()]);
    await database?.drop().catch(() => undefined);
  };
  try {
    database = await createTestDatabase();
    const redisUrl = await createTestRedis();
    // Secrets are the same on every instance (README, Secrets): a token or a code issued by one
    // instance is checked by another.
    const env = {
      SMTP_URL: smtp.url,
      SMS_WEBHOOK_URL: sms.url,
      JWT_SECRET: randomBytes(48).toString('base64'),
      OTP_HASH_KEY: randomBytes(48).toString('base64'),
      ...opts.env,
    };
    // Started together on purpose: migrations at boot are serialized by an advisory lock (README).
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        startApp({ name: `${prefix}-${i}`, databaseUrl: database!.url, redisUrl, env, startTimeoutMs: opts.startTimeoutMs ?? 90_000 }),
      ),
    );
    for (const r of started) if (r.status === 'fulfilled') apps.push(r.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    let cursor = 0;
    const running = () => apps.filter((a) => a.running());
    const next = () => {
      const live = running();
      if (live.length === 0) throw new Error('no instance of the cluster is running');
      return live[cursor++ % live.length];
    };
    const db = database;
    const cluster: TestCluster = {
      apps,
      smtp,
      sms,
      database: db,
      databaseUrl: db.url,
      redisUrl,
      next,
      running,
      gql: (query, variables, gqlOpts) => gql(next(), query, variables, gqlOpts),
      kill: async (index, signal = 'SIGKILL') => {
        const app = apps[index];
        app.kill(signal);
        const deadline = Date.now() + 10_000;
        while (app.running()) {
          if (Date.now() > deadline) throw new Error(`${app.name} still running 10 s after ${signal}`);
          await new Promise((done) => setTimeout(done, 20));
        }
      },
      restart: (index) => apps[index].restart(),
      ready: (timeoutMs = 8_000) =>
        Promise.all(
          apps.map(async (a) => {
            try {
              const res = await fetch(`${a.url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
              return { name: a.name, status: res.status, body: await res.text() };
            } catch (err) {
              return { name: a.name, status: 0, body: String((err as Error).message) };
            }
          }),
        ),
      stop: cleanup,
    };
    return cluster;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * Which of `pids` owns the loopback TCP socket whose local port is `port` (Linux /proc), e.g. the
 * instance that sent a mail the sink received from that port. Undefined when none does (any more).
 */
export function clientPortOwner(port: number, pids: number[]): number | undefined {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1].endsWith(`:${hex}`)) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return undefined;
}
