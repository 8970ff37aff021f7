import type { PurgeBatch } from '@app/database';

// The retention job's SQL over `otp_challenges` (this library owns the table; the rest of its SQL
// is otp-challenges.repository). Free of Nest (type imports only from @app/database, whose index
// loads Nest): the maintenance test runs these in-process (Jest cannot load Nest's ESM packages).

/** Retention: an expired OPEN code's hash (the other ends clear it by trigger, migration WebhooksAndRetention). */
export const purgeExpiredCodeHashes: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `UPDATE otp_challenges SET code_hash = NULL WHERE id IN (
         SELECT id FROM otp_challenges WHERE status = 'OPEN' AND expires_at < $1 AND code_hash IS NOT NULL LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;

/** Retention: a challenge ends at the latest when it expires (consumed / superseded / dead ones earlier). */
export const purgeEndedChallenges: PurgeBatch = async (q, before, batch) =>
  (
    await q<{ id: string }>(
      `DELETE FROM otp_challenges WHERE id IN (
         SELECT id FROM otp_challenges WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [before, batch],
    )
  ).length;
