// Starts the built service as a child process in production mode and talks to it over HTTP only
// (Nest 12 is ESM-only: the bench never imports application code).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT, BCRYPT_COST, log, sleep } from './common.mjs';

const MAIN = resolve(ROOT, 'dist/apps/api/src/main.js');
const CLUSTER = resolve(ROOT, 'bench/lib/cluster.cjs');
const WATCHDOG = resolve(ROOT, 'libs/testing/src/parent-watchdog.cjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist is missing or older than any source file. */
export function buildIfNeeded() {
  const stale = !existsSync(MAIN) || statSync(MAIN).mtimeMs < Math.max(newestMtime(join(ROOT, 'apps')), newestMtime(join(ROOT, 'libs')));
  if (!stale) return;
  log('building the service (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

/**
 * The Node flags production runs with: whatever `npm run start:prod` puts between `node` and the
 * script (e.g. the heap settings), so the bench measures the process operators run.
 * BENCH_NODE_ARGS replaces them for experiments.
 */
export function productionNodeArgs() {
  if (process.env.BENCH_NODE_ARGS !== undefined) return process.env.BENCH_NODE_ARGS.split(/\s+/).filter(Boolean);
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'];
  const m = /^node\s+(.*?)\s*dist\/apps\/api\/src\/main\.js/.exec(script);
  if (!m) throw new Error(`start:prod is not "node [flags] dist/apps/api/src/main.js": ${script}`);
  return m[1].split(/\s+/).filter(Boolean);
}

/** The production configuration every scenario uses; `extra` overrides (SMTP_URL, pool size…). */
export function appEnv(databaseUrl, port, extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    BCRYPT_COST: String(BCRYPT_COST),
    // All load comes from 127.0.0.1: the coarse per-IP GraphQL limit would throttle the load
    // generator itself. Every other limit (sign-in failures, OTP sends) stays as configured.
    RATE_LIMIT_IP_PER_MINUTE: '0',
    // Likewise the code sends per IP and channel (20 an hour): every pair of the code scenario comes from 127.0.0.1.
    OTP_MAX_SENDS_PER_IP_PER_HOUR: '0',
    LOG_LEVEL: 'warn',
    DELETION_JOB_CRON: 'off',
    DATA_DIR: '/tmp/gatehouse-bench-data',
    ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
    ...extra,
  };
}

/**
 * Starts the service (one process, or `instances` workers under Node's cluster module) and waits
 * for /health/ready. Returns { url, pids(), stop() }.
 */
export async function startApp({ databaseUrl, env = {}, instances = 1, nodeArgs = [], root = null }) {
  // root: another checkout's built service (bench/ab.mjs serves an older commit beside this one).
  if (!root) buildIfNeeded();
  const port = await freePort();
  const fullEnv = appEnv(databaseUrl, port, { ...env, BENCH_INSTANCES: String(instances) });
  const args = ['--require', WATCHDOG, ...productionNodeArgs(), ...nodeArgs, root ? resolve(root, 'dist/apps/api/src/main.js') : instances > 1 ? CLUSTER : MAIN];
  const child = spawn(process.execPath, args, { cwd: root ?? ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const workerPids = [];
  const onData = (d) => {
    const s = d.toString();
    output = (output + s).slice(-200_000);
    for (const m of s.matchAll(/WORKER_PID (\d+)/g)) workerPids.push(Number(m[1]));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`service exited (${exited}) before it was ready:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready after 120 s:\n${output.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.ok && (instances === 1 || output.includes('CLUSTER_READY'))) break;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  log(`service ready on ${url} (${instances} process${instances > 1 ? 'es' : ''}, pid ${child.pid})`);
  return {
    url,
    port,
    env: fullEnv,
    pid: child.pid,
    /** The processes that serve requests (the workers under cluster). */
    servingPids: () => (instances > 1 ? [...workerPids] : [child.pid]),
    logs: () => output,
    async stop() {
      if (exited !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
      log(`service stopped (${exited})`);
    },
  };
}

/** Resident memory of a process in MiB (VmRSS). */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
