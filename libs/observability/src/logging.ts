import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { pino, type DestinationStream } from 'pino';

/**
 * Structured JSON logs with a request id; secrets never reach them (contract: Observability).
 * Bodies are not logged at all; headers and anything shaped like a credential are redacted.
 * In development (`pretty`: AppConfig.logPretty) the same records go through pino-pretty.
 */
export async function loggerParams(level: string, pretty: boolean | 'tty' = false): Promise<Params> {
  const params = {
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
  } satisfies Params;
  const stream = (pretty === 'tty' ? process.stdout.isTTY === true : pretty) ? await prettyStream() : undefined;
  return stream ? { pinoHttp: [params.pinoHttp, stream] } : params;
}

/**
 * pino-pretty is a devDependency, loaded only when asked for: an image installed without dev
 * dependencies still starts (with JSON lines). A message's own line breaks stay line breaks,
 * so a code printed by the console mail / SMS provider reads as it does in the message.
 */
async function prettyStream(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    });
  } catch {
    return undefined;
  }
}
