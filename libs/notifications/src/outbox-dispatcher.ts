import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '@app/database';
import { MetricsService } from '@app/observability';
import { EmailSender, OutgoingMessage, SmsSender } from './senders/message-sender';

interface ClaimedRow {
  id: string;
  channel: 'EMAIL' | 'SMS';
  destination: string;
  subject: string | null;
  body_html: string | null;
  body_text: string | null;
  template_key: string;
  locale: 'en' | 'vi';
  expires_at: Date | string | null;
  attempts: number;
}

const BATCH = 50;
const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 15;
const SWEEP_MS = 1000;

/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Sends the outbox (contract: Delivery). Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease, so several instances never send the same row; a provider outage leaves the row
 * PENDING with back-off, and a code that expired meanwhile is DROPPED, never sent.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    let sweeps = 0;
    this.timer = setInterval(() => {
      this.kick();
      if (++sweeps % 5 === 0) void this.measure();
    }, SWEEP_MS);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.email.close?.();
  }

  /** Ask for a drain soon (right after a commit); concurrent asks coalesce into one more pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => {
        this.logger.warn(`outbox sweep failed: ${(err as Error).message}`);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async measure(): Promise<void> {
    try {
      const [row]: Array<{ n: string }> = await this.dataSource.query(`SELECT count(*) AS n FROM outbox_messages WHERE status IN ('PENDING', 'SENDING')`);
      this.metrics.outboxPending.set(Number(row?.n ?? 0));
    } catch {
      // The gauge keeps its last value while the database is away.
    }
  }

  /** Sends everything due now; returns how many messages went out. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return sent;
      const results = await Promise.all(rows.map((r) => this.deliver(r)));
      sent += results.filter(Boolean).length;
      if (rows.length < BATCH || this.stopped) return sent;
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = new Date();
    const rows = await queryRows<ClaimedRow>(
      this.dataSource,
      `UPDATE outbox_messages SET status = 'SENDING', lease_until = $2, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM outbox_messages
           WHERE (status = 'PENDING' AND next_attempt_at <= $1) OR (status = 'SENDING' AND lease_until < $1)
           ORDER BY next_attempt_at
           LIMIT ${BATCH}
           FOR UPDATE SKIP LOCKED)
        RETURNING id, channel, destination, subject, body_html, body_text, template_key, locale, expires_at, attempts`,
      [now, new Date(now.getTime() + LEASE_MS)],
    );
    return rows;
  }

  private async deliver(row: ClaimedRow): Promise<boolean> {
    if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()) {
      await this.finish(row.id, 'DROPPED', 'code expired before it could be sent');
      return false;
    }
    const message: OutgoingMessage = {
      id: row.id,
      channel: row.channel,
      to: row.destination,
      subject: row.subject,
      html: row.body_html,
      text: row.body_text ?? '',
      templateKey: row.template_key,
      locale: row.locale,
    };
    try {
      await (row.channel === 'EMAIL' ? this.email : this.sms).send(message);
    } catch (err) {
      const reason = String((err as Error)?.message ?? err).slice(0, 500);
      const failed = row.attempts >= MAX_ATTEMPTS;
      await this.dataSource.query(
        `UPDATE outbox_messages SET status = $2, next_attempt_at = $3, lease_until = NULL, last_error = $4 WHERE id = $1 AND status = 'SENDING'`,
        [row.id, failed ? 'FAILED' : 'PENDING', new Date(Date.now() + backoffMs(row.attempts)), reason],
      );
      this.logger.warn(`${row.channel} ${row.template_key} delivery attempt ${row.attempts} failed: ${reason}`);
      return false;
    }
    await this.finish(row.id, 'SENT', null);
    return true;
  }

  /** Codes leave no copy behind once sent or dropped; notices keep theirs for audit until the retention sweep. */
  private async finish(id: string, status: 'SENT' | 'DROPPED', reason: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages
          SET status = $2::varchar, sent_at = CASE WHEN $2::varchar = 'SENT' THEN clock_timestamp() END, lease_until = NULL, last_error = $3,
              body_html = CASE WHEN challenge_id IS NULL THEN body_html END,
              body_text = CASE WHEN challenge_id IS NULL THEN body_text END
        WHERE id = $1`,
      [id, status, reason],
    );
  }
}
