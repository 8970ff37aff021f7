import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { getFreePort } from './free-port';

/**
 * Black-box app factory: the compiled service runs as a child process and tests talk to it
 * over real HTTP (contract README; STYLE.md, Tests). Nest 12 is ESM-only and Jest cannot
 * require() it, so nothing here imports application code.
 */

export const REPO_ROOT = resolve(__dirname, '../../..');

const ENTRY_CANDIDATES = ['dist/apps/api/src/main.js', 'dist/apps/api/main.js'];
const WATCHDOG = join(__dirname, 'parent-watchdog.cjs');
const MAX_LOG_CHARS = 4 * 1024 * 1024;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** Configuration variables of the contract: never inherited from the developer's shell. */
const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'DATA_DIR',
  'JWT_SECRET',
  'ACCESS_TOKEN_TTL',
  'BCRYPT_COST',
  'SMTP_URL',
  'MAIL_FROM',
  'SMS_WEBHOOK_URL',
  'REDIS_URL',
  'OTP_LENGTH',
  'OTP_TTL_SECONDS',
  'OTP_MAX_ATTEMPTS',
  'OTP_RESEND_COOLDOWN_SECONDS',
  'OTP_MAX_SENDS_PER_HOUR',
  'OTP_HASH_KEY',
  'SIGNUP_REQUIRED_IDENTIFIERS',
  'DEFAULT_PHONE_REGION',
  'DEFAULT_LOCALE',
  'DELETION_GRACE_DAYS',
  'DELETION_JOB_CRON',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'GRAPHQL_PLAYGROUND',
  'GRAPHQL_SCHEMA_FILE',
  'TRUST_PROXY',
  'LOG_LEVEL',
  'NODE_ENV',
  'APP_NAME',
  'RATE_LIMIT_IP_PER_MINUTE',
  'OTP_HASH_KEY',
  'DATABASE_POOL_SIZE',
  'SESSION_TTL',
  'SESSION_IDLE_TTL',
  'REFRESH_TOKEN_REUSE_SECONDS',
  'SIGN_IN_IDENTIFIERS',
  'SIGN_IN_WITH_CODE',
  'SECOND_FACTOR_REQUIRED_ROLES',
  'SECRETS_ENCRYPTION_KEY',
  'SECRETS_ENCRYPTION_OLD_KEYS',
  'WEBHOOK_URL',
  'WEBHOOK_SECRET',
  'SECURITY_EVENT_RETENTION_DAYS',
  'MAINTENANCE_JOB_CRON',
  'METRICS_TOKEN',
  'OTP_MAX_SENDS_PER_IP_PER_HOUR',
  'SMS_MAX_PER_HOUR',
  'CLIENT_RETURN_ORIGINS',
];

export interface StartAppOptions {
  /** Extra / overriding environment for the service (e.g. SMTP_URL, ACCESS_TOKEN_TTL). */
  env?: Record<string, string>;
  /** Shown in error messages and logs. */
  name?: string;
  /**
   * Share one PostgreSQL database between several instances (multi-instance tests): pass the
   * `url` of `createTestDatabase()`. The app then does not drop it on stop.
   */
  databaseUrl?: string;
  /**
   * Share one Redis logical database between instances: pass the url of `createTestRedis()`.
   * Without it, when REDIS_URL is set (the PostgreSQL + Redis run in CI) each app gets a fresh,
   * flushed logical database of that server, so limits counted by one suite never leak into another.
   */
  redisUrl?: string;
  /** Reuse an embedded-database directory (restart tests); not removed on stop. */
  dataDir?: string;
  /** Listen on this port instead of a fresh one. */
  port?: number;
  startTimeoutMs?: number;
}

export interface TestApp {
  name: string;
  /** http://127.0.0.1:PORT */
  url: string;
  graphqlUrl: string;
  port: number;
  /** The whole environment given to the service (JWT_SECRET included, for forging tokens in tests). */
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  pid(): number | undefined;
  /** Captured stdout + stderr since the first start. */
  logs(): string;
  running(): boolean;
  /** Graceful stop (SIGTERM, then SIGKILL after 10 s); removes what this app created. */
  stop(): Promise<void>;
  /** Sends a signal at once (crash tests); default SIGKILL. Does not clean up: call stop() later. */
  kill(signal?: NodeJS.Signals): void;
  /** Stops the process (keeping its data and database) and starts it again on the same port. */
  restart(extraEnv?: Record<string, string>): Promise<void>;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const startedApps = new Set<TestApp>();
const createdDatabases = new Set<TestDatabase>();
const otherStops = new Set<() => Promise<void>>();

/**
 * Something else `stopAllApps()` must stop (a stack's mail and SMS sinks). Returns the function
 * that takes it off the list, for when it is stopped on its own.
 */
export function stopWithAllApps(stop: () => Promise<void>): () => void {
  otherStops.add(stop);
  return () => otherStops.delete(stop);
}

export function entryPoint(): string {
  const fromEnv = process.env.GATEHOUSE_ENTRY;
  if (fromEnv) return resolve(REPO_ROOT, fromEnv);
  for (const candidate of ENTRY_CANDIDATES) {
    const full = join(REPO_ROOT, candidate);
    if (existsSync(full)) return full;
  }
  throw new Error(`The built service is missing (looked for ${ENTRY_CANDIDATES.join(', ')} under ${REPO_ROOT}); run \`npm run build\` first.`);
}

/** True when the suite runs against a real PostgreSQL server (CI), false for embedded PGlite. */
export function hasExternalDatabase(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

/**
 * A fresh, empty database on the server of `DATABASE_URL`; dropped by `drop()` or `stopAllApps()`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('createTestDatabase() needs DATABASE_URL (a PostgreSQL server)');
  const name = `gh_test_${randomBytes(8).toString('hex')}`;
  await withAdminClient(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  let dropped = false;
  const db: TestDatabase = {
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      createdDatabases.delete(db);
      await withAdminClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
  createdDatabases.add(db);
  return db;
}

async function withAdminClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** True when the suite runs with a Redis server (CI's PostgreSQL + Redis run). */
export function hasExternalRedis(): boolean {
  return Boolean(process.env.REDIS_URL);
}

// Logical databases 1–15 in turn (0 is left to whoever else uses the server), from a random
// start so that two Jest workers rarely pick the same one at the same time.
let nextRedisDb = randomInt(0, 15);

/** A flushed logical database on the server of `REDIS_URL`, as a URL for the service. */
export async function createTestRedis(): Promise<string> {
  const base = process.env.REDIS_URL;
  if (!base) throw new Error('createTestRedis() needs REDIS_URL (a Redis server)');
  const url = new URL(base);
  url.pathname = `/${1 + (nextRedisDb++ % 15)}`;
  const client = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  try {
    await client.connect();
    await client.flushdb();
  } finally {
    client.disconnect();
  }
  return url.toString();
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !CONFIG_VARIABLES.includes(key)) env[key] = value;
  }
  return env;
}

export async function startApp(opts: StartAppOptions = {}): Promise<TestApp> {
  const name = opts.name ?? 'api';
  const entry = entryPoint();
  const port = opts.port ?? (await getFreePort());
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'gatehouse-test-')));

  let ownedDatabase: TestDatabase | undefined;
  let databaseUrl = opts.databaseUrl;
  if (databaseUrl === undefined && hasExternalDatabase()) {
    ownedDatabase = await createTestDatabase();
    databaseUrl = ownedDatabase.url;
  }

  const redisUrl = opts.redisUrl ?? (hasExternalRedis() ? await createTestRedis() : undefined);

  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    BCRYPT_COST: '4',
    JWT_SECRET: randomBytes(48).toString('base64'),
    DELETION_JOB_CRON: 'off',
    MAINTENANCE_JOB_CRON: 'off',
    LOG_LEVEL: 'warn',
    // Every suite talks from 127.0.0.1: the coarse per-IP limit is raised here and tested on its own.
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    // Likewise the per-IP code sends (test/send-caps.e2e-spec.ts sets it).
    OTP_MAX_SENDS_PER_IP_PER_HOUR: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...opts.env,
  };

  const url = `http://127.0.0.1:${port}`;
  let output = '';
  let child: ChildProcess | undefined;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let exitPromise: Promise<void> = Promise.resolve();
  let stopped = false;

  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG_CHARS) output = output.slice(output.length - MAX_LOG_CHARS);
  };

  const launch = async (extraEnv: Record<string, string> = {}) => {
    Object.assign(env, extraEnv);
    exitInfo = undefined;
    const proc = spawn(process.execPath, ['--require', WATCHDOG, entry], {
      cwd: REPO_ROOT,
      env: { ...inheritedEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    proc.stdin?.on('error', () => undefined);
    exitPromise = new Promise<void>((done) => {
      proc.once('exit', (code, signal) => {
        exitInfo = { code, signal };
        done();
      });
      proc.once('error', (err) => {
        output += `\n[harness] spawn error: ${err.message}\n`;
        exitInfo = exitInfo ?? { code: -1, signal: null };
        done();
      });
    });
    await waitUntilLive(proc, opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  };

  const waitUntilLive = async (proc: ChildProcess, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let lastProblem = 'no answer yet';
    while (Date.now() < deadline) {
      if (exitInfo) {
        throw new Error(`[${name}] the service exited before it was live (code ${exitInfo.code}, signal ${exitInfo.signal}).\n--- output ---\n${tail(output)}`);
      }
      try {
        const res = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status === 200) return;
        lastProblem = `GET /health/live answered ${res.status}`;
      } catch (err) {
        lastProblem = (err as Error).message;
      }
      await sleep(100);
    }
    proc.kill('SIGKILL');
    await exitPromise;
    throw new Error(`[${name}] the service was not live after ${timeoutMs} ms (${lastProblem}).\n--- output ---\n${tail(output)}`);
  };

  const stopProcess = async () => {
    const proc = child;
    if (!proc || exitInfo) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    await exitPromise;
    clearTimeout(timer);
  };

  const app: TestApp = {
    name,
    url,
    graphqlUrl: `${url}/graphql`,
    port,
    env,
    dataDir,
    databaseUrl,
    redisUrl,
    pid: () => child?.pid,
    logs: () => output,
    running: () => child !== undefined && exitInfo === undefined,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child && !exitInfo) child.kill(signal);
    },
    restart: async (extraEnv?: Record<string, string>) => {
      if (stopped) throw new Error(`[${name}] cannot restart a stopped app`);
      await stopProcess();
      await launch(extraEnv);
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      startedApps.delete(app);
      try {
        await stopProcess();
      } finally {
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
        if (ownedDatabase) await ownedDatabase.drop();
      }
    },
  };

  startedApps.add(app);
  try {
    await launch();
  } catch (err) {
    await app.stop().catch(() => undefined);
    throw err;
  }
  return app;
}

/**
 * Stops every app and stack this test file started and drops every database it created
 * (test/support/e2e-setup.ts runs it after each e2e file).
 */
export async function stopAllApps(): Promise<void> {
  const results = await Promise.allSettled([...otherStops].map((stop) => stop()));
  const apps = [...startedApps];
  results.push(...(await Promise.allSettled(apps.map((app) => app.stop()))));
  const dbs = [...createdDatabases];
  results.push(...(await Promise.allSettled(dbs.map((db) => db.drop()))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function tail(text: string, chars = 20_000): string {
  return text.length > chars ? `…${text.slice(text.length - chars)}` : text;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
