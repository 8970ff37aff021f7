import * as bcrypt from 'bcrypt';
import { webcrypto } from 'node:crypto';
import { HashingSlots } from './hashing-slots';

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('HashingSlots', () => {
  it('runs at most `size` jobs at once and starts the others in arrival order', async () => {
    const slots = new HashingSlots(2);
    const gates = [0, 1, 2, 3, 4].map(() => deferred());
    const started: number[] = [];
    const done = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    expect(slots.load).toEqual({ running: 2, waiting: 3 });
    gates[1].resolve();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3].resolve();
    gates[4].resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the slot back when a job fails, and the failure reaches its caller', async () => {
    const slots = new HashingSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      slots.run(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(await slots.run(async () => 'next')).toBe('next');
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new HashingSlots(size)).toThrow();
  });

  // The reason it exists (libuv's pool is FIFO and shared): a crypto.subtle job queued behind
  // many hashes, like a step of the PostgreSQL driver's SCRAM handshake, waits for nearly all of
  // them without the slots, and finds a free thread at once with them. libuv's pool has 4 threads
  // here (UV_THREADPOOL_SIZE unset), so 3 slots, as the service computes it.
  describe('keeps a thread of libuv pool free for its other users', () => {
    const HASHES = 12;
    let hash: string;
    beforeAll(async () => {
      hash = await bcrypt.hash('x', 8);
    });

    async function outstandingWhenSubtleDone(run: (job: () => Promise<boolean>) => Promise<boolean>): Promise<number> {
      let finished = 0;
      const all = Array.from({ length: HASHES }, () => run(() => bcrypt.compare('y', hash)).then(() => (finished += 1)));
      const key = await webcrypto.subtle.importKey('raw', Buffer.from('password'), 'PBKDF2', false, ['deriveBits']);
      await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: Buffer.from('salt'), iterations: 4096 }, key, 256);
      const outstanding = HASHES - finished;
      await Promise.all(all);
      return outstanding;
    }

    it('without the slots, the job waits behind most of the queued hashes', async () => {
      expect(await outstandingWhenSubtleDone((job) => job())).toBeLessThanOrEqual(HASHES / 2);
    });

    it('with them, it is done while most hashes are still outstanding', async () => {
      const slots = new HashingSlots(3);
      expect(await outstandingWhenSubtleDone((job) => slots.run(job))).toBeGreaterThan(HASHES / 2);
    });
  });
});
