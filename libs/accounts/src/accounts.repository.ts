import type { EntityManager } from 'typeorm';
import { queryRows } from '@app/database';

// SQL over `accounts`, `profiles`, `account_settings` and `organizations` that other libraries'
// flows and jobs need inside their own transactions (the deletion request and cancellation, the
// erasure). Plain functions over the caller's manager: they hold no state, and the standalone
// deletion job needs none of this library's providers (resolvers, sign-up, admin bootstrap).

/** An account the erasure locked. */
export interface LockedAccount {
  id: string;
  organization_id: string | null;
}

/**
 * The accounts of an erasure batch that no person's flow holds right now (FOR UPDATE SKIP LOCKED:
 * the job never waits for a person, so a cancellation in flight never deadlocks with it).
 */
export function lockAccountsForErasure(accountIds: string[], manager: EntityManager): Promise<LockedAccount[]> {
  if (accountIds.length === 0) return Promise.resolve([]);
  return queryRows<LockedAccount>(manager, `SELECT id, organization_id FROM accounts WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`, [accountIds]);
}

/**
 * The erasure's part here, in one statement for the batch: profiles and settings go, each
 * account stays as a DELETED tombstone without personal data (a new credential version refuses
 * every token issued before), and an organization goes with its last member. Every
 * sub-statement sees the rows as they were before, so "another member" means one outside the batch.
 */
export async function eraseAccountsFor(accountIds: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(
    `WITH
       batch AS MATERIALIZED (SELECT id, organization_id FROM accounts WHERE id = ANY($1::uuid[])),
       profiles_ AS (DELETE FROM profiles WHERE account_id = ANY($1::uuid[])),
       settings AS (DELETE FROM account_settings WHERE account_id = ANY($1::uuid[])),
       tombstones AS (
         UPDATE accounts
            SET status = 'DELETED', roles = '{}', merchant_id = NULL, organization_id = NULL, password_hash = NULL,
                password_changed_at = NULL, credential_version = credential_version + 1, updated_at = clock_timestamp()
          WHERE id = ANY($1::uuid[])),
       organizations_ AS (
         DELETE FROM organizations o
          WHERE o.id IN (SELECT organization_id FROM batch WHERE organization_id IS NOT NULL)
            AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id AND a.id <> ALL($1::uuid[])))
     SELECT 1`,
    [accountIds],
  );
}

/**
 * A confirmed deletion: ACTIVE → PENDING_DELETION, and a new credential version (tokens issued
 * before stay refused even if the deletion is cancelled later). False when the account was not ACTIVE.
 */
export async function markPendingDeletion(accountId: string, manager: EntityManager): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    manager,
    `UPDATE accounts SET status = 'PENDING_DELETION', credential_version = credential_version + 1, updated_at = clock_timestamp()
      WHERE id = $1 AND status = 'ACTIVE' RETURNING id`,
    [accountId],
  );
  return rows.length > 0;
}

/** A cancelled deletion: PENDING_DELETION → ACTIVE. False when the account was not pending deletion. */
export async function reactivatePendingDeletion(accountId: string, manager: EntityManager): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    manager,
    `UPDATE accounts SET status = 'ACTIVE', updated_at = clock_timestamp() WHERE id = $1 AND status = 'PENDING_DELETION' RETURNING id`,
    [accountId],
  );
  return rows.length > 0;
}

/**
 * Whether the account is pending deletion, holding FOR KEY SHARE on its row until commit: the
 * erasure takes it FOR UPDATE SKIP LOCKED, so it leaves the account for its next pass meanwhile.
 */
export async function sharePendingDeletion(accountId: string, manager: EntityManager): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(manager, `SELECT id FROM accounts WHERE id = $1 AND status = 'PENDING_DELETION' FOR KEY SHARE`, [accountId]);
  return rows.length > 0;
}

/** The account's time zone setting (null without settings). */
export async function timezoneOf(accountId: string, manager: EntityManager): Promise<string | null> {
  const [row] = await queryRows<{ timezone: string | null }>(manager, `SELECT timezone FROM account_settings WHERE account_id = $1`, [accountId]);
  return row?.timezone ?? null;
}
