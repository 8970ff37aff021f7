import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { isUniqueViolation } from '@app/database';
import { IdentifierErrorCode, IdentifierException } from './identifiers.exception';
import { IdentifierModel, IdentifierType } from './identifier.model';
import { detectIdentifierKind, IdentifierKind, normalizeIdentifier } from './identifier-normalizer';
import {
  findClaims,
  findForAccounts,
  findOwnedById,
  findOwnedByValue,
  findVerifiedContacts,
  findVerifiedOwner,
  Identifier,
  insertForNewAccount,
  setVerified,
  usernameExists,
} from './identifiers.repository';

export interface NewIdentifier {
  type: IdentifierKind;
  value: string;
  verified: boolean;
  primary: boolean;
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
    private readonly dataSource: DataSource,
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
      const rows = await insertForNewAccount(manager, accountId, identifiers);
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
  async findSignInCandidates(type: IdentifierKind, value: string): Promise<Identifier[]> {
    const rows = await findClaims(this.dataSource, type, value);
    return signInClaims(rows);
  }

  /** The account that has verified this email / phone, if any. */
  async verifiedOwner(manager: EntityManager, type: IdentifierKind, value: string): Promise<string | null> {
    return findVerifiedOwner(manager, type, value);
  }

  async findOwned(accountId: string, identifierId: string): Promise<Identifier | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(identifierId)) return null;
    return findOwnedById(this.dataSource, accountId, identifierId);
  }

  async findOwnedByValueIn(manager: EntityManager, accountId: string, type: IdentifierKind, value: string): Promise<Identifier | null> {
    return findOwnedByValue(manager, accountId, type, value);
  }

  /**
   * Marks the account's claim on `value` verified and, in the same statement, drops other
   * accounts' unverified claims on it (contract: this defeats account pre-hijacking). Null when
   * the claim is gone. A value verified elsewhere meanwhile fails on the partial unique index.
   */
  async setVerified(manager: EntityManager, accountId: string, identifierId: string, value: string): Promise<Identifier | null> {
    return setVerified(manager, accountId, identifierId, value);
  }

  /** Verified emails and phones of an account, primary first. */
  async verifiedContacts(accountId: string): Promise<Array<{ type: 'EMAIL' | 'PHONE'; value: string; primary: boolean }>> {
    const rows = await findVerifiedContacts(this.dataSource, accountId);
    return rows.map((r) => ({ type: r.type, value: r.value, primary: Boolean(r.is_primary) }));
  }

  async isUsernameTaken(value: string): Promise<boolean> {
    return usernameExists(this.dataSource, value);
  }

  async listForAccounts(accountIds: readonly string[]): Promise<Map<string, Identifier[]>> {
    const rows = await findForAccounts(this.dataSource, accountIds);
    const byAccount = new Map<string, Identifier[]>(accountIds.map((id) => [id, []]));
    for (const r of rows) byAccount.get(r.accountId)?.push(r);
    return byAccount;
  }

  async listForAccount(accountId: string): Promise<Identifier[]> {
    return (await this.listForAccounts([accountId])).get(accountId) ?? [];
  }

  /** An identifier as the API shows it; `e` may come from another library's read model (`account_identifiers`). */
  toModel(e: Pick<Identifier, 'id' | 'type' | 'value' | 'verifiedAt' | 'isPrimary' | 'createdAt'>): IdentifierModel {
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
