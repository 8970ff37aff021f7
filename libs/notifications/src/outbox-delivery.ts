import { ClaimedRow, claimDueMessages, dropExpiredMessage, markMessagesSent, retryMessageLater } from './outbox-messages.repository';
import { CommitPoint, EmailSender, NoWebhookSender, OutgoingMessage, SmsSender, WebhookSender } from './senders/message-sender';

/*
 * The outbox's row lifecycle (contract: Delivery), kept free of Nest so a unit test can drive it
 * against a real database with a stand-in sender; OutboxDispatcher schedules it.
 *
 *   PENDING ──claim──▶ SENDING (lease, attempts + 1) ──commit point──▶ SENT ──provider accepts──▶ done
 *      ▲                   │ failure before the commit                 │ failure after the commit
 *      └───── back-off ────┴───────────────────────────────────────────┘ (body restored)
 *
 * `attempts`, as the claim returned it, is the lease token: every later write to the row says
 * `AND attempts = <ours>`, so an instance whose lease ran out and was taken over (the taker added
 * one) can neither mark the row sent nor put it back, and its transfer is aborted before the
 * provider could accept it.
 */

/** What the dispatcher learns of each attempt (gatehouse_outbox_deliveries_total). */
export type DeliveryResult = 'sent' | 'retried' | 'failed' | 'dropped';
export type DeliveryObserver = (kind: 'email' | 'sms' | 'webhook', result: DeliveryResult) => void;

/** Runs one statement and returns its rows (RETURNING rows for an UPDATE). */
export type RowsQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/*
 * How many rows an instance holds, and for how long. Rows an instance claimed wait for their lease
 * to end when it dies, so it claims little at a time: CLAIM_BATCH rows, and again as soon as no
 * more than REFILL_AT are still in flight (OutboxDispatcher.drain). REFILL_AT is the SMTP pool's
 * size (5 connections), so the pool always has the next message queued while a claim is under way
 * and never runs dry between claims (the claim is a round trip): a dead instance strands at most
 * CLAIM_BATCH + REFILL_AT = 15 rows (50 when a pass was a batch of 50 sent in full before the next
 * claim). 15 in flight is also the SMS webhook's concurrency per instance (150 SMS/s at 100 ms per
 * request).
 *
 * The lease covers a row from its claim to its commit point: a couple of messages queued ahead of it
 * in the pool, then its own transaction, bounded by the 5 s connection and greeting and 15 s socket
 * timeouts. A lease that runs out on a row still in flight costs a wasted transfer, never a
 * duplicate (the lease token stops the late commit), so it is kept short: it is how long a dead
 * instance's rows wait before another instance sends them.
 */
export const CLAIM_BATCH = 10;
export const REFILL_AT = 5;
export const LEASE_MS = 30_000;
/**
 * The longest the dispatcher waits for one delivery: the lease, after which the row is another
 * claim's anyway. Every sender has a shorter deadline of its own (SMTP 20 s, SMS 5 s, webhook
 * 10 s); this one holds whatever a sender misses.
 */
const DELIVERY_DEADLINE_MS = LEASE_MS;
export const MAX_ATTEMPTS = 15;
/** Webhooks are retried for at least this long (contract: Webhooks), with back-off capped at WEBHOOK_BACKOFF_CAP_MS. */
export const WEBHOOK_RETRY_MS = 25 * 3600_000;
export const WEBHOOK_BACKOFF_CAP_MS = 600_000;

/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

class LeaseLostError extends Error {
  constructor(row: ClaimedRow) {
    super(`outbox row ${row.id} (attempt ${row.attempts}) was taken over by another instance before it could be sent`);
  }
}

/**
 * Commit points in groups (issue 21): one that arrives while none is being written is written at
 * once, alone; those that arrive while one is being written wait for it and then go together, in
 * one statement. No wait when idle, one statement for many under load; each row is still marked
 * only while its lease is ours.
 */
class CommitPoints {
  private waiting: Array<{ row: ClaimedRow; done: (ours: boolean) => void; failed: (err: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly rows: RowsQuery) {}

  /** true: the row is SENT; false: its lease was lost. */
  mark(row: ClaimedRow): Promise<boolean> {
    return new Promise<boolean>((done, failed) => {
      this.waiting.push({ row, done, failed });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, 100);
      try {
        const ours = await markMessagesSent(
          this.rows,
          group.map((g) => g.row),
        );
        for (const g of group) g.done(ours.has(g.row.id));
      } catch (err) {
        // The statement's outcome is unknown to every row of the group, as it would be to one alone.
        for (const g of group) g.failed(err);
      }
    }
    this.writing = false;
  }
}

export class OutboxDelivery {
  private readonly commitPoints: CommitPoints;

  constructor(
    private readonly rows: RowsQuery,
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly warn: (message: string) => void,
    private readonly webhook: WebhookSender = new NoWebhookSender(),
    private readonly observe: DeliveryObserver = () => undefined,
    private readonly deadlineMs = DELIVERY_DEADLINE_MS,
  ) {
    this.commitPoints = new CommitPoints(rows);
  }

  /**
   * Due rows, FOR UPDATE SKIP LOCKED. A webhook waits while an earlier webhook of its account
   * (lower seq) is PENDING or SENDING, so an account's webhooks arrive in order even across
   * retries and instances (the earlier row, locked by another claim, is still SENDING or PENDING
   * in this snapshot, never gone).
   */
  async claim(now = new Date()): Promise<ClaimedRow[]> {
    return claimDueMessages(this.rows, now, new Date(now.getTime() + LEASE_MS), CLAIM_BATCH);
  }

  /**
   * Sends one claimed row; true when the provider accepted it. Never throws, and never takes
   * longer than the deadline: a sender that does not answer must not hold the dispatcher's pass
   * (and with it every later claim of this instance). Past the deadline the attempt goes on
   * unawaited; its lease token still decides what it may write, and the row comes back to a
   * claim when its lease ends.
   */
  async deliver(row: ClaimedRow): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        this.warn(`${row.channel} ${row.template_key} delivery attempt ${row.attempts}: no answer after ${this.deadlineMs} ms, left to its lease`);
        resolve(false);
      }, this.deadlineMs);
    });
    try {
      return await Promise.race([this.settle(row), gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async settle(row: ClaimedRow): Promise<boolean> {
    try {
      const sent = await this.attempt(row);
      if (sent) this.observe(kindOf(row), 'sent');
      return sent;
    } catch (err) {
      // The database went away while the row was being settled: the lease brings it back.
      this.warn(`${row.channel} ${row.template_key} delivery attempt ${row.attempts} could not be recorded: ${(err as Error)?.message ?? err}`);
      return false;
    }
  }

  private async attempt(row: ClaimedRow): Promise<boolean> {
    if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()) {
      await dropExpiredMessage(this.rows, row.id, row.attempts);
      this.observe(kindOf(row), 'dropped');
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
    let committing: Promise<void> | undefined;
    const commit: CommitPoint = () => (committing ??= this.markSent(row));
    try {
      await this.senderFor(row).send(message, commit);
      // A sender that resolved without committing still delivered: record it as before the commit point existed.
      await commit();
      return true;
    } catch (err) {
      // A send can fail while its commit is still running (a timeout): settle that first, so the
      // write below sees the row as the commit left it.
      const committed = await committing?.then(
        () => true as const,
        (e: unknown) => (e instanceof LeaseLostError ? e : 'unknown'),
      );
      if (committed instanceof LeaseLostError) {
        this.warn(committed.message);
        return false;
      }
      await this.retryLater(row, err, committed);
      return false;
    }
  }

  private senderFor(row: ClaimedRow): EmailSender | SmsSender | WebhookSender {
    return row.channel === 'EMAIL' ? this.email : row.channel === 'SMS' ? this.sms : this.webhook;
  }

  /**
   * The commit point: SENT, and the body gone (contract: Retention: a delivered row keeps no
   * copy of what it said; a failure after this point restores it from the claimed row), iff the
   * row is still ours.
   */
  private async markSent(row: ClaimedRow): Promise<void> {
    if (!(await this.commitPoints.mark(row))) throw new LeaseLostError(row);
  }

  /**
   * The provider did not accept the message: back to PENDING with back-off (FAILED after
   * MAX_ATTEMPTS, also when it is refused after the commit every time). The row may be SENDING
   * (failed before the commit), SENT (after it: refused after the end of data, or the connection
   * lost before the answer) or either (the commit's own outcome unknown); a code's text wiped by
   * the commit comes back from the row claimed.
   */
  private async retryLater(row: ClaimedRow, err: unknown, committed: true | 'unknown' | undefined): Promise<void> {
    const reason = String((err as Error)?.message ?? err).slice(0, 500);
    const webhook = row.channel === 'WEBHOOK';
    // Mail and SMS give up after MAX_ATTEMPTS; a webhook only once it has been retried for a day.
    const failed = webhook ? Date.now() - new Date(row.created_at).getTime() >= WEBHOOK_RETRY_MS : row.attempts >= MAX_ATTEMPTS;
    const delay = webhook ? Math.min(WEBHOOK_BACKOFF_CAP_MS, backoffMs(row.attempts)) : backoffMs(row.attempts);
    await retryMessageLater(this.rows, row, failed ? 'FAILED' : 'PENDING', new Date(Date.now() + delay), reason);
    this.observe(kindOf(row), failed ? 'failed' : 'retried');
    const when = committed === true ? ' after its commit point' : committed === 'unknown' ? ' (its commit failed)' : '';
    this.warn(`${row.channel} ${row.template_key} delivery attempt ${row.attempts} failed${when}: ${reason}`);
  }
}

function kindOf(row: ClaimedRow): 'email' | 'sms' | 'webhook' {
  return row.channel === 'EMAIL' ? 'email' : row.channel === 'SMS' ? 'sms' : 'webhook';
}
