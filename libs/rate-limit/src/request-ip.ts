import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { ipKey } from './client-ip';

/** Who is calling, as the HTTP layer saw it: recorded with sessions and security events. */
export interface RequestClient {
  /** The limit key (IPv4 as is, IPv6 per /64). */
  ipKey: string;
  /** The address itself (TRUST_PROXY applied), without the `::ffff:` prefix. */
  ip: string | null;
  /** The User-Agent header, cut to 256 characters. */
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestClient>();

/**
 * Express middleware: remembers the caller's IP and user agent for the whole request, so limits
 * and records deep in a service (sign-in failures, sessions, events) need nothing threaded
 * through every call.
 */
export function requestIpMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const raw = req.ip ?? req.socket?.remoteAddress;
  const ua = req.headers['user-agent'];
  storage.run(
    {
      ipKey: ipKey(raw),
      ip: raw ? raw.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').slice(0, 64) : null,
      userAgent: typeof ua === 'string' && ua !== '' ? ua.slice(0, 256) : null,
    },
    next,
  );
}

/** The caller's IP key (IPv6 per /64), or 'internal' outside a request (jobs, boot). */
export function currentIpKey(): string {
  return storage.getStore()?.ipKey ?? 'internal';
}

/** The caller, or nulls outside a request. */
export function currentClient(): RequestClient {
  return storage.getStore() ?? { ipKey: 'internal', ip: null, userAgent: null };
}
