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
