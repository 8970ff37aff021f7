import type { NextFunction, Request, Response } from 'express';
import { CLIENT_BASE, ClientFiles } from './client-files';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The screens only talk to this origin's /graphql and load only their own files: the policy
 * makes that a rule the browser enforces (contract: no external requests).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** What the screens need to know about this deployment, served as /app/config.json. */
export interface ClientConfig {
  /** CLIENT_RETURN_ORIGINS: where `?return_to=` may send a person after sign-in. */
  returnOrigins: string[];
}

/** Serves dist/client under /app: hashed assets cached for a year, HTML revalidated, deep links to index.html. */
export function clientStaticMiddleware(files: ClientFiles, clientConfig: ClientConfig = { returnOrigins: [] }) {
  // A file the client fetches, not inline JSON in the HTML: the policy allows no inline content.
  const configBody = JSON.stringify(clientConfig);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.originalUrl, 'http://localhost').pathname);
    } catch {
      res.status(400).type('text/plain').send('Bad request');
      return;
    }
    if (pathname !== CLIENT_BASE && !pathname.startsWith(`${CLIENT_BASE}/`)) return next();

    if (pathname === `${CLIENT_BASE}/config.json`) {
      res.status(200).set({ 'Cache-Control': REVALIDATE, 'X-Content-Type-Options': 'nosniff' }).type('application/json').send(configBody);
      return;
    }
    const file = files.resolve(pathname);
    if (file.kind === 'missing') {
      res.status(404).set('Cache-Control', REVALIDATE).type('text/plain').send('Not found');
      return;
    }
    const headers: Record<string, string> = {
      'Cache-Control': file.kind === 'asset' ? IMMUTABLE : REVALIDATE,
      'X-Content-Type-Options': 'nosniff',
    };
    if (file.kind === 'index') {
      headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
      headers['Referrer-Policy'] = 'no-referrer';
      headers['X-Frame-Options'] = 'DENY';
    }
    // cacheControl: false keeps `send` from replacing our Cache-Control with its own default.
    res.sendFile(file.path, { headers, cacheControl: false, dotfiles: 'deny' }, (err?: Error & { status?: number }) => {
      if (!err) return;
      if (res.headersSent) {
        res.end();
        return;
      }
      res
        .status(err.status ?? 500)
        .type('text/plain')
        .send(err.status === 404 ? 'Not found' : 'Error');
    });
  };
}

/** Answers /app when the client was never built, instead of Nest's JSON 404. */
export function clientMissingMiddleware(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  res
    .status(503)
    .set('Cache-Control', 'no-store')
    .type('text/plain')
    .send('The client screens are not built. Run `npm run build` (or `npm run build:client`) and restart.');
}
