import { MemoryRateLimitStore } from './memory-rate-limit.store';

// RateLimitStore.hitAll is all-or-nothing and atomic across concurrent callers: several budgets
// guarding one action (identifier, account, IP) never let more than `limit` through.
describe('MemoryRateLimitStore.hitAll under concurrency', () => {
  it('of 50 concurrent calls on one budget of 10, exactly 10 are allowed and 10 are counted', async () => {
    const store = new MemoryRateLimitStore();
    const keys = [
      { key: 'ip:203.0.113.7', windowSeconds: 900, limit: 10 },
      { key: 'id:alice', windowSeconds: 900, limit: 1000 },
    ];
    const results = await Promise.all(Array.from({ length: 50 }, () => store.hitAll(keys)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1)).toBe(true);
    // Refused calls count nothing, on either key.
    expect((await store.peek('ip:203.0.113.7', 900, 10)).count).toBe(10);
    expect((await store.peek('id:alice', 900, 1000)).count).toBe(10);
  });

  it('concurrent calls across many identifiers share one IP budget: exactly `limit` are allowed', async () => {
    const store = new MemoryRateLimitStore();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        store.hitAll([
          { key: `id:user${i % 6}`, windowSeconds: 900, limit: 10 },
          { key: 'ip:198.51.100.1', windowSeconds: 900, limit: 25 },
        ]),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    expect((await store.peek('ip:198.51.100.1', 900, 25)).count).toBe(25);
  });
});

describe('MemoryRateLimitStore windows', () => {
  let now = 1_000_000;
  const store = new MemoryRateLimitStore(() => now);

  it('a hit over the limit is refused with the seconds left in its window; the window ends on time', async () => {
    now = 1_000_000;
    for (let i = 0; i < 3; i += 1) expect((await store.hit('w', 60, 3)).allowed).toBe(true);
    now += 20_500; // 39.5 s left
    expect(await store.hit('w', 60, 3)).toEqual({ allowed: false, count: 4, retryAfterSeconds: 40 });
    now = 1_000_000 + 59_999;
    expect((await store.hit('w', 60, 3)).allowed).toBe(false);
    now = 1_000_000 + 60_000; // the window's end: a fresh one
    expect(await store.hit('w', 60, 3)).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
  });

  it('peek says whether one more hit would be refused, without counting', async () => {
    now = 2_000_000;
    expect(await store.peek('p', 60, 2)).toEqual({ allowed: true, count: 0, retryAfterSeconds: 0 });
    await store.hit('p', 60, 2);
    expect(await store.peek('p', 60, 2)).toEqual({ allowed: true, count: 1, retryAfterSeconds: 0 });
    await store.hit('p', 60, 2);
    now += 30_000;
    expect(await store.peek('p', 60, 2)).toEqual({ allowed: false, count: 2, retryAfterSeconds: 30 });
    expect((await store.peek('p', 60, 2)).count).toBe(2);
  });

  it('hitAll refuses with the longest wait among the full budgets, and counts nothing then', async () => {
    now = 3_000_000;
    await store.hitAll([{ key: 'a', windowSeconds: 10, limit: 1 }]);
    now += 1_000;
    await store.hitAll([{ key: 'b', windowSeconds: 100, limit: 1 }]);
    const refused = await store.hitAll([
      { key: 'a', windowSeconds: 10, limit: 1 },
      { key: 'b', windowSeconds: 100, limit: 1 },
      { key: 'c', windowSeconds: 100, limit: 5 },
    ]);
    expect(refused).toEqual({ allowed: false, count: 1, retryAfterSeconds: 100 });
    expect((await store.peek('c', 100, 5)).count).toBe(0);
  });

  it('refund gives one hit back, reset forgets the key', async () => {
    now = 4_000_000;
    await store.hit('r', 60, 1);
    await store.hit('r', 60, 1);
    await store.refund('r');
    expect((await store.peek('r', 60, 1)).count).toBe(1);
    await store.reset('r');
    expect((await store.peek('r', 60, 1)).count).toBe(0);
  });
});
