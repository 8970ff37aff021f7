import type { Channel, Locale } from '@app/core';
import type { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement } from '@app/database';
import type { OtpPurpose } from './otp-challenge.model';

// The SQL over `otp_challenges` (this library owns the table), but the retention batches
// (otp-challenges.retention, free of Nest). Raw SQL: issuing and checking codes are measured hot
// paths (bench/statements.mjs). Plain functions over the caller's manager: they hold no state,
// every write runs in the caller's transaction, and the standalone deletion job needs none of
// this library's providers.

export interface ChallengeRow {
  id: string;
  purpose: OtpPurpose;
  channel: Channel;
  destination: string;
  destination_masked: string;
  account_id: string | null;
  subject: Record<string, unknown>;
  decoy: boolean;
  code_hash: string;
  status: 'OPEN' | 'CONSUMED' | 'SUPERSEDED' | 'DEAD';
  attempts_remaining: number;
  locale: Locale;
  recipient_name: string | null;
  expires_at: Date;
  resend_available_at: Date;
}

/** The challenge's part of a statement the outbox completes with the code's message (OutboxService.enqueueWith). */
export interface ChallengeStatement {
  ctes: string;
  params: unknown[];
  from: string;
}

const COLUMNS = `id, purpose, channel, destination, destination_masked, account_id, subject, decoy, code_hash, status, attempts_remaining, locale,
                 recipient_name, expires_at, resend_available_at`;

/** A new challenge's values, in the order of the INSERT's columns. */
export interface NewChallenge {
  id: string;
  purpose: OtpPurpose;
  channel: Channel;
  destination: string;
  accountId: string | null;
  subject: string;
  decoy: boolean;
  codeHash: string;
  attemptsRemaining: number;
  locale: Locale;
  recipientName: string | null;
  expiresAt: Date;
  resendAvailableAt: Date;
  maskedDestination: string;
}

/**
 * The CTEs that open a challenge (`challenge`, its row): the older open challenge of the account,
 * purpose and destination is superseded as the new one is inserted (the new row is not visible
 * to the UPDATE: both see the statement's snapshot).
 */
export function issueStatement(c: NewChallenge): ChallengeStatement {
  return {
    ctes: `superseded AS (
                 UPDATE otp_challenges SET status = 'SUPERSEDED'
                  WHERE status = 'OPEN' AND purpose = $2 AND destination = $4 AND account_id IS NOT DISTINCT FROM $5::uuid
               ),
               challenge AS (
                 INSERT INTO otp_challenges (id, purpose, channel, destination, account_id, subject, decoy, code_hash, attempts_remaining, locale,
                                             recipient_name, expires_at, resend_available_at, destination_masked)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 RETURNING ${COLUMNS}
               )`,
    params: [
      c.id,
      c.purpose,
      c.channel,
      c.destination,
      c.accountId,
      c.subject,
      c.decoy,
      c.codeHash,
      c.attemptsRemaining,
      c.locale,
      c.recipientName,
      c.expiresAt,
      c.resendAvailableAt,
      c.maskedDestination,
    ],
    from: 'challenge',
  };
}

/** The CTE that gives a challenge a new code (`challenge`, its row): attempts restored, one more send. */
export function resendStatement(id: string, codeHash: string, attemptsRemaining: number, expiresAt: Date, resendAvailableAt: Date): ChallengeStatement {
  return {
    ctes: `challenge AS (
                   UPDATE otp_challenges
                      SET code_hash = $2, attempts_remaining = $3, sends = sends + 1, expires_at = $4, resend_available_at = $5
                    WHERE id = $1 RETURNING ${COLUMNS}
                 )`,
    params: [id, codeHash, attemptsRemaining, expiresAt, resendAvailableAt],
    from: 'challenge',
  };
}

/** The newest open, unexpired challenge of this account, purpose and destination. */
export async function findOpenChallenge(
  db: DataSource | EntityManager,
  accountId: string,
  purpose: OtpPurpose,
  destination: string,
  now: Date,
): Promise<ChallengeRow | undefined> {
  const [row]: ChallengeRow[] = await db.query(
    `SELECT ${COLUMNS} FROM otp_challenges
        WHERE status = 'OPEN' AND account_id = $1 AND purpose = $2 AND destination = $3 AND expires_at > $4
        ORDER BY created_at DESC LIMIT 1`,
    [accountId, purpose, destination, now],
  );
  return row;
}

/** Channels of this account's challenges of `purpose` consumed since `since`. */
export async function consumedChannelsSince(db: DataSource | EntityManager, accountId: string, purpose: OtpPurpose, since: Date): Promise<Channel[]> {
  const rows: Array<{ channel: Channel }> = await db.query(
    `SELECT DISTINCT channel FROM otp_challenges WHERE account_id = $1 AND purpose = $2 AND status = 'CONSUMED' AND consumed_at >= $3`,
    [accountId, purpose, since],
  );
  return rows.map((r) => r.channel);
}

/** What a right code must match to be consumed: `consumeIfRight`. */
export interface ConsumeArgs {
  id: string;
  purpose: OtpPurpose;
  codeHash: string;
  now: Date;
  callerAccountId: string | null;
}

/**
 * The CTE `consumed` of a composed statement: consumes the challenge when it is OPEN with attempts
 * left, of `purpose`, not a decoy, not expired at `now`, bound to no account or the caller's, and
 * its stored hash is `codeHash` (row-locking: a concurrent right code waits and finds it
 * CONSUMED). Returns the CTE's name; its row is the challenge, as CONSUMED.
 */
export function consumeIfRightPart(s: ComposedStatement, a: ConsumeArgs): string {
  const caller = s.p(a.callerAccountId);
  return s.with(
    'consumed',
    `UPDATE otp_challenges SET status = 'CONSUMED', consumed_at = clock_timestamp()
        WHERE id = ${s.p(a.id)} AND purpose = ${s.p(a.purpose)} AND status = 'OPEN' AND attempts_remaining > 0 AND NOT decoy
          AND code_hash = ${s.p(a.codeHash)} AND expires_at > ${s.p(a.now)} AND (${caller}::uuid IS NULL OR account_id IS NULL OR account_id = ${caller}::uuid)
        RETURNING ${COLUMNS}`,
  );
}

/** `consumeIfRightPart` alone: the consumed row, or undefined. */
export async function consumeIfRight(manager: EntityManager, a: ConsumeArgs): Promise<ChallengeRow | undefined> {
  const s = new ComposedStatement();
  const [row] = await s.run<ChallengeRow>(manager, `SELECT * FROM ${consumeIfRightPart(s, a)}`);
  return row;
}

/** The challenge, locked FOR UPDATE until the caller's transaction ends. */
export async function lockChallenge(manager: EntityManager, id: string): Promise<ChallengeRow | undefined> {
  const [row]: ChallengeRow[] = await manager.query(`SELECT ${COLUMNS} FROM otp_challenges WHERE id = $1 FOR UPDATE`, [id]);
  return row;
}

/** A wrong code: the attempts left, and the status they leave (DEAD at none). */
export async function recordWrongCode(manager: EntityManager, id: string, remaining: number, status: 'OPEN' | 'DEAD'): Promise<void> {
  await manager.query(`UPDATE otp_challenges SET attempts_remaining = $2, status = $3 WHERE id = $1`, [id, remaining, status]);
}

/** Supersedes the account's open challenges of these purposes. */
export async function killOpenChallenges(manager: EntityManager, accountId: string, purposes: OtpPurpose[]): Promise<void> {
  await manager.query(`UPDATE otp_challenges SET status = 'SUPERSEDED' WHERE account_id = $1 AND status = 'OPEN' AND purpose = ANY($2)`, [accountId, purposes]);
}

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
  // A SELECT: the driver answers with the rows.
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
