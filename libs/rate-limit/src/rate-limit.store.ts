/** The outcome of counting one hit in a fixed window. */
export interface RateLimitHit {
  allowed: boolean;
  count: number;
  /** Seconds until the window ends (≥ 1 when not allowed). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters shared by every limit of the service (code cool-downs, hourly send
 * caps, sign-in failures, per-IP limits). In memory by default; Redis when REDIS_URL is set, so
 * limits are exact across instances (contract: Abuse limits).
 */
export abstract class RateLimitStore {
  /** Counts a hit on `key`; `allowed` is false once more than `limit` hits fall in the window. */
  abstract hit(key: string, windowSeconds: number, limit: number): Promise<RateLimitHit>;
  /**
   * All-or-nothing: counts one hit on every key when each is still under its limit, otherwise
   * counts nothing. Atomic across concurrent callers and instances, so several budgets that
   * guard one action (identifier, account, IP) can never disagree.
   */
  abstract hitAll(keys: Array<{ key: string; windowSeconds: number; limit: number }>): Promise<RateLimitHit>;
  /** Reads the current count without counting. */
  abstract peek(key: string, windowSeconds: number, limit: number): Promise<RateLimitHit>;
  /** Gives one hit back (a judged sign-in turned out right: it was not a failure). */
  abstract refund(key: string): Promise<void>;
  /** Forgets a key (e.g. a successful sign-in clears its failure counter). */
  abstract reset(key: string): Promise<void>;
  /** Health probe: resolves when the store answers. */
  abstract ping(): Promise<void>;
}
