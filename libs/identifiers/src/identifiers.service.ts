import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AppConfig } from '@app/config';
import { isUniqueViolation, queryRows, readRows } from '@app/database';
import { IdentifierEntity } from './identifier.entity';
import { IdentifierErrorCode, IdentifierException } from './identifiers.exception';
import { IdentifierModel, IdentifierType } from './identifier.model';
import { detectIdentifierKind, IdentifierKind, normalizeIdentifier } from './identifier-normalizer';

export interface NewIdentifier {
  type: IdentifierKind;
  value: string;
  verified: boolean;
  primary: boolean;
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

function identifierFromRow(r: IdentifierRow): IdentifierEntity {
  return Object.assign(new IdentifierEntity(), {
    id: r.id,
    accountId: r.account_id,
    type: r.type as IdentifierKind,
    value: r.value,
    verifiedAt: r.verified_at === null ? null : new Date(r.verified_at),
    isPrimary: r.is_primary,
    createdAt: new Date(r.created_at),
  });
}

/**
 * Which claims on an identifier value sign-in considers (contract: Sign-in): the verified one
 * alone when there is one, otherwise every unverified claim (oldest first, as read).
 */
export function signInClaims<T extends { verifiedAt: Date | null }>(claims: T[]): T[] {
  const verified = claims.find((c) => c.verifiedAt !== null);
  return verified ? [verified] : claims.slice(0, 3);
}

/** Normalization, lookups and the verified lifecycle of usernames, emails and phones. */
@Injectable()
export class IdentifiersService {
  constructor(
    @InjectRepository(IdentifierEntity) private readonly repo: Repository<IdentifierEntity>,
    private readonly config: AppConfig,
  ) {}

  /** The normalized value, or BAD_USER_INPUT naming `field` (contract: Identifiers). */
  normalize(kind: IdentifierKind, raw: string, field: string): string {
    const result = normalizeIdentifier(kind, raw, this.config.defaultPhoneRegion);
    if (!result.ok) throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field, reason: result.reason });
    return result.value;
  }

  detect(raw: string): IdentifierKind {
    return detectIdentifierKind(raw);
  }

  /** Inserts the identifiers of a new account inside the sign-up transaction. */
  async addForNewAccount(
    manager: EntityManager,
    accountId: string,
    identifiers: NewIdentifier[],
  ): Promise<Array<{ id: string; type: IdentifierKind; value: string }>> {
    if (new Set(identifiers.map((i) => i.type)).size !== identifiers.length) throw new Error('addForNewAccount: one identifier per type');
    try {
      // One multi-row INSERT (the rows of one sign-up), matched back by type: one identifier per type.
      const rows = await queryRows<{ id: string; type: IdentifierKind }>(
        manager,
        `INSERT INTO identifiers (account_id, type, value, verified_at, is_primary)
         SELECT $1, t.type, t.value, CASE WHEN t.verified THEN clock_timestamp() END, t.is_primary
           FROM unnest($2::varchar[], $3::varchar[], $4::boolean[], $5::boolean[]) AS t(type, value, verified, is_primary)
         RETURNING id, type`,
        [accountId, identifiers.map((i) => i.type), identifiers.map((i) => i.value), identifiers.map((i) => i.verified), identifiers.map((i) => i.primary)],
      );
      const idOf = new Map(rows.map((r) => [r.type, String(r.id)]));
      return identifiers.map((i) => ({ id: idOf.get(i.type) ?? '', type: i.type, value: i.value }));
    } catch (err) {
      if (isUniqueViolation(err, 'identifiers_username_uq')) {
        throw new IdentifierException(IdentifierErrorCode.USERNAME_TAKEN, { field: 'username' });
      }
      throw err;
    }
  }

  /**
   * The identifiers that may sign in as `value`: its verified owner if there is one,
   * otherwise every unverified claim (each account's password decides which one is meant).
   */
  async findSignInCandidates(type: IdentifierKind, value: string): Promise<IdentifierEntity[]> {
    // Straight to the driver's pool (every sign-in asks): a TypeORM find builds its SQL per call.
    const rows = (
      await readRows<IdentifierRow>(
        this.repo.manager.dataSource,
        // The verified owner, else the 3 most recent unverified claims younger than 30 days (contract: Identifiers).
        `SELECT ${IDENTIFIER_COLUMNS} FROM identifiers
          WHERE type = $1 AND value = $2 AND (verified_at IS NOT NULL OR created_at > clock_timestamp() - interval '30 days')
          ORDER BY verified_at IS NULL, created_at DESC LIMIT 4`,
        [type, value],
      )
    ).map(identifierFromRow);
    return signInClaims(rows);
  }

  /** The account that has verified this email / phone, if any. */
  async verifiedOwner(manager: EntityManager, type: IdentifierKind, value: string): Promise<string | null> {
    const [row]: Array<{ account_id: string }> = await manager.query(
      `SELECT account_id FROM identifiers WHERE type = $1 AND value = $2 AND verified_at IS NOT NULL`,
      [type, value],
    );
    return row?.account_id ?? null;
  }

  async findOwned(accountId: string, identifierId: string): Promise<IdentifierEntity | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(identifierId)) return null;
    const [row]: IdentifierRow[] = await this.repo.query(`SELECT ${IDENTIFIER_COLUMNS} FROM identifiers WHERE id = $1 AND account_id = $2`, [
      identifierId,
      accountId,
    ]);
    return row ? identifierFromRow(row) : null;
  }

  async findOwnedByValueIn(manager: EntityManager, accountId: string, type: IdentifierKind, value: string): Promise<IdentifierEntity | null> {
    return manager.findOne(IdentifierEntity, { where: { accountId, type, value } });
  }

  /**
   * Marks the account's claim on `value` verified and, in the same statement, drops other
   * accounts' unverified claims on it (contract: this defeats account pre-hijacking). Null when
   * the claim is gone. A value verified elsewhere meanwhile fails on the partial unique index.
   */
  async setVerified(manager: EntityManager, accountId: string, identifierId: string, value: string): Promise<IdentifierEntity | null> {
    const rows: IdentifierRow[] = await manager.query(
      `WITH verified AS (
         UPDATE identifiers SET verified_at = COALESCE(verified_at, clock_timestamp())
          WHERE id = $1 AND account_id = $2 AND value = $3
         RETURNING ${IDENTIFIER_COLUMNS}
       ), dropped AS (
         DELETE FROM identifiers d USING verified v
          WHERE d.type = v.type AND d.value = v.value AND d.verified_at IS NULL AND d.account_id <> v.account_id
       )
       SELECT ${IDENTIFIER_COLUMNS} FROM verified`,
      [identifierId, accountId, value],
    );
    return rows[0] ? identifierFromRow(rows[0]) : null;
  }

  /** Verified emails and phones of an account, primary first. */
  async verifiedContacts(accountId: string): Promise<Array<{ type: 'EMAIL' | 'PHONE'; value: string; primary: boolean }>> {
    const rows: Array<{ type: 'EMAIL' | 'PHONE'; value: string; is_primary: boolean }> = await this.repo.query(
      `SELECT type, value, is_primary FROM identifiers
        WHERE account_id = $1 AND verified_at IS NOT NULL AND type IN ('EMAIL', 'PHONE')
        ORDER BY is_primary DESC, created_at`,
      [accountId],
    );
    return rows.map((r) => ({ type: r.type, value: r.value, primary: Boolean(r.is_primary) }));
  }

  async isUsernameTaken(value: string): Promise<boolean> {
    return this.repo.exists({ where: { type: 'USERNAME', value } });
  }

  async listForAccounts(accountIds: readonly string[]): Promise<Map<string, IdentifierEntity[]>> {
    // Lean SQL (no entity hydration): this runs for nearly every `me` and every admin page.
    const raw: IdentifierRow[] = accountIds.length
      ? await this.repo.query(`SELECT ${IDENTIFIER_COLUMNS} FROM identifiers WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id`, [[...accountIds]])
      : [];
    const rows = raw.map(identifierFromRow);
    const byAccount = new Map<string, IdentifierEntity[]>(accountIds.map((id) => [id, []]));
    for (const r of rows) byAccount.get(r.accountId)?.push(r);
    return byAccount;
  }

  async listForAccount(accountId: string): Promise<IdentifierEntity[]> {
    return (await this.listForAccounts([accountId])).get(accountId) ?? [];
  }

  /** An identifier as the API shows it; `e` may come from another library's read model (`account_identifiers`). */
  toModel(e: Pick<IdentifierEntity, 'id' | 'type' | 'value' | 'verifiedAt' | 'isPrimary' | 'createdAt'>): IdentifierModel {
    return {
      id: e.id,
      type: e.type as IdentifierType,
      value: e.value,
      verified: e.verifiedAt !== null,
      verifiedAt: e.verifiedAt,
      primary: e.isPrimary,
      createdAt: e.createdAt,
    };
  }
}
