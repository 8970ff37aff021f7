// PostgreSQL for the benchmarks: Debian's package, own data dir, loopback only, started through
// scripts/test-services.sh (which installs it when missing) on a port and directory of its own so
// it never collides with the test suites' server.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { ROOT, log } from './common.mjs';

export const SERVICES_DIR = process.env.BENCH_SERVICES_DIR ?? '/tmp/gatehouse-bench-services';
export const PG_PORT = process.env.BENCH_PG_PORT ?? '54339';

function servicesEnv(fast = false) {
  return { ...process.env, GH_SERVICES_DIR: SERVICES_DIR, GH_PG_PORT: PG_PORT, GH_PG_FAST: fast ? '1' : '0' };
}

function start(fast) {
  const out = execFileSync('bash', ['scripts/test-services.sh', 'start', 'postgres'], {
    cwd: ROOT,
    env: servicesEnv(fast),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const m = /DATABASE_URL=(\S+)/.exec(out);
  if (!m) throw new Error(`test-services.sh printed no DATABASE_URL: ${out}`);
  return m[1];
}

/** fsync, synchronous_commit and full_page_writes as the running server has them. */
export async function durabilityOf(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const get = async (name) => (await c.query(`SHOW ${name}`)).rows[0][name];
    return { fsync: await get('fsync'), synchronous_commit: await get('synchronous_commit'), full_page_writes: await get('full_page_writes') };
  } finally {
    await c.end();
  }
}

/**
 * Starts (or finds) the server; returns the URL of its `gatehouse` database and its durability
 * settings. Stock durability (what production pays) unless `fast` (--fast-pg, diagnostics only);
 * a server left running with the other settings is restarted.
 */
export async function startPostgres(fast = false) {
  let url = start(fast);
  let durability = await durabilityOf(url);
  const isFast = durability.fsync === 'off';
  if (isFast !== fast) {
    log(`bench PostgreSQL runs with fsync=${durability.fsync}: restarting it with ${fast ? 'fast' : 'stock'} durability`);
    stopPostgres();
    url = start(fast);
    durability = await durabilityOf(url);
  }
  return { url, durability: { mode: fast ? 'fast' : 'stock', ...durability } };
}

export function stopPostgres() {
  execFileSync('bash', ['scripts/test-services.sh', 'stop-postgres'], { cwd: ROOT, env: servicesEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
}

/** PID of the postmaster (its children are the backends: all of them count as "ours"). */
export function postmasterPid() {
  try {
    return Number(readFileSync(`${SERVICES_DIR}/pg/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

export function databaseUrl(baseUrl, name) {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops and creates database `name`; returns its URL. */
export async function freshDatabase(baseUrl, name) {
  await withClient(baseUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  log(`fresh database ${name}`);
  return databaseUrl(baseUrl, name);
}

export async function databaseExists(baseUrl, name) {
  return withClient(baseUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}
