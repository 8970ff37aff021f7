import type { Locale } from '@app/core';
import type { DataSource, EntityManager } from 'typeorm';
import { prepared, queryRows, readRows, textArray } from '@app/database';
import type { IdentifierKind } from '@app/identifiers';

// The SQL over `accounts`, `profiles`, `account_settings` and `organizations` (this library owns
// the four; one repository for them, as sign-up and the erasure write them together in one
// statement each), and over its read model `account_identifiers` for `me` and the admin pages
// (the directory's search is account-directory.repository). Raw SQL for every statement on these
// tables (the TypeORM entities are gone): sign-up and `me` are measured hot paths, and one table
// is read or written one way only. Plain functions over the caller's manager (its transaction) or
// the data source: they hold no state, and the standalone deletion job needs none of this
// library's providers.

export type AccountStatusValue = 'ACTIVE' | 'DEACTIVATED' | 'BLOCKED' | 'PENDING_DELETION' | 'DELETED';
export type RoleValue = 'OWNER' | 'ADMIN' | 'EMPLOYEE' | 'CASHIER' | 'CUSTOMER';

/** An account as this library hands it out (never its password hash). */
export interface Account {
  id: string;
  organizationId: string | null;
  status: AccountStatusValue;
  roles: RoleValue[];
  merchantId: string | null;
  passwordChangedAt: Date | null;
  credentialVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns of `accounts` that raw SQL reads return (everything but the password hash). */
export const ACCOUNT_COLUMNS = [
  'id',
  'organization_id',
  'status',
  'roles',
  'merchant_id',
  'password_changed_at',
  'credential_version',
  'created_at',
  'updated_at',
];

/** A row of ACCOUNT_COLUMNS as node-postgres or PGlite hands it back. */
export interface AccountRow {
  id: string;
  organization_id: string | null;
  status: AccountStatusValue;
  roles: unknown;
  merchant_id: string | null;
  password_changed_at: Date | string | null;
  credential_version: number | string;
  created_at: Date | string;
  updated_at: Date | string;
}

export function accountFromRow(r: AccountRow): Account {
  return {
    id: r.id,
    organizationId: r.organization_id,
    status: r.status,
    roles: textArray(r.roles) as RoleValue[],
    merchantId: r.merchant_id,
    passwordChangedAt: r.password_changed_at === null ? null : new Date(r.password_changed_at),
    credentialVersion: Number(r.credential_version),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** What sign-up writes, in the order of the statement's parameters. */
export interface NewAccount {
  organizationName: string;
  roles: RoleValue[];
  passwordHash: string;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: Locale;
  timezone: string;
}

/** Organization, account, profile and settings in one statement (one round trip, not four). */
export async function createAccount(manager: EntityManager, a: NewAccount): Promise<Account> {
  const [row] = await queryRows<AccountRow>(
    manager,
    `WITH org AS (
           INSERT INTO organizations (name) VALUES ($1) RETURNING id
         ), account AS (
           INSERT INTO accounts (organization_id, status, roles, password_hash, password_changed_at, credential_version)
           SELECT id, 'ACTIVE', $2::varchar(20)[], $3, clock_timestamp(), 0 FROM org
           RETURNING ${ACCOUNT_COLUMNS.join(', ')}
         ), profile AS (
           INSERT INTO profiles (account_id, display_name, first_name, last_name) SELECT id, $4, $5, $6 FROM account
         ), settings AS (
           INSERT INTO account_settings (account_id, locale, timezone) SELECT id, $7, $8 FROM account
         )
         SELECT * FROM account`,
    [a.organizationName, a.roles, a.passwordHash, a.displayName, a.firstName, a.lastName, a.locale, a.timezone],
  );
  return accountFromRow(row);
}

export async function findAccount(db: DataSource | EntityManager, id: string): Promise<Account | null> {
  const [row]: AccountRow[] = await db.query(`SELECT ${ACCOUNT_COLUMNS.join(', ')} FROM accounts WHERE id = $1`, [id]);
  return row ? accountFromRow(row) : null;
}

/** An admin change to the account's status, roles, organization or merchant; `updated_at` moves with it. */
export async function updateAccount(
  db: DataSource | EntityManager,
  id: string,
  patch: { status?: AccountStatusValue; roles?: RoleValue[]; organizationId?: string; merchantId?: string | null },
): Promise<void> {
  const params: unknown[] = [id];
  const sets: string[] = [];
  if (patch.status !== undefined) sets.push(`status = $${params.push(patch.status)}`);
  if (patch.roles !== undefined) sets.push(`roles = $${params.push(patch.roles)}::varchar(20)[]`);
  if (patch.organizationId !== undefined) sets.push(`organization_id = $${params.push(patch.organizationId)}`);
  if (patch.merchantId !== undefined) sets.push(`merchant_id = $${params.push(patch.merchantId)}`);
  await db.query(`UPDATE accounts SET ${[...sets, 'updated_at = clock_timestamp()'].join(', ')} WHERE id = $1`, params);
}

/** The organization, held FOR KEY SHARE until commit (false: there is none). */
export async function shareOrganization(manager: EntityManager, organizationId: string): Promise<boolean> {
  const [org]: Array<{ id: string }> = await manager.query(`SELECT id FROM organizations WHERE id = $1 FOR KEY SHARE`, [organizationId]);
  return Boolean(org);
}

/** A self-service profile change (only the fields given). */
export async function updateProfile(
  db: DataSource | EntityManager,
  accountId: string,
  patch: { displayName?: string | null; firstName?: string | null; lastName?: string | null },
): Promise<void> {
  const params: unknown[] = [accountId];
  const sets: string[] = [];
  if (patch.displayName !== undefined) sets.push(`display_name = $${params.push(patch.displayName)}`);
  if (patch.firstName !== undefined) sets.push(`first_name = $${params.push(patch.firstName)}`);
  if (patch.lastName !== undefined) sets.push(`last_name = $${params.push(patch.lastName)}`);
  if (sets.length === 0) return;
  await db.query(`UPDATE profiles SET ${[...sets, 'updated_at = clock_timestamp()'].join(', ')} WHERE account_id = $1`, params);
}

/** A self-service settings change (only the fields given). */
export async function updateSettings(
  db: DataSource | EntityManager,
  accountId: string,
  patch: { locale?: Locale; timezone?: string; emailNotifications?: boolean; smsNotifications?: boolean },
): Promise<void> {
  const params: unknown[] = [accountId];
  const sets: string[] = [];
  if (patch.locale !== undefined) sets.push(`locale = $${params.push(patch.locale)}`);
  if (patch.timezone !== undefined) sets.push(`timezone = $${params.push(patch.timezone)}`);
  if (patch.emailNotifications !== undefined) sets.push(`email_notifications = $${params.push(patch.emailNotifications)}`);
  if (patch.smsNotifications !== undefined) sets.push(`sms_notifications = $${params.push(patch.smsNotifications)}`);
  if (sets.length === 0) return;
  await db.query(`UPDATE account_settings SET ${[...sets, 'updated_at = clock_timestamp()'].join(', ')} WHERE account_id = $1`, params);
}

/** After a profile or settings change. */
export async function touchAccount(db: DataSource | EntityManager, id: string): Promise<void> {
  await db.query(`UPDATE accounts SET updated_at = clock_timestamp() WHERE id = $1`, [id]);
}

export interface SettingsRow {
  account_id: string;
  locale: Locale;
  timezone: string;
  email_notifications: boolean;
  sms_notifications: boolean;
}

export function findSettings(db: DataSource | EntityManager, accountIds: readonly string[]): Promise<SettingsRow[]> {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db.query(`SELECT account_id, locale, timezone, email_notifications, sms_notifications FROM account_settings WHERE account_id = ANY($1::uuid[])`, [
    [...accountIds],
  ]);
}

export function findOrganizations(db: DataSource | EntityManager, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.query(`SELECT id, name FROM organizations WHERE id = ANY($1::uuid[])`, [[...ids]]);
}

/** One identifier of an account as the view `account_identifiers` gives it, raw. */
export interface AccountIdentifierRow {
  id: string;
  type: IdentifierKind;
  value: string;
  verified_at: Date | string | null;
  is_primary: boolean;
  created_at: Date | string;
}

export interface AccountDetailsRow {
  id: string;
  display_name: string | null;
  first_name: string | null;
  last_name: string | null;
  identifiers: AccountIdentifierRow[] | string;
}

/**
 * Profile and identifiers of each account in one round trip, straight on the driver's pool (nearly
 * every `me` and admin page). The identifiers through the read model accounts owns (view
 * account_identifiers): the identifiers library owns the table, this library its one-round-trip read of it.
 */
export function readDetails(db: DataSource, ids: readonly string[]): Promise<AccountDetailsRow[]> {
  return readRows<AccountDetailsRow>(
    db,
    prepared(`SELECT k.id, p.display_name, p.first_name, p.last_name,
              COALESCE((SELECT json_agg(json_build_object('id', i.id, 'type', i.type, 'value', i.value, 'verified_at', i.verified_at,
                                                          'is_primary', i.is_primary, 'created_at', i.created_at) ORDER BY i.created_at, i.id)
                          FROM account_identifiers i WHERE i.account_id = k.id), '[]'::json) AS identifiers
         FROM unnest($1::uuid[]) AS k(id) LEFT JOIN profiles p ON p.account_id = k.id`),
    [[...ids]],
  );
}

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
