import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { ipKey } from './client-ip';

const storage = new AsyncLocalStorage<{ ip: string }>();

/**
 * Express middleware: remembers the caller's IP key for the whole request, so limits deep in a
 * service (sign-in failures, re-authentication) need no IP threaded through every call.
 */
export function requestIpMiddleware(req: Request, _res: Response, next: NextFunction): void {
  storage.run({ ip: ipKey(req.ip ?? req.socket?.remoteAddress) }, next);
}

/** The caller's IP key (IPv6 per /64), or 'internal' outside a request (jobs, boot). */
export function currentIpKey(): string {
  return storage.getStore()?.ip ?? 'internal';
}
