import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino } from 'pino';

/**
 * Structured JSON logs with a request id; secrets never reach them (contract: Observability).
 * Bodies are not logged at all; headers and anything shaped like a credential are redacted.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.currentPassword',
          '*.newPassword',
          '*.code',
          '*.resetToken',
          '*.accessToken',
          '*.token',
          '*.passwordHash',
          '*.password_hash',
          '*.code_hash',
        ],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health/live' || req.url === '/metrics' },
      // Our own small serializers, not wrapped around pino's standard ones: those build a full
      // copy of every request (all headers) before we pick three fields — measurable per request.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
  };
}
