import { Readable } from 'node:stream';
import { createTransport, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { CommitPoint, EmailSender, OutgoingMessage } from './message-sender';

export interface MailIdentity {
  from: string;
  replyTo?: string | null;
}

/**
 * The longest a send may take, from the pool's queue to the server's answer. The socket timeouts
 * end a server that goes silent, not one that trickles its replies a byte at a time, nor a queue
 * entry that never gets a connection: without a deadline such a send holds a pool connection and
 * the dispatcher's pass that awaits it for good, and the instance stops sending. Shorter than the
 * outbox lease (30 s), so the row is put back by this instance before another could take it over.
 */
export const SEND_DEADLINE_MS = 20_000;

/** Where a message's commit point travels from send() to the stream plugin (nodemailer copies mail data keys as they are). */
const COMMIT = 'gatehouseCommit';

/**
 * SMTP through nodemailer (SMTP_URL), pooled, with short timeouts so an outage fails fast and
 * retries later.
 *
 * The message is rendered into a Buffer first, then sent as raw MIME through a gate: the SMTP
 * connection reads the whole message from it after the server's 354, and the gate ends (so
 * nodemailer writes the end-of-data `<CRLF>.<CRLF>` that lets the server accept the mail) only
 * after `commit()` succeeded. When commit throws, the gate is destroyed: nodemailer fails that
 * send (ESTREAM) and closes its connection without the dot, and the server discards the
 * unfinished DATA; the pool opens a new connection for the next message.
 */
export class SmtpEmailSender extends EmailSender {
  private readonly transport: Transporter;
  private readonly sendDeadlineMs: number;

  constructor(
    smtpUrl: string,
    private readonly identity: () => Promise<MailIdentity>,
    opts: { sendDeadlineMs?: number } = {},
  ) {
    super();
    this.sendDeadlineMs = opts.sendDeadlineMs ?? SEND_DEADLINE_MS;
    // The options go beside `url` in one object: as createTransport's second argument they would be
    // message defaults, and the transport would open a connection per message with the default
    // (minutes long) timeouts.
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 15000,
    });
    // The gate is a process function, the last stage of the message stream: the pool creates that
    // stream when it hands the message to a connection, but only the connection reads this last
    // stage, after DATA was accepted. A stream given as `raw` would be read into the message
    // pipeline's buffers at once, so the commit would come before MAIL FROM, not before the dot.
    // (A DKIM key would add a stage after this one that reads it at once: the commit would move
    // earlier, never after the dot.)
    this.transport.use('stream', (mail, done) => {
      const commit = (mail.data as Record<string, unknown>)[COMMIT] as CommitPoint | undefined;
      if (commit && mail.message) mail.message.processFunc((input) => commitGate(input, commit));
      done();
    });
  }

  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    const id = await this.identity();
    const raw = await new MailComposer({
      from: id.from,
      replyTo: id.replyTo ?? undefined,
      to: m.to,
      // Stable per outbox row: a resend after a lost answer carries the same Message-ID, so mailbox providers can merge it.
      messageId: `<${m.id}@gatehouse.outbox>`,
      subject: m.subject ?? '',
      html: m.html ?? undefined,
      text: m.text,
      headers: { 'X-Gatehouse-Template': m.templateKey, 'X-Gatehouse-Message-Id': m.id },
    })
      .compile()
      .build();
    await this.transport.sendMail({
      envelope: { from: id.from, to: m.to },
      raw,
      // The pool drops the message from its queue, or closes the connection delivering it, at the deadline.
      signal: AbortSignal.timeout(this.sendDeadlineMs),
      [COMMIT]: once(commit),
    } as Parameters<Transporter['sendMail']>[0]);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** The same promise for every call: a message the pool re-queued to another connection commits once. */
function once(commit: CommitPoint): CommitPoint {
  let done: Promise<void> | undefined;
  return () => (done ??= commit());
}

/**
 * The message as the SMTP connection reads it: the whole of `input` on the first read, and its end
 * only on the read after that (the connection took the body and asks for more), once `commit`
 * resolved. highWaterMark 0 keeps the stream from reading ahead before anyone consumes it.
 */
function commitGate(input: Readable, commit: CommitPoint): Readable {
  const chunks: Buffer[] = [];
  let complete = false;
  let readWaiting = false;
  let handedOver = false;
  const gate = new Readable({
    highWaterMark: 0,
    read() {
      if (!complete) {
        readWaiting = true;
        return;
      }
      if (!handedOver) {
        handedOver = true;
        this.push(Buffer.concat(chunks));
        chunks.length = 0;
        return;
      }
      Promise.resolve()
        .then(commit)
        .then(
          () => {
            if (!gate.destroyed) gate.push(null);
          },
          (err: unknown) => gate.destroy(err instanceof Error ? err : new Error(String(err))),
        );
    },
    destroy(err, callback) {
      input.destroy();
      callback(err);
    },
  });
  input.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  input.once('error', (err) => gate.destroy(err));
  input.once('end', () => {
    complete = true;
    if (readWaiting) {
      readWaiting = false;
      handedOver = true;
      gate.push(Buffer.concat(chunks));
      chunks.length = 0;
    }
  });
  return gate;
}
