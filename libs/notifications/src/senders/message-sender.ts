import { Locale, Channel } from '@app/core';
export interface OutgoingMessage {
  id: string;
  channel: Channel | 'WEBHOOK';
  to: string;
  subject: string | null;
  html: string | null;
  text: string;
  templateKey: string;
  locale: Locale;
}

/**
 * Marks the message sent, durably. A sender calls it exactly once, at the point of no return: the
 * whole message is with the provider except the last bytes that let the provider accept it (the
 * SMTP end-of-data dot, the webhook body's last chunk). When it throws (the outbox row's lease went
 * to another instance, the database is away), the sender aborts the transfer so that the provider
 * never gets a complete message, and rethrows.
 */
export type CommitPoint = () => Promise<void>;

/**
 * A delivery channel. `send` resolves once the provider accepted the message, and throws
 * otherwise; it calls `commit` once before the provider can accept the message (see CommitPoint),
 * so a crash can never leave a delivered message unmarked.
 */
export abstract class EmailSender {
  abstract send(message: OutgoingMessage, commit: CommitPoint): Promise<void>;
  close?(): Promise<void>;
}

export abstract class SmsSender {
  abstract send(message: OutgoingMessage, commit: CommitPoint): Promise<void>;
}

/** Account events to WEBHOOK_URL (contract: Webhooks). */
export abstract class WebhookSender {
  abstract send(message: OutgoingMessage, commit: CommitPoint): Promise<void>;
}

/** No WEBHOOK_URL: nothing is queued, so nothing reaches this. */
export class NoWebhookSender extends WebhookSender {
  send(): Promise<void> {
    return Promise.reject(new Error('WEBHOOK_URL is not set'));
  }
}
