import { createTransport, Transporter } from 'nodemailer';
import { EmailSender, OutgoingMessage } from './message-sender';

export interface MailIdentity {
  from: string;
  replyTo?: string | null;
}

/** SMTP through nodemailer (SMTP_URL), pooled, with short timeouts so an outage fails fast and retries later. */
export class SmtpEmailSender extends EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly identity: () => Promise<MailIdentity>,
  ) {
    super();
    this.transport = createTransport(smtpUrl, {
      pool: true,
      maxConnections: 5,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 15000,
    } as Parameters<typeof createTransport>[1]);
  }

  async send(m: OutgoingMessage): Promise<void> {
    const id = await this.identity();
    await this.transport.sendMail({
      from: id.from,
      replyTo: id.replyTo ?? undefined,
      to: m.to,
      // Stable per outbox row: a resend after a crash carries the same Message-ID, so mailbox providers can merge it.
      messageId: `<${m.id}@gatehouse.outbox>`,
      subject: m.subject ?? '',
      html: m.html ?? undefined,
      text: m.text,
      headers: { 'X-Gatehouse-Template': m.templateKey, 'X-Gatehouse-Message-Id': m.id },
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
