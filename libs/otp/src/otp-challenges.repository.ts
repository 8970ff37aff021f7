import type { EntityManager } from 'typeorm';
import type { PurgeBatch } from '@app/database';

// The erasure's and the retention job's SQL over `otp_challenges` (this library owns the table).
// Plain functions over the caller's manager or query function, free of Nest (type imports only
// from @app/database, whose index loads Nest): they hold no state, the standalone jobs need none
// of this library's providers, and the maintenance test runs them in-process (Jest cannot load
// Nest's ESM packages).

/** An account's challenge, and whether the erasure could lock it. */
export interface ChallengeLock {
  id: string;
  account_id: string;
  got: boolean;
}

/**
 * Every challenge of these accounts, each locked FOR UPDATE SKIP LOCKED when free (`got`): one
 * not got is held by a person's flow, and its account waits for the erasure's next pass. Call it
 * after the accounts are locked: a new challenge naming one of them needs a KEY SHARE lock on it
 * (the foreign key), so the list stays complete until commit.
 */
export function lockChallengesForErasure(accountIds: string[], manager: EntityManager): Promise<ChallengeLock[]> {
  if (accountIds.length === 0) return Promise.resolve([]);
  // A SELECT: the driver answers with the rows (queryRows is not imported here, see above).
  return manager.query<ChallengeLock[]>(
    `WITH mine AS MATERIALIZED (SELECT id, account_id FROM otp_challenges WHERE account_id = ANY($1::uuid[])),
          got AS (SELECT id FROM otp_challenges WHERE id IN (SELECT id FROM mine) FOR UPDATE SKIP LOCKED)
     SELECT m.id, m.account_id, m.id IN (SELECT id FROM got) AS got FROM mine m`,
    [accountIds],
  );
}

/**
 * The erasure's part here: every challenge (open or used: they carry the destination and the
 * name) of the accounts being erased, by the ids `lockChallengesForErasure` locked.
 */
export async function eraseChallenges(challengeIds: string[], manager: EntityManager): Promise<void> {
  if (challengeIds.length === 0) return;
  await manager.query(`DELETE FROM otp_challenges WHERE id = ANY($1::varchar[])`, [challengeIds]);
}

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
