// The bcrypt ceiling: compares/s in one Node process at the app's cost, with the same libuv
// thread-pool size as the service (UV_THREADPOOL_SIZE, default 4), using the same binding
// (bcrypt 6, async API on the thread pool) and the same 44-character pre-hashed input.
// Runs as its own process so UV_THREADPOOL_SIZE is the one the service would get.
// argv: cost warmupSeconds durationSeconds inFlight ; prints one JSON line.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const bcrypt = require('bcrypt');
const [cost, warmup, duration, inFlight] = process.argv.slice(2).map(Number);
const prehash = (p) => createHmac('sha256', 'gatehouse/password/v1').update(p.normalize('NFC'), 'utf8').digest('base64');
const input = prehash('bench-Password-42!');
const hash = bcrypt.hashSync(input, cost);

async function run(seconds) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < end) {
        if (!(await bcrypt.compare(input, hash))) throw new Error('compare failed');
        done += 1;
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { done, seconds: s, perSecond: done / s };
}

await run(warmup);
const r = await run(duration);
process.stdout.write(`${JSON.stringify({ cost, threadpool: Number(process.env.UV_THREADPOOL_SIZE ?? 4), inFlight, ...r })}\n`);
