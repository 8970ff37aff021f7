import type { Channel, Locale } from '@app/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { PurgeBatch, RowsQuery } from '@app/database';
// The one value import from the database library, by path: its index loads Nest (see below).
import { prepared } from '../../database/src/sql';

// The SQL over `outbox_messages` (this library owns the table): every statement on it, the
// outbox's and the webhook outbox's writes, the delivery's lifecycle, the erasure and retention.
// Raw SQL: queueing and sending are measured hot paths (bench/statements.mjs). Free of Nest (type
// imports only): the delivery's unit test and the maintenance test run it in-process (Jest cannot
// load Nest's ESM packages), so the delivery's statements take a `RowsQuery` and the rest the
// caller's manager (its transaction).

/** A row as the claim (or a write already leased, OutboxService.enqueueWith) hands it to the delivery. */
export interface ClaimedRow {
  id: string;
  channel: Channel | 'WEBHOOK';
  destination: string;
  subject: string | null;
  body_html: string | null;
  body_text: string | null;
  template_key: string;
  locale: Locale;
  expires_at: Date | string | null;
  created_at: Date | string;
  attempts: number;
}

/** The values of a message row, in the order of its INSERT's columns. */
export type MessageValues = [
  accountId: string | null,
  challengeId: string | null,
  channel: string,
  destination: string,
  templateKey: string,
  locale: string,
  subject: string | null,
  bodyHtml: string | null,
  bodyText: string,
  expiresAt: Date | null,
];

/** Queues a message (PENDING: the dispatcher claims it). */
export async function insertMessage(manager: EntityManager, values: MessageValues): Promise<void> {
  await manager.query(
    `INSERT INTO outbox_messages (account_id, challenge_id, channel, destination, template_key, locale, subject, body_html, body_text, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    values,
  );
}

/**
 * The caller's CTEs (`parent`, its own tables only; `from` returns one row) and the message row in
 * one statement: the message is written already leased (SENDING, attempt 1, until `leaseUntil`),
 * and only when `send`. Returns the `from` row with the message's id and created_at (null when
 * none was written).
 */
export async function insertLeasedMessageWith<T>(
  manager: EntityManager,
  parent: { ctes: string; params: unknown[]; from: string },
  values: MessageValues,
  leaseUntil: Date,
  send: boolean,
): Promise<(T & { outbox_id: string | null; outbox_created_at: Date | string | null }) | undefined> {
  const at = (i: number) => `$${parent.params.length + i}`;
  const [row]: Array<T & { outbox_id: string | null; outbox_created_at: Date | string | null }> = await manager.query(
    prepared(`WITH ${parent.ctes},
       message AS (
         INSERT INTO outbox_messages (account_id, challenge_id, channel, destination, template_key, locale, subject, body_html, body_text, expires_at,
                                      status, attempts, lease_until)
         SELECT ${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(at).join(', ')}, 'SENDING', 1, ${at(11)} FROM ${parent.from} WHERE ${at(12)}::boolean
         RETURNING id, created_at
       )
       SELECT f.*, message.id AS outbox_id, message.created_at AS outbox_created_at FROM ${parent.from} f LEFT JOIN message ON true`),
    [...parent.params, ...values, leaseUntil, send],
  );
  return row;
}

/** Queues a webhook (its body fixed now; the sender signs each attempt). */
export async function insertWebhook(manager: EntityManager, accountId: string | null, type: string, body: string): Promise<void> {
  await manager.query(
    `INSERT INTO outbox_messages (account_id, channel, destination, template_key, locale, body_text) VALUES ($1, 'WEBHOOK', 'webhook', $2, 'en', $3)`,
    [accountId, type, body],
  );
}

/** How many messages wait to be sent (gatehouse_outbox_pending). */
export async function countUnsent(db: DataSource): Promise<number> {
  const [row]: Array<{ n: string }> = await db.query(`SELECT count(*) AS n FROM outbox_messages WHERE status IN ('PENDING', 'SENDING')`);
  return Number(row?.n ?? 0);
}

/**
 * Claims up to `batch` due rows, FOR UPDATE SKIP LOCKED, leased until `leaseUntil` (attempts + 1:
 * the lease token). A webhook waits while an earlier webhook of its account (lower seq) is
 * PENDING or SENDING.
 */
export function claimDueMessages(q: RowsQuery, now: Date, leaseUntil: Date, batch: number): Promise<ClaimedRow[]> {
  return q<ClaimedRow>(
    `UPDATE outbox_messages SET status = 'SENDING', lease_until = $2, attempts = attempts + 1
        WHERE id IN (
          SELECT o.id FROM outbox_messages o
           WHERE ((o.status = 'PENDING' AND o.next_attempt_at <= $1) OR (o.status = 'SENDING' AND o.lease_until < $1))
             AND NOT (o.channel = 'WEBHOOK' AND o.account_id IS NOT NULL AND EXISTS (
                   SELECT 1 FROM outbox_messages e
                    WHERE e.channel = 'WEBHOOK' AND e.account_id = o.account_id AND e.seq < o.seq AND e.status IN ('PENDING', 'SENDING')))
           ORDER BY o.next_attempt_at
           LIMIT ${batch}
           FOR UPDATE OF o SKIP LOCKED)
        RETURNING id, channel, destination, subject, body_html, body_text, template_key, locale, expires_at, created_at, attempts`,
    [now, leaseUntil],
  );
}

/** A code that expired before it could be sent: DROPPED, its text wiped, iff the row is still ours. */
export async function dropExpiredMessage(q: RowsQuery, id: string, attempts: number): Promise<void> {
  await q(
    `UPDATE outbox_messages
            SET status = 'DROPPED', lease_until = NULL, last_error = 'code expired before it could be sent',
                body_html = CASE WHEN challenge_id IS NULL THEN body_html END,
                body_text = CASE WHEN challenge_id IS NULL THEN body_text END
          WHERE id = $1 AND status = 'SENDING' AND attempts = $2`,
    [id, attempts],
  );
}

/**
 * The commit point of several rows at once: SENT and the body gone, for each row still ours (its
 * lease token `attempts` unchanged). The ids of the rows marked; a row left out lost its lease.
 */
export async function markMessagesSent(q: RowsQuery, rows: ReadonlyArray<{ id: string; attempts: number }>): Promise<Set<string>> {
  const updated = await q<{ id: string }>(
    prepared(`UPDATE outbox_messages o
          SET status = 'SENT', sent_at = clock_timestamp(), lease_until = NULL, last_error = NULL,
              body_html = NULL, body_text = NULL
         FROM unnest($1::uuid[], $2::int[]) AS ours (id, attempts)
        WHERE o.id = ours.id AND o.status = 'SENDING' AND o.attempts = ours.attempts
        RETURNING o.id`),
    [rows.map((r) => r.id), rows.map((r) => r.attempts)],
  );
  return new Set(updated.map((r) => r.id));
}

/** Back to `status` (PENDING, or FAILED) at `nextAttemptAt`, the body restored from the claimed row. */
export async function retryMessageLater(q: RowsQuery, row: ClaimedRow, status: 'PENDING' | 'FAILED', nextAttemptAt: Date, reason: string): Promise<void> {
  await q(
    `UPDATE outbox_messages
          SET status = $3, next_attempt_at = $4, lease_until = NULL, last_error = $5, sent_at = NULL,
              body_html = COALESCE(body_html, $6), body_text = COALESCE(body_text, $7)
        WHERE id = $1 AND attempts = $2 AND status IN ('SENDING', 'SENT')`,
    [row.id, row.attempts, status, nextAttemptAt, reason, row.body_html, row.body_text],
  );
}

/**
 * The erasure's part here: every message to the person (unsent ones must never go out, sent ones
 * are copies of personal data), and unsent messages with no account yet addressed to one of
 * their `contacts` (their emails and phones, which the identifiers library hands over as it
 * erases them). Webhooks stay: they name the account by id only, and downstream services must
 * still hear what happened before, in order, then account.deleted.
 */
export async function eraseMessagesFor(accountIds: string[], contacts: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(
    `DELETE FROM outbox_messages
      WHERE (account_id = ANY($1::uuid[]) AND channel <> 'WEBHOOK')
         OR (account_id IS NULL AND status IN ('PENDING', 'SENDING') AND destination = ANY($2::varchar[]))`,
    [accountIds, contacts],
  );
}

/** Retention: delivered (or given-up) messages queued before `before`. */
export const purgeDeliveredMessages: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM outbox_messages WHERE id IN (
         SELECT id FROM outbox_messages WHERE status IN ('SENT', 'FAILED', 'DROPPED') AND created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
