import { RateLimitHit, RateLimitStore } from './rate-limit.store';

interface Window {
  count: number;
  resetAt: number;
}

/** Single-process store: correct for one instance (the default, embedded setup). */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<string, Window>();
  private sweeps = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  private current(key: string, windowSeconds: number, create: boolean): Window | undefined {
    const now = this.now();
    let w = this.windows.get(key);
    if (w && w.resetAt <= now) {
      this.windows.delete(key);
      w = undefined;
    }
    if (!w && create) {
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    return w;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }

  private answer(w: Window | undefined, limit: number): RateLimitHit {
    const count = w?.count ?? 0;
    const retry = w ? Math.max(1, Math.ceil((w.resetAt - this.now()) / 1000)) : 0;
    return { allowed: count <= limit, count, retryAfterSeconds: count <= limit ? 0 : retry };
  }

  async hit(key: string, windowSeconds: number, limit: number): Promise<RateLimitHit> {
    const w = this.current(key, windowSeconds, true)!;
    w.count += 1;
    return this.answer(w, limit);
  }

  async hitAll(keys: Array<{ key: string; windowSeconds: number; limit: number }>): Promise<RateLimitHit> {
    // No await until the decision: one synchronous step, so concurrent callers cannot interleave.
    const windows = keys.map((k) => ({ ...k, w: this.current(k.key, k.windowSeconds, true)! }));
    const full = windows.filter((x) => x.w.count >= x.limit);
    if (full.length) {
      const retry = Math.max(...full.map((x) => Math.max(1, Math.ceil((x.w.resetAt - this.now()) / 1000))));
      return { allowed: false, count: Math.max(...full.map((x) => x.w.count)), retryAfterSeconds: retry };
    }
    for (const x of windows) x.w.count += 1;
    return { allowed: true, count: Math.max(...windows.map((x) => x.w.count)), retryAfterSeconds: 0 };
  }

  async peek(key: string, windowSeconds: number, limit: number): Promise<RateLimitHit> {
    const w = this.current(key, windowSeconds, false);
    const count = w?.count ?? 0;
    const retry = w ? Math.max(1, Math.ceil((w.resetAt - this.now()) / 1000)) : 0;
    // "Would one more hit be refused?"
    return { allowed: count < limit, count, retryAfterSeconds: count < limit ? 0 : retry };
  }

  async refund(key: string): Promise<void> {
    const w = this.windows.get(key);
    if (w && w.count > 0) w.count -= 1;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async ping(): Promise<void> {}
}
