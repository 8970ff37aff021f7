import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '@app/database';
import { MetricsService } from '@app/observability';
import { drainOnCommit, Queued } from './outbox-commit-hook';
import { CLAIM_BATCH, OutboxDelivery, REFILL_AT } from './outbox-delivery';
import { ClaimedRow, countUnsent } from './outbox-messages.repository';
import { EmailSender, SmsSender, WebhookSender } from './senders/message-sender';

const SWEEP_MS = 1000;

/**
 * Sends the outbox (contract: Delivery). Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease, so several instances never send the same row; each row is marked SENT at the sender's
 * commit point, just before the provider can accept it, so an instance killed mid-send leaves
 * either a row another instance sends later or a sent message, not both (OutboxDelivery). A
 * provider outage leaves the row PENDING with back-off, and a code that expired meanwhile is
 * DROPPED, never sent.
 *
 * It drains right after every commit of a transaction that queued a message (outbox-commit-hook.ts:
 * flows never have to remember to ask), and sweeps every second for what is due later.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = false;
  private readonly delivery: OutboxDelivery;
  /** Leased rows being sent outside a drain pass (awaited at shutdown). */
  private readonly direct = new Set<Promise<boolean>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly email: EmailSender,
    sms: SmsSender,
    webhook: WebhookSender,
    private readonly metrics: MetricsService,
  ) {
    this.delivery = new OutboxDelivery(
      (sql, params) => queryRows(dataSource, sql, params),
      email,
      sms,
      (m) => this.logger.warn(m),
      webhook,
      (kind, result) => metrics.outboxDeliveries.inc({ kind, result }),
    );
    dataSource.subscribers.push(drainOnCommit<ClaimedRow>((queued) => this.afterCommit(queued)));
  }

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
    await Promise.all(this.direct);
    await this.email.close?.();
  }

  /**
   * After a commit that queued: rows written already leased to this instance go out at once, with
   * no claim (OutboxService.enqueueWith); any other row is claimed by a drain.
   */
  afterCommit(queued: Queued<ClaimedRow>): void {
    if (this.stopped) return; // the lease runs out and another instance (or the next start) sends them
    for (const row of queued.leased) {
      // After the answer: the request that queued the row is not kept waiting while the message is
      // built and handed to the provider (a decoy, which queues nothing, would answer sooner).
      const sending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.delivery.deliver(row)).finally(() => this.direct.delete(sending));
      this.direct.add(sending);
    }
    if (queued.others) this.kick();
  }

  /** Ask for a drain now (after a commit that queued); concurrent asks coalesce into one more pass. */
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
      this.metrics.outboxPending.set(await countUnsent(this.dataSource));
    } catch {
      // The gauge keeps its last value while the database is away.
    }
  }

  /**
   * Sends everything due now; returns how many messages went out. Claims CLAIM_BATCH rows, and
   * claims again whenever no more than REFILL_AT are still in flight (see outbox-delivery.ts): the
   * senders are never idle between claims, and an instance holds few rows at any time.
   */
  async drain(): Promise<number> {
    let sent = 0;
    let more = true;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      // A kick during the pass (a commit queued a message) claims at once, beside what is in flight.
      if ((more || this.again) && !this.stopped && inFlight.size <= REFILL_AT) {
        this.again = false;
        let rows;
        try {
          rows = await this.delivery.claim();
        } catch (err) {
          await Promise.all(inFlight); // settle what is in flight before reporting the failed pass
          throw err;
        }
        more = rows.length === CLAIM_BATCH;
        for (const row of rows) {
          const delivering: Promise<void> = this.delivery.deliver(row).then((ok) => {
            if (ok) sent += 1;
            // The account's next webhook waited for this one (order per account): claim again now
            // rather than at the next sweep.
            if (ok && row.channel === 'WEBHOOK') more = true;
            inFlight.delete(delivering);
          });
          inFlight.add(delivering);
        }
        continue;
      }
      if (inFlight.size === 0) return sent;
      await Promise.race(inFlight);
    }
  }
}
