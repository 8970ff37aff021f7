import type { PurgeBatch } from '@app/database';

/**
 * Retention (free of Nest, so the maintenance test runs it in-process): events that occurred
 * before `before` (SECURITY_EVENT_RETENTION_DAYS), oldest first.
 */
export const purgeOldEvents: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM security_events WHERE id IN (
         SELECT id FROM security_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
