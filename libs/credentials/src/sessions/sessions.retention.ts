import type { PurgeBatch } from '@app/database';

/**
 * Retention (free of Nest, so the maintenance test runs it in-process): sessions ended (sign-out,
 * revocation…) or expired, absolutely or idle, before `before`; refresh tokens go with them
 * (cascade).
 */
export const purgeEndedSessions: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM sessions WHERE id IN (
         SELECT id FROM sessions WHERE ended_at < $1 OR (ended_at IS NULL AND (expires_at < $1 OR idle_expires_at < $1))
          LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
