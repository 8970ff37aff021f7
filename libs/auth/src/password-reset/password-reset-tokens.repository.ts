import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '@app/database';

// The SQL over `password_reset_tokens` (this library owns the table; raw SQL, the reset is one
// of the measured flows), but the retention batch (password-reset-tokens.retention, free of
// Nest). Plain functions over the caller's manager: each runs in the caller's transaction, and
// the erasure's part needs none of this library's providers.

/** A single-use reset token, stored only as its hash. */
export async function insertResetToken(manager: EntityManager, accountId: string, tokenHash: string, expiresAt: Date): Promise<void> {
  await manager.query(`INSERT INTO password_reset_tokens (account_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [accountId, tokenHash, expiresAt]);
}

/** The account of an unused, unexpired token (null when there is none). */
export async function findOpenResetToken(db: DataSource | EntityManager, tokenHash: string, now: Date): Promise<{ account_id: string } | null> {
  const [open] = await queryRows<{ account_id: string }>(
    db,
    `SELECT account_id FROM password_reset_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
    [tokenHash, now],
  );
  return open ?? null;
}

/** Uses the token up; false when it was used, or expired, meanwhile. */
export async function useResetToken(manager: EntityManager, tokenHash: string, now: Date): Promise<boolean> {
  const used = await queryRows<{ account_id: string }>(
    manager,
    `UPDATE password_reset_tokens SET used_at = clock_timestamp()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id`,
    [tokenHash, now],
  );
  return used.length > 0;
}

/** Every unused reset token of the account dies (a password change or reset). */
export async function killOpenResetTokens(manager: EntityManager, accountId: string): Promise<void> {
  await manager.query(`UPDATE password_reset_tokens SET used_at = clock_timestamp() WHERE account_id = $1 AND used_at IS NULL`, [accountId]);
}

/** The erasure's part here: every reset token of the accounts being erased, used or not. */
export async function erasePasswordResetTokensFor(accountIds: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(`DELETE FROM password_reset_tokens WHERE account_id = ANY($1::uuid[])`, [accountIds]);
}
