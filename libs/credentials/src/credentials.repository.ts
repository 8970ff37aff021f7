import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { Locale } from '@app/core';
import { prepared, queryRows, readRows, textArray } from '@app/database';

/** The credential side of an account: what sign-in and token checks need, nothing else. */
export interface CredentialRecord {
  id: string;
  status: 'ACTIVE' | 'DEACTIVATED' | 'BLOCKED' | 'PENDING_DELETION' | 'DELETED';
  roles: string[];
  organizationId: string | null;
  merchantId: string | null;
  passwordHash: string | null;
  credentialVersion: number;
  locale: Locale;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  status: CredentialRecord['status'];
  roles: unknown;
  organization_id: string | null;
  merchant_id: string | null;
  password_hash: string | null;
  credential_version: number | string;
  locale: Locale | null;
  password_changed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `a.id, a.status, a.roles, a.organization_id, a.merchant_id, a.password_hash, a.credential_version, a.locale,
                 a.password_changed_at, a.created_at, a.updated_at`;
const SELECT = `SELECT ${COLUMNS} FROM account_credentials a`;

/** One account that claims an identifier value, as sign-in reads it. */
export interface IdentifierClaim {
  /** When this account proved the value (null: an unverified claim). */
  verifiedAt: Date | null;
  account: CredentialRecord;
}

/**
 * Lean SQL for the hot authentication paths (every signed-in request reads one row here). The
 * accounts library owns `accounts`; credentials reads and sets its credential columns through
 * the views it owns (`account_credentials`, `credential_claims`, `credential_deletion_schedules`:
 * migration ReadModels), so each path stays one statement and the dependency stays visible.
 */
@Injectable()
export class CredentialsRepository {
  /**
   * Token checks that arrive in the same turn of the event loop share one query (`unnest`).
   * Not a cache (`cache: false`): each check is answered by a read that started after its
   * request arrived, so a blocked, deleted or password-changed account, or an ended session,
   * fails at once.
   */
  private readonly current = new DataLoader<string, CredentialRecord | null>(
    async (keys) => {
      const pairs = keys.map((k) => k.split('/'));
      const rows = await readRows<Row & { sid: string }>(
        this.dataSource,
        prepared(`SELECT k.sid, ${COLUMNS}
           FROM unnest($1::uuid[], $2::uuid[]) AS k (aid, sid)
           JOIN account_credentials a ON a.id = k.aid
           JOIN sessions se ON se.id = k.sid AND se.account_id = k.aid
                           AND se.ended_at IS NULL AND se.expires_at > clock_timestamp() AND se.idle_expires_at > clock_timestamp()`),
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      const found = new Map(rows.map((r) => [`${r.id}/${r.sid}`, toRecord(r)]));
      return keys.map((k) => found.get(k) ?? null);
    },
    { cache: false, maxBatchSize: 100, batchScheduleFn: (run) => setImmediate(run) },
  );

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The one place that decides whether an access token is alive (contract: Sessions, Sign-in):
   * the account as it is now, read in the same statement as the liveness of the token's session
   * (not ended, neither end passed); null when either is gone. Batched with concurrent checks.
   */
  findCurrent(id: string, sessionId: string): Promise<CredentialRecord | null> {
    return this.current.load(`${id}/${sessionId}`);
  }

  async findByIds(ids: string[]): Promise<CredentialRecord[]> {
    if (ids.length === 0) return [];
    const rows = await readRows<Row>(this.dataSource, `${SELECT} WHERE a.id = ANY($1::uuid[])`, [ids]);
    return rows.map(toRecord);
  }

  /**
   * Sign-in's lookup in one read (issue 8: a statement is the costly part of a request here): the
   * accounts claiming this identifier value, oldest claim first, each with its credential record.
   * The identifiers library's rule for which claims count applies on top (signInClaims).
   */
  async findClaimsOf(type: string, value: string): Promise<IdentifierClaim[]> {
    const rows = await readRows<Row & { identifier_verified_at: Date | string | null }>(
      this.dataSource,
      prepared(`SELECT ${COLUMNS}, a.identifier_verified_at
         FROM credential_claims a
        WHERE a.identifier_type = $1 AND a.identifier_value = $2
          AND (a.identifier_verified_at IS NOT NULL OR a.claimed_at > clock_timestamp() - interval '30 days')
        -- Contract (Identifiers): the verified owner, else at most the 3 most recent unverified
        -- claims (one bcrypt each), and an unverified claim older than 30 days has lapsed.
        ORDER BY a.identifier_verified_at IS NULL, a.claimed_at DESC LIMIT 4`),
      [type, value],
    );
    return rows.map((r) => ({ verifiedAt: r.identifier_verified_at === null ? null : new Date(r.identifier_verified_at), account: toRecord(r) }));
  }

  async findById(id: string, manager?: EntityManager): Promise<CredentialRecord | null> {
    const rows: Row[] = await (manager ?? this.dataSource).query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * When the account's confirmed deletion takes effect, for sign-in's ACCOUNT_PENDING_DELETION
   * (`extensions.scheduledFor`). Read here so authentication needs no deletion library.
   */
  async scheduledDeletionOf(accountId: string): Promise<Date | null> {
    const rows: Array<{ scheduled_for: Date | string }> = await this.dataSource.query(
      `SELECT scheduled_for FROM credential_deletion_schedules WHERE account_id = $1 ORDER BY scheduled_for DESC LIMIT 1`,
      [accountId],
    );
    return rows[0] ? new Date(rows[0].scheduled_for) : null;
  }

  /**
   * Sets a new password hash and bumps the credential version, which revokes every token
   * issued before (contract: Sign-in, "before" is tracked exactly). Returns the new version.
   */
  async setPassword(accountId: string, passwordHash: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows = await queryRows<{ credential_version: number | string }>(
      manager,
      `UPDATE account_credentials
          SET password_hash = $2, password_changed_at = clock_timestamp(), credential_version = credential_version + 1,
              updated_at = clock_timestamp()
        WHERE id = $1
        RETURNING credential_version`,
      [accountId, passwordHash],
    );
    return Number(rows[0]?.credential_version ?? 0);
  }
}

function toRecord(r: Row): CredentialRecord {
  return {
    id: r.id,
    status: r.status,
    roles: textArray(r.roles),
    organizationId: r.organization_id,
    merchantId: r.merchant_id,
    passwordHash: r.password_hash,
    credentialVersion: Number(r.credential_version),
    locale: r.locale ?? 'en',
    passwordChangedAt: r.password_changed_at === null ? null : new Date(r.password_changed_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}
