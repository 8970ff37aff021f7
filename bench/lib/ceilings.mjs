// Ceilings measured in the same run as the figure they bound.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { BCRYPT_COST, CONNECTIONS, DURATION_S, ROOT, WARMUP_S, log, round } from './common.mjs';
import { graphqlLoad } from './load.mjs';
import { startLoadMonitor } from './loadmon.mjs';

/**
 * bcrypt compares/s in a separate Node process: cost 10, the service's libuv thread-pool size
 * (UV_THREADPOOL_SIZE, default 4), 16 compares in flight (one per client), same input shape.
 */
export async function bcryptCeiling({ threadpool = process.env.UV_THREADPOOL_SIZE } = {}) {
  const env = { ...process.env };
  if (threadpool) env.UV_THREADPOOL_SIZE = String(threadpool);
  else delete env.UV_THREADPOOL_SIZE;
  log(`bcrypt ceiling: cost ${BCRYPT_COST}, thread pool ${threadpool ?? '4 (default)'}, ${WARMUP_S} s + ${DURATION_S} s`);
  const monitor = startLoadMonitor(() => []);
  const out = await new Promise((resolveOut, reject) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bench/lib/bcrypt-ceiling.mjs'), BCRYPT_COST, WARMUP_S, DURATION_S, CONNECTIONS], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let s = '';
    child.stdout.on('data', (d) => (s += d));
    child.on('exit', (code) => (code === 0 ? resolveOut(s) : reject(new Error(`bcrypt ceiling exited ${code}`))));
  });
  const load = monitor.stop();
  const r = JSON.parse(out.trim().split('\n').pop());
  log(`bcrypt ceiling: ${round(r.perSecond)} compares/s; others used ${load.othersPct}% of the machine`);
  return { comparesPerSecond: round(r.perSecond), threadpool: r.threadpool, cost: r.cost, inFlight: r.inFlight, load };
}

/** `{ __typename }` through the whole stack (HTTP, Nest, Apollo, guards, plugins): the framework ceiling. */
export async function typenameCeiling(app) {
  return graphqlLoad({
    url: app.url,
    bodies: [{ query: '{ __typename }' }],
    label: '__typename',
    expect: (b) => b.includes('"__typename":"Query"'),
  });
}
