import type { EntityManager } from 'typeorm';
import type { PurgeBatch } from '@app/database';

// The erasure's and the retention job's SQL over `outbox_messages` (this library owns the table).
// Free of Nest, like the other owners' parts of the two jobs (otp-challenges.repository).

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
