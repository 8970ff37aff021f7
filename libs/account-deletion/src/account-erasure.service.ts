import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryRows } from '@app/database';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

/** A due request whose row the caller has locked. */
export interface DueRequest {
  id: string;
  account_id: string;
}

export interface BatchErasure {
  /** Requests whose accounts are erased (in the caller's transaction). */
  erased: DueRequest[];
  /** Requests whose accounts a person's flow holds right now: untouched, left for the next pass. */
  busy: DueRequest[];
}

/**
 * Erases accounts inside the caller's transaction (contract: Account deletion): each row stays
 * as a DELETED tombstone without personal data; everything else that names the person goes.
 * Every table that holds personal data keyed by account belongs in `eraseBatch` (the tombstone
 * e2e test reads every column of every table to prove it).
 *
 * Set-based: three statements for a whole batch (lock, challenges, erase), so the cost per account is the rows
 * it touches, not a dozen round trips.
 */
@Injectable()
export class AccountErasureService {
  constructor(private readonly events: SecurityEventsService) {}

  /**
   * The request rows are already locked by the caller. Rows user flows may hold (the account,
   * its challenges) are taken SKIP LOCKED: the job never waits for a person, so a cancellation
   * in flight can never deadlock with it; an account with any such row held elsewhere is left
   * whole for the next pass (`busy`), and the rest of the batch goes on.
   */
  async eraseBatch(manager: EntityManager, due: DueRequest[]): Promise<BatchErasure> {
    if (due.length === 0) return { erased: [], busy: [] };
    const accounts = await queryRows<{ id: string; organization_id: string | null }>(
      manager,
      `SELECT id, organization_id FROM accounts WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`,
      [due.map((d) => d.account_id)],
    );
    // Read after the accounts are locked: a new challenge naming one of them needs a KEY SHARE
    // lock on it (the foreign key), so this list stays complete until we commit and the erasure
    // can delete by id. One pass over otp_challenges for the batch: it has no index on
    // account_id alone (its partial index covers OPEN challenges only).
    const challenges = await queryRows<{ id: string; account_id: string; got: boolean }>(
      manager,
      `WITH mine AS MATERIALIZED (SELECT id, account_id FROM otp_challenges WHERE account_id = ANY($1::uuid[])),
            got AS (SELECT id FROM otp_challenges WHERE id IN (SELECT id FROM mine) FOR UPDATE SKIP LOCKED)
       SELECT m.id, m.account_id, m.id IN (SELECT id FROM got) AS got FROM mine m`,
      [accounts.map((a) => a.id)],
    );
    // A challenge we could not lock: a person's flow holds it, the account waits for the next pass.
    const held = new Set(challenges.filter((c) => !c.got).map((c) => c.account_id));
    const free = new Set(accounts.filter((a) => !held.has(a.id)).map((a) => a.id));
    const erased = due.filter((d) => free.has(d.account_id));
    const busy = due.filter((d) => !free.has(d.account_id));
    if (erased.length === 0) return { erased, busy };
    const challengeIds = challenges.filter((c) => free.has(c.account_id)).map((c) => c.id);
    const organizations = [...new Set(accounts.filter((a) => free.has(a.id) && a.organization_id).map((a) => a.organization_id as string))];
    // One statement: every sub-statement sees the batch as it was before (identifiers' values for
    // the unsent messages, other members of an organization), none sees another's changes.
    await manager.query(
      `WITH
         -- Every challenge (open or used: they carry the destination and the name) and every
         -- message to the person: unsent ones must never go out, sent ones are copies of personal data.
         challenges AS (DELETE FROM otp_challenges WHERE id = ANY($4::varchar[])),
         -- Webhooks stay: they name the account by id only, and downstream services must still hear
         -- what happened before, in order, then account.deleted.
         messages AS (DELETE FROM outbox_messages WHERE account_id = ANY($1::uuid[]) AND channel <> 'WEBHOOK'),
         unsent AS (DELETE FROM outbox_messages WHERE account_id IS NULL AND status IN ('PENDING', 'SENDING')
                      AND destination IN (SELECT value FROM identifiers WHERE account_id = ANY($1::uuid[]) AND type IN ('EMAIL', 'PHONE'))),
         -- Identifiers go: their values are free for anyone to register again.
         identifiers_ AS (DELETE FROM identifiers WHERE account_id = ANY($1::uuid[])),
         tokens AS (DELETE FROM password_reset_tokens WHERE account_id = ANY($1::uuid[])),
         sessions_ AS (DELETE FROM sessions WHERE account_id = ANY($1::uuid[])),
         -- Second factor: the sealed TOTP secret, recovery codes, pending enrollments, tickets.
         factors AS (DELETE FROM second_factors WHERE account_id = ANY($1::uuid[])),
         enrollments AS (DELETE FROM totp_enrollments WHERE account_id = ANY($1::uuid[])),
         recovery AS (DELETE FROM recovery_codes WHERE account_id = ANY($1::uuid[])),
         tickets AS (DELETE FROM sign_in_tickets WHERE account_id = ANY($1::uuid[])),
         profiles_ AS (DELETE FROM profiles WHERE account_id = ANY($1::uuid[])),
         settings AS (DELETE FROM account_settings WHERE account_id = ANY($1::uuid[])),
         tombstones AS (
           UPDATE accounts
              SET status = 'DELETED', roles = '{}', merchant_id = NULL, organization_id = NULL, password_hash = NULL,
                  password_changed_at = NULL, credential_version = credential_version + 1, updated_at = clock_timestamp()
            WHERE id = ANY($1::uuid[])),
         organizations_ AS (
           DELETE FROM organizations o
            WHERE o.id = ANY($3::uuid[])
              AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id AND a.id <> ALL($1::uuid[]))),
         -- Earlier (cancelled) requests' reasons too: free text is personal data.
         reasons AS (
           UPDATE account_deletion_requests SET reason = NULL
            WHERE account_id = ANY($1::uuid[]) AND reason IS NOT NULL AND id <> ALL($2::uuid[])),
         completed AS (
           UPDATE account_deletion_requests SET status = 'COMPLETED', completed_at = clock_timestamp(), reason = NULL, challenge_id = NULL
            WHERE id = ANY($2::uuid[]))
       SELECT 1`,
      [erased.map((d) => d.account_id), erased.map((d) => d.id), organizations, challengeIds],
    );
    // Events stay with their types and times; what they say about the person goes. Then the
    // erasure's own event (and, through it, the account.deleted webhook).
    await this.events.anonymizeFor(
      manager,
      erased.map((d) => d.account_id),
    );
    await this.events.recordMany(
      manager,
      erased.map((d) => ({ type: SecurityEventType.ACCOUNT_ERASED, accountId: d.account_id, withClient: false })),
    );
    return { erased, busy };
  }
}
