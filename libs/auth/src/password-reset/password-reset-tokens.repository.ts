import type { EntityManager } from 'typeorm';
import type { PurgeBatch } from '@app/database';

// The erasure's and the retention job's SQL over `password_reset_tokens` (this library owns the
// table). Free of Nest, like the other owners' parts of the two jobs (otp-challenges.repository).

/** The erasure's part here: every reset token of the accounts being erased, used or not. */
export async function erasePasswordResetTokensFor(accountIds: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(`DELETE FROM password_reset_tokens WHERE account_id = ANY($1::uuid[])`, [accountIds]);
}

/** Retention: a reset token goes a while after it expires. */
export const purgeExpiredResetTokens: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM password_reset_tokens WHERE id IN (
         SELECT id FROM password_reset_tokens WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
