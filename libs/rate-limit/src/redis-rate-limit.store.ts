import Redis from 'ioredis';
import { RateLimitHit, RateLimitStore } from './rate-limit.store';

// INCR and set the window's expiry on the first hit, atomically; returns count and ms left.
const HIT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`;

// ARGV: window ms and limit per key, in KEYS order. Counts on every key, or on none.
const HIT_ALL = `
local retry = 0
for i, k in ipairs(KEYS) do
  local c = tonumber(redis.call('GET', k) or '0')
  if c >= tonumber(ARGV[i * 2]) then
    local ttl = redis.call('PTTL', k)
    if ttl > retry then retry = ttl end
    if ttl < 0 then retry = math.max(retry, tonumber(ARGV[i * 2 - 1])) end
  end
end
if retry > 0 then return {0, retry} end
for i, k in ipairs(KEYS) do
  if redis.call('INCR', k) == 1 then redis.call('PEXPIRE', k, ARGV[i * 2 - 1]) end
end
return {1, 0}`;

/**
 * Shared store for several instances. Commands time out quickly and are not queued while
 * Redis is down: a limit that cannot be checked fails closed (the caller answers
 * SERVICE_UNAVAILABLE) rather than letting unlimited guesses through.
 */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: Redis;

  constructor(url: string) {
    super();
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      keyPrefix: 'gh:rl:',
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.redis.on('error', () => undefined);
  }

  async hit(key: string, windowSeconds: number, limit: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, key, String(windowSeconds * 1000))) as [number, number];
    return { allowed: count <= limit, count, retryAfterSeconds: count <= limit ? 0 : Math.max(1, Math.ceil(ttl / 1000)) };
  }

  async hitAll(keys: Array<{ key: string; windowSeconds: number; limit: number }>): Promise<RateLimitHit> {
    const args = keys.flatMap((k) => [String(k.windowSeconds * 1000), String(k.limit)]);
    const [ok, retryMs] = (await this.redis.eval(HIT_ALL, keys.length, ...keys.map((k) => k.key), ...args)) as [number, number];
    return ok === 1
      ? { allowed: true, count: 0, retryAfterSeconds: 0 }
      : { allowed: false, count: 0, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
  }

  async peek(key: string, _windowSeconds: number, limit: number): Promise<RateLimitHit> {
    const [raw, ttl] = await Promise.all([this.redis.get(key), this.redis.pttl(key)]);
    const count = Number(raw ?? 0);
    return { allowed: count < limit, count, retryAfterSeconds: count < limit ? 0 : Math.max(1, Math.ceil(ttl / 1000)) };
  }

  async refund(key: string): Promise<void> {
    await this.redis.eval(
      `if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then return redis.call('DECR', KEYS[1]) end return 0`,
      1,
      key,
    );
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
