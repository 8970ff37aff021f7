import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { extractCode, pollUntil } from './code-extract';
import { getFreePort } from './free-port';

/**
 * Stands in for the SMS provider webhook (SMS_WEBHOOK_URL): accepts `POST {to, text, template,
 * locale}` JSON and answers 200, or 503 while `setFailing(true)`.
 */

export interface ReceivedSms {
  to: string;
  text: string;
  template?: string;
  locale?: string;
  body: Record<string, unknown>;
  path: string;
  headers: IncomingMessage['headers'];
  receivedAt: Date;
}

export interface SmsSink {
  url: string;
  port: number;
  /** Accepted messages (2xx answered). */
  messages(): ReceivedSms[];
  messagesTo(toE164: string): ReceivedSms[];
  /** Every POST, accepted or refused. */
  attempts(): ReceivedSms[];
  waitFor(predicate: (m: ReceivedSms) => boolean, timeoutMs?: number): Promise<ReceivedSms>;
  /** Like SmtpSink.waitForCode: oldest accepted, not yet handed out message to that number with a code. */
  waitForCode(toE164: string, timeoutMs?: number): Promise<string>;
  waitForCodeMessage(toE164: string, timeoutMs?: number): Promise<{ code: string; sms: ReceivedSms }>;
  setFailing(failing: boolean): void;
  clear(): void;
  stop(): Promise<void>;
}

export async function startSmsSink(opts: { port?: number } = {}): Promise<SmsSink> {
  const port = opts.port ?? (await getFreePort());
  const accepted: ReceivedSms[] = [];
  const attempts: ReceivedSms[] = [];
  const consumed = new WeakSet<ReceivedSms>();
  let failing = false;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"body is not JSON"}');
        return;
      }
      const sms: ReceivedSms = {
        to: typeof body.to === 'string' ? body.to : '',
        text: typeof body.text === 'string' ? body.text : '',
        template: typeof body.template === 'string' ? body.template : undefined,
        locale: typeof body.locale === 'string' ? body.locale : undefined,
        body,
        path: req.url ?? '/',
        headers: req.headers,
        receivedAt: new Date(),
      };
      attempts.push(sms);
      if (failing) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      accepted.push(sms);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  };

  const server: Server = createServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const messagesTo = (to: string) => accepted.filter((m) => m.to === to);
  const waitForCodeMessage = async (to: string, timeoutMs = 10_000) => {
    const sms = await pollUntil(
      () => messagesTo(to).find((m) => !consumed.has(m) && extractCode(m.text) !== undefined),
      timeoutMs,
      () => `an SMS with a code to ${to}; accepted so far: ${JSON.stringify(accepted.map((m) => ({ to: m.to, text: m.text })))}`,
    );
    consumed.add(sms);
    return { code: extractCode(sms.text) as string, sms };
  };

  return {
    url: `http://127.0.0.1:${port}/sms`,
    port,
    messages: () => [...accepted],
    messagesTo,
    attempts: () => [...attempts],
    waitFor: (predicate, timeoutMs = 10_000) =>
      pollUntil(
        () => accepted.find(predicate),
        timeoutMs,
        () => `a matching SMS; accepted so far: ${JSON.stringify(accepted.map((m) => ({ to: m.to, text: m.text })))}`,
      ),
    waitForCode: async (to, timeoutMs) => (await waitForCodeMessage(to, timeoutMs)).code,
    waitForCodeMessage,
    setFailing: (f) => {
      failing = f;
    },
    clear: () => {
      accepted.length = 0;
      attempts.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
