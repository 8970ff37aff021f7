import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiException, ErrorCode, type Locale } from '@app/core';
import { ipKey, RateLimitStore } from '@app/rate-limit';
import { resolveLocale, toGraphQLError } from './errors/graphql-exception.filter';
import type { GatehouseRequest } from './request-context';

const logger = new Logger('RequestLimit');

/**
 * Contract (Abuse limits): every request to /graphql counts against `RATE_LIMIT_IP_PER_MINUTE`
 * before its body is read, so a flood of oversized or malformed documents is refused for the
 * price of one counter hit instead of a parse each. Mounted in main.ts ahead of Nest's body
 * parser. The root-field throttler (GqlThrottlerGuard) still counts each root field after
 * parsing, under its own key, so aliases cannot multiply the work one request buys.
 */
export function graphqlRequestLimitMiddleware(store: RateLimitStore, perMinute: number, defaultLocale: Locale) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (perMinute === 0) return next();
    const refuse = (exception: unknown): void => {
      const error = toGraphQLError(exception, resolveLocale(req as GatehouseRequest, defaultLocale), logger);
      const code = error.extensions.code;
      const status = code === ErrorCode.RATE_LIMITED ? 429 : code === ErrorCode.SERVICE_UNAVAILABLE ? 503 : 500;
      if (typeof error.extensions.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(error.extensions.retryAfterSeconds));
      // The body is never parsed: Node discards what is left of it once the answer is sent.
      res.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
    };
    store
      .hit(`requests:ip:${ipKey(req.ip ?? req.socket?.remoteAddress)}`, 60, perMinute)
      .then((hit) => (hit.allowed ? next() : refuse(ApiException.rateLimited(Math.max(1, hit.retryAfterSeconds)))), refuse);
  };
}
