import type { PurgeBatch } from '@app/database';

/**
 * Retention (free of Nest, so the maintenance test runs it in-process): a reset token goes a
 * while after it expires. The table's other SQL is password-reset-tokens.repository.
 */
export const purgeExpiredResetTokens: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM password_reset_tokens WHERE id IN (
         SELECT id FROM password_reset_tokens WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
