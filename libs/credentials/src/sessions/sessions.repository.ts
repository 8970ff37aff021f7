import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { prepared, queryRows, textArray } from '@app/database';

/** A session as the API shows it. */
export interface SessionRecord {
  id: string;
  accountId: string;
  authMethods: string[];
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  /** The absolute end (SESSION_TTL after sign-in). */
  absoluteExpiresAt: Date;
  /** The idle end (SESSION_IDLE_TTL after the last refresh). */
  idleExpiresAt: Date;
  endedAt: Date | null;
}

/** A refresh token's row, locked with its session and read with its account (refreshSession). */
export interface LockedRefreshToken {
  session: SessionRecord;
  /** The session is not ended and neither of its ends has passed. */
  alive: boolean;
  rotated: boolean;
  /** Rotated, and presented again within REFRESH_TOKEN_REUSE_SECONDS of its rotation. */
  inReuseWindow: boolean;
  account: { id: string; status: string; roles: string[]; organizationId: string | null; merchantId: string | null; credentialVersion: number };
}

interface SessionRow {
  id: string;
  account_id: string;
  auth_methods: unknown;
  ip: string | null;
  user_agent: string | null;
  created_at: Date | string;
  last_used_at: Date | string;
  expires_at: Date | string;
  idle_expires_at: Date | string;
  ended_at: Date | string | null;
}

const SESSION_COLUMNS = 'id, account_id, auth_methods, ip, user_agent, created_at, last_used_at, expires_at, idle_expires_at, ended_at';
const LIVE = `ended_at IS NULL AND expires_at > clock_timestamp() AND idle_expires_at > clock_timestamp()`;

export type SessionEndReason =
  | 'signed_out'
  | 'revoked'
  | 'signed_out_everywhere'
  | 'admin_revoked'
  | 'password_changed'
  | 'password_reset'
  | 'status_changed'
  | 'deletion_confirmed'
  | 'refresh_token_reused'
  | 'evicted'
  | 'second_factor_enabled';

/**
 * The `sessions` and `refresh_tokens` tables (contract: Sessions). Refresh tokens arrive here
 * already hashed (SHA-256); no token in clear text ever reaches the database.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A new session with its first refresh token, in one statement; the account's least recently
   * used live sessions beyond `maxLive - 1` end (the new one makes `maxLive`).
   */
  async create(
    db: DataSource | EntityManager,
    s: {
      accountId: string;
      authMethods: string[];
      ip: string | null;
      userAgent: string | null;
      ttlSeconds: number;
      idleSeconds: number;
      tokenHash: Buffer;
      maxLive: number;
    },
  ): Promise<SessionRecord> {
    const [row] = await queryRows<SessionRow>(
      db,
      prepared(`WITH s AS (
         INSERT INTO sessions (account_id, auth_methods, ip, user_agent, expires_at, idle_expires_at)
         VALUES ($1, $2::varchar(20)[], $3, $4, clock_timestamp() + make_interval(secs => $5), clock_timestamp() + make_interval(secs => $6))
         RETURNING ${SESSION_COLUMNS}
       ), t AS (
         INSERT INTO refresh_tokens (token_hash, session_id) SELECT $7, id FROM s
       ), evicted AS (
         UPDATE sessions SET ended_at = clock_timestamp(), end_reason = 'evicted'
          WHERE id IN (SELECT id FROM sessions WHERE account_id = $1 AND ended_at IS NULL ORDER BY last_used_at DESC, created_at DESC OFFSET $8)
       )
       SELECT * FROM s`),
      [s.accountId, s.authMethods, s.ip, s.userAgent, s.ttlSeconds, s.idleSeconds, s.tokenHash, Math.max(0, s.maxLive - 1)],
    );
    return toSession(row);
  }

  /**
   * The token's row with its session and account, both rows locked (FOR UPDATE re-reads the
   * newest versions after a wait, so a concurrent rotation is seen), or null for an unknown token.
   */
  async lockByToken(manager: EntityManager, tokenHash: Buffer): Promise<LockedRefreshToken | null> {
    const [row] = await queryRows<
      SessionRow & {
        rotated: boolean;
        in_window: boolean;
        alive: boolean;
        status: string;
        roles: unknown;
        organization_id: string | null;
        merchant_id: string | null;
        credential_version: number | string;
      }
    >(
      manager,
      prepared(`SELECT se.id, se.account_id, se.auth_methods, se.ip, se.user_agent, se.created_at, se.last_used_at, se.expires_at, se.idle_expires_at, se.ended_at,
              rt.rotated_at IS NOT NULL AS rotated,
              COALESCE(rt.reuse_until > clock_timestamp(), false) AS in_window,
              (se.ended_at IS NULL AND se.expires_at > clock_timestamp() AND se.idle_expires_at > clock_timestamp()) AS alive,
              a.status, a.roles, a.organization_id, a.merchant_id, a.credential_version
         FROM refresh_tokens rt
         JOIN sessions se ON se.id = rt.session_id
         JOIN account_credentials a ON a.id = se.account_id
        WHERE rt.token_hash = $1
          FOR UPDATE OF rt, se`),
      [tokenHash],
    );
    if (!row) return null;
    return {
      session: toSession(row),
      alive: row.alive,
      rotated: row.rotated,
      inReuseWindow: row.in_window,
      account: {
        id: row.account_id,
        status: row.status,
        roles: textArray(row.roles),
        organizationId: row.organization_id,
        merchantId: row.merchant_id,
        credentialVersion: Number(row.credential_version),
      },
    };
  }

  /** Whether a token (by hash) is the live one of its session, rotated within its window, or neither. */
  async tokenState(manager: EntityManager, tokenHash: Buffer): Promise<'live' | 'window' | 'dead'> {
    const [row] = await queryRows<{ rotated: boolean; in_window: boolean }>(
      manager,
      `SELECT rotated_at IS NOT NULL AS rotated, COALESCE(reuse_until > clock_timestamp(), false) AS in_window FROM refresh_tokens WHERE token_hash = $1`,
      [tokenHash],
    );
    if (!row) return 'dead';
    return !row.rotated ? 'live' : row.in_window ? 'window' : 'dead';
  }

  /**
   * Rotation: the session's live token becomes superseded (re-presentable for `reuseSeconds`,
   * 0 for none), `newHash` becomes the live one, and the session's idle end moves.
   */
  async rotate(manager: EntityManager, sessionId: string, newHash: Buffer, reuseSeconds: number, idleSeconds: number | null): Promise<SessionRecord> {
    // One statement: every part sees the same snapshot, so the old-token UPDATE never sees the new row.
    const [row] = await queryRows<SessionRow>(
      manager,
      prepared(`WITH old AS (
         UPDATE refresh_tokens SET rotated_at = clock_timestamp(), reuse_until = clock_timestamp() + make_interval(secs => $4)
          WHERE session_id = $1 AND rotated_at IS NULL
       ), t AS (
         INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($2, $1)
       )
       UPDATE sessions
          SET last_used_at = clock_timestamp(),
              idle_expires_at = CASE WHEN $3::int IS NULL THEN idle_expires_at ELSE clock_timestamp() + make_interval(secs => $3::int) END
        WHERE id = $1
        RETURNING ${SESSION_COLUMNS}`),
      [sessionId, newHash, idleSeconds, reuseSeconds],
    );
    return toSession(row);
  }

  /** Locks a live session of the account (password change, contact change), or null. */
  async lockLive(manager: EntityManager, sessionId: string, accountId: string): Promise<SessionRecord | null> {
    const [row] = await queryRows<SessionRow>(manager, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1 AND account_id = $2 AND ${LIVE} FOR UPDATE`, [
      sessionId,
      accountId,
    ]);
    return row ? toSession(row) : null;
  }

  /** Ends one live session of the account; false when there is none by that id. */
  async end(db: DataSource | EntityManager, sessionId: string, accountId: string, reason: SessionEndReason): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      db,
      `UPDATE sessions SET ended_at = clock_timestamp(), end_reason = $3 WHERE id = $1 AND account_id = $2 AND ended_at IS NULL RETURNING id`,
      [sessionId, accountId, reason],
    );
    return rows.length > 0;
  }

  /** Ends every live session of the account (but `exceptId`); returns how many were live. */
  async endAll(db: DataSource | EntityManager, accountId: string, reason: SessionEndReason, exceptId: string | null = null): Promise<number> {
    const rows = await queryRows<{ live: boolean }>(
      db,
      `UPDATE sessions SET ended_at = clock_timestamp(), end_reason = $2
        WHERE account_id = $1 AND ended_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        RETURNING (expires_at > clock_timestamp() AND idle_expires_at > clock_timestamp()) AS live`,
      [accountId, reason, exceptId],
    );
    return rows.filter((r) => r.live).length;
  }

  /** Live sessions of each account, most recently used first. */
  async listLive(accountIds: readonly string[]): Promise<SessionRecord[]> {
    const rows = await queryRows<SessionRow>(
      this.dataSource,
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE account_id = ANY($1::uuid[]) AND ${LIVE} ORDER BY last_used_at DESC, created_at DESC`,
      [[...accountIds]],
    );
    return rows.map(toSession);
  }
}

/**
 * The erasure's part here, in the deletion job's transaction: the accounts' sessions, and with
 * them (cascade) their refresh tokens. A plain function over the job's manager: the standalone
 * job needs none of this library's providers.
 */
export async function eraseSessionsFor(accountIds: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(`DELETE FROM sessions WHERE account_id = ANY($1::uuid[])`, [accountIds]);
}

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id,
    accountId: r.account_id,
    authMethods: textArray(r.auth_methods),
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: new Date(r.created_at),
    lastUsedAt: new Date(r.last_used_at),
    absoluteExpiresAt: new Date(r.expires_at),
    idleExpiresAt: new Date(r.idle_expires_at),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at),
  };
}
