export { RateLimitModule } from './rate-limit.module';
export { RateLimitStore } from './rate-limit.store';
export type { RateLimitHit } from './rate-limit.store';
export { MemoryRateLimitStore } from './memory-rate-limit.store';
export { RedisRateLimitStore } from './redis-rate-limit.store';
export { ipKey } from './client-ip';
export { requestIpMiddleware, currentIpKey, currentClient } from './request-ip';
export type { RequestClient } from './request-ip';
