import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

const NICE = 5;

function tasks(): string[] {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return [];
  }
}

/**
 * Hashing never starves the event loop (issue 8): bcrypt runs on libuv's thread pool, and when
 * sign-ins saturate every core the pool's threads would share the CPU equally with the thread
 * that answers every other request. On Linux a thread's nice value is its own, and raising it
 * needs no privilege, so the pool's threads get nice 5: the event loop (and PostgreSQL) run
 * first whenever they have work, hashing takes the rest.
 *
 * libuv creates the whole pool on its first job, so the threads are the ones that appear
 * around a first job queued here, before anything else uses the pool. If something already
 * did (nothing new appears), the priorities stay as they are and the answer says so.
 */
export const threadPoolPriority: Promise<{ threads: number; nice: number }> = new Promise((resolve) => {
  if (process.platform !== 'linux') return resolve({ threads: 0, nice: 0 });
  const before = new Set(tasks());
  randomBytes(1, () => {
    let threads = 0;
    for (const tid of tasks()) {
      if (before.has(tid)) continue;
      try {
        setPriority(Number(tid), NICE);
        threads += 1;
      } catch {
        // not ours to change (another platform's semantics): leave it
      }
    }
    resolve({ threads, nice: threads ? NICE : 0 });
  });
});
