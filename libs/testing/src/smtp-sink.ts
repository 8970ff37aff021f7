// postal-mime's CommonJS build, required as such (see the note below).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import PostalMime = require('postal-mime');
import { SMTPServer } from 'smtp-server';
import { extractCode, pollUntil } from './code-extract';
import { getFreePort } from './free-port';

/**
 * A real SMTP server on loopback that keeps every message it receives, parsed. The service is
 * pointed at it with SMTP_URL, so tests read codes from real mail (STYLE.md, Tests).
 * postal-mime 4 ships a CommonJS build next to its ESM one, so a plain require works under
 * ts-jest.
 */

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  envelopeFrom: string;
  /** The From header, e.g. `Gatehouse <no-reply@localhost>`. */
  from: string;
  fromAddress: string;
  replyTo: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  raw: string;
  receivedAt: Date;
  /** The client's TCP port on 127.0.0.1 (tells which process sent it, see clientPortOwner). */
  remotePort: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages(): ReceivedMail[];
  messagesTo(address: string): ReceivedMail[];
  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /**
   * The code of the oldest message to `address` that carries one and was not handed out by an
   * earlier waitForCode / waitForCodeMail; waits for it if none is there yet.
   */
  waitForCode(address: string, timeoutMs?: number): Promise<string>;
  waitForCodeMail(address: string, timeoutMs?: number): Promise<{ code: string; mail: ReceivedMail }>;
  /** Refuses mail while true (SMTP 451 at DATA), for delivery-retry tests without closing the port. */
  setFailing(failing: boolean): void;
  /** How many deliveries were refused by setFailing. */
  refusedCount(): number;
  clear(): void;
  stop(): Promise<void>;
  /** stop() then listen again on the same port (for outage tests). */
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function startSmtpSink(opts: { port?: number } = {}): Promise<SmtpSink> {
  const port = opts.port ?? (await getFreePort());
  const received: ReceivedMail[] = [];
  const consumed = new WeakSet<ReceivedMail>();
  let failing = false;
  let refused = 0;
  let server: SMTPServer | undefined;

  const makeServer = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      banner: 'gatehouse test sink',
      closeTimeout: 100,
      size: 10 * 1024 * 1024,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err) => callback(err));
        stream.on('end', () => {
          if (failing) {
            refused += 1;
            const err = new Error('sink is failing on purpose') as Error & { responseCode?: number };
            err.responseCode = 451;
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks);
          PostalMime.parse(raw)
            .then((parsed) => {
              const headers: Record<string, string> = {};
              for (const h of parsed.headers ?? []) headers[h.key.toLowerCase()] = h.value;
              received.push({
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                from: headers.from ?? '',
                fromAddress: parsed.from?.address ?? '',
                replyTo: (parsed.replyTo ?? []).map((a) => a.address ?? '').filter(Boolean),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: parsed.html ?? '',
                headers,
                raw: raw.toString('utf8'),
                receivedAt: new Date(),
                remotePort: session.remotePort,
              });
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });

  const start = async () => {
    if (server) return;
    const s = makeServer();
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.server.off('error', reject);
        resolve();
      });
    });
    server = s;
  };

  const stop = async () => {
    const s = server;
    if (!s) return;
    server = undefined;
    // Drop open (pooled) client connections at once: an outage test wants the port dead now.
    const connections = (s as unknown as { connections?: Set<{ close(): void }> }).connections;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      connections?.forEach((c) => {
        try {
          c.close();
        } catch {
          /* already closing */
        }
      });
    });
  };

  const messagesTo = (address: string) => {
    const a = address.toLowerCase();
    return received.filter((m) => m.to.includes(a));
  };

  const waitForCodeMail = async (address: string, timeoutMs = 10_000) => {
    const mail = await pollUntil(
      () => messagesTo(address).find((m) => !consumed.has(m) && extractCode(m.text) !== undefined),
      timeoutMs,
      () =>
        `a mail with a code to ${address}; mails to it so far: ${JSON.stringify(
          messagesTo(address).map((m) => ({ subject: m.subject, text: m.text.slice(0, 300) })),
        )}`,
    );
    consumed.add(mail);
    return { code: extractCode(mail.text) as string, mail };
  };

  await start();
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...received],
    messagesTo,
    waitFor: (predicate, timeoutMs = 10_000) =>
      pollUntil(
        () => received.find(predicate),
        timeoutMs,
        () => `a matching mail; got ${received.length}: ${JSON.stringify(received.map((m) => ({ to: m.to, subject: m.subject })))}`,
      ),
    waitForCode: async (address, timeoutMs) => (await waitForCodeMail(address, timeoutMs)).code,
    waitForCodeMail,
    setFailing: (f) => {
      failing = f;
    },
    refusedCount: () => refused,
    clear: () => {
      received.length = 0;
    },
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
