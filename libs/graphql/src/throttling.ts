import { ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { ApiException } from '@app/core';
import { ipKey, RateLimitStore } from '@app/rate-limit';
import type { GraphqlContext } from './request-context';

/** @nestjs/throttler on the service's one rate-limit store (memory, or Redis shared by every instance). */
export class RateLimitThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly store: RateLimitStore) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const hit = await this.store.hit(`throttle:${key}`, Math.max(1, Math.ceil(ttl / 1000)), limit);
    return { totalHits: hit.count, timeToExpire: hit.retryAfterSeconds, isBlocked: !hit.allowed, timeToBlockExpire: hit.retryAfterSeconds };
  }
}

/**
 * Per-IP request limit for GraphQL root fields (IPv6 per /64; TRUST_PROXY decides what
 * `req.ip` is). Nested field resolvers and plain HTTP routes (health, metrics) are not counted.
 */
@Injectable()
export class GqlThrottlerGuard extends ThrottlerGuard {
  protected async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const parent = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo | undefined>()?.parentType?.name;
    return parent !== 'Query' && parent !== 'Mutation';
  }

  protected getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    const ctx = GqlExecutionContext.create(context).getContext<GraphqlContext>();
    return { req: ctx.req, res: ctx.res };
  }

  /** One budget per IP across every root field (the default key would give each resolver its own). */
  protected generateKey(_context: ExecutionContext, suffix: string, name: string): string {
    return `${name}:${suffix}`;
  }

  protected async getTracker(req: Record<string, any>): Promise<string> {
    return ipKey(req.ip as string | undefined);
  }

  protected async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw ApiException.rateLimited(Math.max(1, Math.ceil(detail.timeToBlockExpire || detail.timeToExpire)));
  }
}
