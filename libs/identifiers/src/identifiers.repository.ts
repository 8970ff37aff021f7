import type { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement, prepared, queryRows, readRows } from '@app/database';
import type { IdentifierKind } from './identifier-normalizer';

// The SQL over `identifiers` (this library owns the table). Raw SQL for every statement on it
// (the TypeORM entity is gone): sign-in, `me` and the admin pages read it on measured hot paths,
// and one table is read or written one way only. Plain functions over the caller's manager (its
// transaction) or the data source: the standalone deletion job needs none of this library's providers.

/** An identifier as this library hands it out. */
export interface Identifier {
  id: string;
  accountId: string;
  type: IdentifierKind;
  /** Normalized value: lower-case username / email, E.164 phone. */
  value: string;
  verifiedAt: Date | null;
  isPrimary: boolean;
  createdAt: Date;
}

/** A row of `identifiers` as SQL returns it. */
interface IdentifierRow {
  id: string;
  account_id: string;
  type: string;
  value: string;
  verified_at: Date | string | null;
  is_primary: boolean;
  created_at: Date | string;
}

const IDENTIFIER_COLUMNS = 'id, account_id, type, value, verified_at, is_primary, created_at';

function identifierFromRow(r: IdentifierRow): Identifier {
  return {
    id: r.id,
    accountId: r.account_id,
    type: r.type as IdentifierKind,
    value: r.value,
    verifiedAt: r.verified_at === null ? null : new Date(r.verified_at),
    isPrimary: r.is_primary,
    createdAt: new Date(r.created_at),
  };
}

/** The rows of one sign-up in one multi-row INSERT; returns each one's id and type. */
export function insertForNewAccount(
  manager: EntityManager,
  accountId: string,
  identifiers: Array<{ type: IdentifierKind; value: string; verified: boolean; primary: boolean }>,
): Promise<Array<{ id: string; type: IdentifierKind }>> {
  return queryRows<{ id: string; type: IdentifierKind }>(
    manager,
    `INSERT INTO identifiers (account_id, type, value, verified_at, is_primary)
         SELECT $1, t.type, t.value, CASE WHEN t.verified THEN clock_timestamp() END, t.is_primary
           FROM unnest($2::varchar[], $3::varchar[], $4::boolean[], $5::boolean[]) AS t(type, value, verified, is_primary)
         RETURNING id, type`,
    [accountId, identifiers.map((i) => i.type), identifiers.map((i) => i.value), identifiers.map((i) => i.verified), identifiers.map((i) => i.primary)],
  );
}

/**
 * The claims on a value sign-in may consider: the verified owner, else the 3 most recent
 * unverified claims younger than 30 days (contract: Identifiers). Straight to the driver's pool
 * (every sign-in asks).
 */
export async function findClaims(db: DataSource, type: IdentifierKind, value: string): Promise<Identifier[]> {
  return (
    await readRows<IdentifierRow>(
      db,
      `SELECT ${IDENTIFIER_COLUMNS} FROM identifiers
          WHERE type = $1 AND value = $2 AND (verified_at IS NOT NULL OR created_at > clock_timestamp() - interval '30 days')
          ORDER BY verified_at IS NULL, created_at DESC LIMIT 4`,
      [type, value],
    )
  ).map(identifierFromRow);
}

/** The account that has verified this value, if any. */
export async function findVerifiedOwner(manager: EntityManager, type: IdentifierKind, value: string): Promise<string | null> {
  const [row]: Array<{ account_id: string }> = await manager.query(
    `SELECT account_id FROM identifiers WHERE type = $1 AND value = $2 AND verified_at IS NOT NULL`,
    [type, value],
  );
  return row?.account_id ?? null;
}

export async function findOwnedById(db: DataSource | EntityManager, accountId: string, identifierId: string): Promise<Identifier | null> {
  const [row]: IdentifierRow[] = await db.query(prepared(`SELECT ${IDENTIFIER_COLUMNS} FROM identifiers WHERE id = $1 AND account_id = $2`), [
    identifierId,
    accountId,
  ]);
  return row ? identifierFromRow(row) : null;
}

export async function findOwnedByValue(manager: EntityManager, accountId: string, type: IdentifierKind, value: string): Promise<Identifier | null> {
  const [row]: IdentifierRow[] = await manager.query(
    `SELECT ${IDENTIFIER_COLUMNS} FROM identifiers WHERE account_id = $1 AND type = $2 AND value = $3 LIMIT 1`,
    [accountId, type, value],
  );
  return row ? identifierFromRow(row) : null;
}

/** Which claim to mark verified: SQL expressions (over `from`, a CTE of a composed statement, if given). */
interface ClaimToVerify {
  id: string;
  accountId: string;
  value: string;
  from?: string;
}

/**
 * The CTEs `verified` and `dropped`: the account's claim on the value marked verified, and other
 * accounts' unverified claims on it dropped. Returns `verified` (its row: the identifier's columns).
 */
function setVerifiedPart(s: ComposedStatement, claim: ClaimToVerify): string {
  const verified = s.with(
    'verified',
    `UPDATE identifiers i SET verified_at = COALESCE(i.verified_at, clock_timestamp())
       ${claim.from ? `FROM ${claim.from}` : ''}
      WHERE i.id = ${claim.id} AND i.account_id = ${claim.accountId} AND i.value = ${claim.value}
     RETURNING ${IDENTIFIER_COLUMNS.split(', ')
       .map((c) => `i.${c}`)
       .join(', ')}`,
  );
  s.with(
    'dropped',
    `DELETE FROM identifiers d USING verified v WHERE d.type = v.type AND d.value = v.value AND d.verified_at IS NULL AND d.account_id <> v.account_id`,
  );
  return verified;
}

/**
 * Marks the account's claim on `value` verified and, in the same statement, drops other
 * accounts' unverified claims on it. Null when the claim is gone.
 */
export async function setVerified(manager: EntityManager, accountId: string, identifierId: string, value: string): Promise<Identifier | null> {
  const s = new ComposedStatement();
  const verified = setVerifiedPart(s, { id: `${s.p(identifierId)}::uuid`, accountId: `${s.p(accountId)}::uuid`, value: s.p(value) });
  const [row] = await s.run<IdentifierRow>(manager, `SELECT ${IDENTIFIER_COLUMNS} FROM ${verified}`);
  return row ? identifierFromRow(row) : null;
}

/**
 * The claim a consumed VERIFY_IDENTIFIER challenge proves, marked verified in the consuming
 * statement (issue 21): the challenge's subject names the identifier, its account and destination
 * must still match. Returns `verified`.
 */
export function setVerifiedByChallengePart(s: ComposedStatement, consumed: string): string {
  const id = `c.subject->>'identifierId'`;
  return setVerifiedPart(s, {
    from: `${consumed} c`,
    id: `CASE WHEN ${id} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${id})::uuid END`,
    accountId: 'c.account_id',
    value: 'c.destination',
  });
}

/**
 * Runs a statement with a consuming CTE and `verified` over it: undefined when nothing was
 * consumed, else the verified identifier (null when the claim was gone) and the claim the code proved.
 */
export async function runVerification(
  db: DataSource | EntityManager,
  s: ComposedStatement,
  consumed: string,
  verified: string,
): Promise<{ identifier: Identifier | null; claim: { accountId: string; value: string; channel: string } } | undefined> {
  const [row] = await s.run<(IdentifierRow | { id: null }) & { claim_account_id: string; claim_value: string; claim_channel: string }>(
    db,
    `SELECT c.account_id AS claim_account_id, c.destination AS claim_value, c.channel AS claim_channel, v.* FROM ${consumed} c LEFT JOIN ${verified} v ON true`,
  );
  if (!row) return undefined;
  return {
    identifier: row.id === null ? null : identifierFromRow(row),
    claim: { accountId: row.claim_account_id, value: row.claim_value, channel: row.claim_channel },
  };
}

/** Verified emails and phones of an account, primary first. */
export function findVerifiedContacts(
  db: DataSource | EntityManager,
  accountId: string,
): Promise<Array<{ type: 'EMAIL' | 'PHONE'; value: string; is_primary: boolean }>> {
  return db.query(
    `SELECT type, value, is_primary FROM identifiers
        WHERE account_id = $1 AND verified_at IS NOT NULL AND type IN ('EMAIL', 'PHONE')
        ORDER BY is_primary DESC, created_at`,
    [accountId],
  );
}

export async function usernameExists(db: DataSource | EntityManager, value: string): Promise<boolean> {
  const rows: unknown[] = await db.query(`SELECT 1 FROM identifiers WHERE type = 'USERNAME' AND value = $1 LIMIT 1`, [value]);
  return rows.length > 0;
}

/** The identifiers of these accounts, oldest first (lean SQL: nearly every `me` and admin page). */
export async function findForAccounts(db: DataSource | EntityManager, accountIds: readonly string[]): Promise<Identifier[]> {
  if (accountIds.length === 0) return [];
  const raw: IdentifierRow[] = await db.query(
    prepared(`SELECT ${IDENTIFIER_COLUMNS} FROM identifiers WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id`),
    [[...accountIds]],
  );
  return raw.map(identifierFromRow);
}

/** The account's primary identifier of `type`, locked for the contact change. */
export async function lockPrimary(
  manager: EntityManager,
  accountId: string,
  type: string,
): Promise<{ id: string; value: string; verified_at: Date | null } | undefined> {
  const [old]: Array<{ id: string; value: string; verified_at: Date | null }> = await manager.query(
    `SELECT id, value, verified_at FROM identifiers WHERE account_id = $1 AND type = $2 AND is_primary FOR UPDATE`,
    [accountId, type],
  );
  return old;
}

/** Every identifier of the account, oldest first, locked. */
export function lockAllOf(
  manager: EntityManager,
  accountId: string,
): Promise<Array<{ id: string; type: string; value: string; verified_at: Date | null; is_primary: boolean }>> {
  return manager.query(`SELECT id, type, value, verified_at, is_primary FROM identifiers WHERE account_id = $1 ORDER BY created_at FOR UPDATE`, [accountId]);
}

export async function deleteIdentifier(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`DELETE FROM identifiers WHERE id = $1`, [id]);
}

export async function setPrimary(manager: EntityManager, id: string, primary: boolean): Promise<void> {
  await manager.query(primary ? `UPDATE identifiers SET is_primary = true WHERE id = $1` : `UPDATE identifiers SET is_primary = false WHERE id = $1`, [id]);
}

export async function findPrimaryId(manager: EntityManager, accountId: string, type: string): Promise<{ id: string } | undefined> {
  const [row]: Array<{ id: string }> = await manager.query(`SELECT id FROM identifiers WHERE account_id = $1 AND type = $2 AND is_primary`, [accountId, type]);
  return row;
}

/** Verified now (if it was not) and primary or not. */
export async function verifyOwned(manager: EntityManager, id: string, primary: boolean): Promise<void> {
  await manager.query(`UPDATE identifiers SET verified_at = COALESCE(verified_at, clock_timestamp()), is_primary = $2 WHERE id = $1`, [id, primary]);
}

/** A new identifier, verified now; returns its id. */
export async function insertVerified(manager: EntityManager, accountId: string, type: string, value: string, primary: boolean): Promise<string> {
  const [row]: Array<{ id: string }> = await manager.query(
    `INSERT INTO identifiers (account_id, type, value, verified_at, is_primary) VALUES ($1, $2, $3, clock_timestamp(), $4) RETURNING id`,
    [accountId, type, value, primary],
  );
  return row.id;
}

/**
 * The erasure's part here, in the deletion job's transaction: the accounts' identifiers go, so
 * their values are free for anyone to register again. Returns the emails and phones erased: the
 * notifications library drops unsent messages still addressed to them. A plain function over
 * the job's manager: the standalone job needs none of this library's providers.
 */
export async function eraseIdentifiersFor(accountIds: string[], manager: EntityManager): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await queryRows<{ type: string; value: string }>(manager, `DELETE FROM identifiers WHERE account_id = ANY($1::uuid[]) RETURNING type, value`, [
    accountIds,
  ]);
  return rows.filter((r) => r.type === 'EMAIL' || r.type === 'PHONE').map((r) => r.value);
}
