import { Injectable, Logger } from '@nestjs/common';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { MetricsService } from '@app/observability';
import { currentClient, RateLimitStore } from '@app/rate-limit';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { CredentialErrorCode, CredentialException } from '../credentials.exception';
import { TokenService, type TokenSubject } from '../token.service';
import { SessionEndReason, SessionRecord, SessionsRepository } from './sessions.repository';

/** How a session was authenticated (contract: AuthMethod). */
export type AuthMethod = 'PASSWORD' | 'CODE' | 'TOTP' | 'EMAIL' | 'SMS' | 'RECOVERY_CODE';

/** What every authentication returns: an access token and a refresh token of one session. */
export interface IssuedSession {
  accessToken: string;
  tokenType: string;
  expiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
  accountId: string;
}

/** Something done once a transaction has committed (a theft is recorded, then refused). */
type Outcome = { session: IssuedSession } | { refused: 'invalid' | 'expired' | 'revoked' | 'reused' | 'disabled' };

const MAX_CHAIN = 8;

/**
 * Sessions (contract: Sessions): the one place that starts, rotates and ends them. Every
 * authentication goes through `start`; the token check (CredentialsRepository.findCurrent) reads
 * the session's liveness in the same statement as the account, so an ended session's access
 * tokens stop at once.
 *
 * Refresh tokens are 256 random bits shown once and stored as SHA-256. The successor of a token
 * is derived from it with a keyed hash, so a token re-presented within the reuse window (two tabs
 * refreshing at once) leads to the same successor: one chain, never two.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly successorKey: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
    private readonly store: RateLimitStore,
    private readonly metrics: MetricsService,
    private readonly events: SecurityEventsService,
  ) {
    this.successorKey = createHash('sha256').update(`refresh-successor:${config.otpHashKey}`).digest();
  }

  /**
   * A new session for a just-authenticated account (inside the caller's transaction when given),
   * recorded as SIGN_IN_SUCCEEDED with its methods: every way of signing in ends here. Sign-up
   * passes `signIn: false` (its SIGNED_UP says it).
   */
  async start(account: TokenSubject, authMethods: AuthMethod[], manager?: EntityManager, options: { signIn?: boolean } = {}): Promise<IssuedSession> {
    if (!manager) return this.dataSource.transaction((m) => this.start(account, authMethods, m, options));
    const client = currentClient();
    const refreshToken = randomBytes(32).toString('base64url');
    const methods = [...new Set(authMethods)];
    const session = await this.repository.create(manager, {
      accountId: account.id,
      authMethods: methods,
      ip: client.ip,
      userAgent: client.userAgent,
      ttlSeconds: this.config.sessions.ttlSeconds,
      idleSeconds: this.config.sessions.idleTtlSeconds,
      tokenHash: hashToken(refreshToken),
      maxLive: this.config.sessions.maxPerAccount,
    });
    if (options.signIn !== false) {
      await this.events.record(manager, { type: SecurityEventType.SIGN_IN_SUCCEEDED, accountId: account.id, sessionId: session.id, detail: methods.join(',') });
    }
    return this.pair(account, session, refreshToken);
  }

  /** refreshSession: rotation with the session locked (contract: Sessions). */
  async refresh(refreshToken: string): Promise<IssuedSession> {
    if (typeof refreshToken !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(refreshToken)) return this.refuse('invalid');
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      const locked = await this.repository.lockByToken(manager, hashToken(refreshToken));
      if (!locked) return { refused: 'invalid' };
      const limit = await this.store.hit(`refresh:${locked.session.id}`, 60, this.config.sessions.refreshPerMinute);
      if (!limit.allowed) {
        this.metrics.sessionsRefreshed.inc({ result: 'rate_limited' });
        throw new CredentialException(CredentialErrorCode.RATE_LIMITED, { retryAfterSeconds: limit.retryAfterSeconds });
      }
      if (locked.session.endedAt) return { refused: 'revoked' };
      if (!locked.alive) return { refused: 'expired' };
      if (locked.account.status !== 'ACTIVE') return { refused: 'disabled' };
      if (locked.rotated) {
        if (!locked.inReuseWindow) {
          await this.repository.end(manager, locked.session.id, locked.account.id, 'refresh_token_reused');
          await this.onReuse(manager, locked.session);
          return { refused: 'reused' };
        }
        // Within the window: hand back the successor this token already has (following the chain
        // when the successor was itself rotated within its own window).
        let token = refreshToken;
        for (let i = 0; i < MAX_CHAIN; i++) {
          token = this.successorOf(token);
          const state = await this.repository.tokenState(manager, hashToken(token));
          if (state === 'live') return { session: this.pair(locked.account, locked.session, token) };
          if (state === 'dead') break;
        }
        await this.repository.end(manager, locked.session.id, locked.account.id, 'refresh_token_reused');
        await this.onReuse(manager, locked.session);
        return { refused: 'reused' };
      }
      const successor = this.successorOf(refreshToken);
      const session = await this.repository.rotate(
        manager,
        locked.session.id,
        hashToken(successor),
        this.config.sessions.refreshReuseSeconds,
        this.config.sessions.idleTtlSeconds,
      );
      return { session: this.pair(locked.account, session, successor) };
    });
    if ('refused' in outcome) return this.refuse(outcome.refused === 'disabled' ? 'revoked' : outcome.refused);
    this.metrics.sessionsRefreshed.inc({ result: 'success' });
    return outcome.session;
  }

  /**
   * A new pair for the caller's own live session, the replaced refresh token with no reuse
   * window (password change, contact change). Inside the caller's transaction.
   */
  async reissue(manager: EntityManager, account: TokenSubject, sessionId: string): Promise<IssuedSession> {
    const live = await this.repository.lockLive(manager, sessionId, account.id);
    if (!live) throw new CredentialException(CredentialErrorCode.SESSION_INVALID);
    const refreshToken = randomBytes(32).toString('base64url');
    const session = await this.repository.rotate(manager, sessionId, hashToken(refreshToken), 0, null);
    return this.pair(account, session, refreshToken);
  }

  /** signOut (SIGNED_OUT) / revokeSession (SESSION_REVOKED): ends one of the account's sessions; NOT_FOUND when it has none by that id. */
  async end(accountId: string, sessionId: string, reason: 'signed_out' | 'revoked', manager?: EntityManager): Promise<void> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sessionId))
      throw new CredentialException(CredentialErrorCode.SESSION_NOT_FOUND);
    if (!manager) return this.dataSource.transaction((m) => this.end(accountId, sessionId, reason, m));
    if (!(await this.repository.end(manager, sessionId, accountId, reason))) throw new CredentialException(CredentialErrorCode.SESSION_NOT_FOUND);
    const type = reason === 'signed_out' ? SecurityEventType.SIGNED_OUT : SecurityEventType.SESSION_REVOKED;
    await this.events.record(manager, { type, accountId, sessionId });
  }

  /**
   * Ends every session of the account (but `exceptSessionId`); returns how many were live.
   * Sign-out everywhere and an admin's revocation are SESSION_REVOKED events of their own (no
   * session id: all of them; the admin as actor, the reason as detail); the other reasons are
   * part of a change that records its own event (password, status, deletion).
   */
  async endAll(
    accountId: string,
    reason: SessionEndReason,
    manager?: EntityManager,
    exceptSessionId: string | null = null,
    audit: { actorId?: string; detail?: string | null } = {},
  ): Promise<number> {
    if (!manager) return this.dataSource.transaction((m) => this.endAll(accountId, reason, m, exceptSessionId, audit));
    const ended = await this.repository.endAll(manager, accountId, reason, exceptSessionId);
    if (reason === 'signed_out_everywhere' || reason === 'admin_revoked') {
      await this.events.record(manager, { type: SecurityEventType.SESSION_REVOKED, accountId, actorId: audit.actorId, detail: audit.detail ?? reason });
    }
    return ended;
  }

  /** Live sessions of each account, most recently used first (batched for DataLoader). */
  async liveSessionsOf(accountIds: readonly string[]): Promise<Map<string, SessionRecord[]>> {
    const byAccount = new Map<string, SessionRecord[]>(accountIds.map((id) => [id, []]));
    for (const row of await this.repository.listLive(accountIds)) byAccount.get(row.accountId)?.push(row);
    return byAccount;
  }

  /** When a session ends at the latest: the earlier of its absolute and idle ends. */
  static expiresAt(session: SessionRecord): Date {
    return session.idleExpiresAt < session.absoluteExpiresAt ? session.idleExpiresAt : session.absoluteExpiresAt;
  }

  private pair(account: TokenSubject, session: SessionRecord, refreshToken: string): IssuedSession {
    const access = this.tokens.issue(account, session.id);
    return { ...access, refreshToken, refreshTokenExpiresAt: SessionsService.expiresAt(session), sessionId: session.id };
  }

  private successorOf(token: string): string {
    return createHmac('sha256', this.successorKey).update(token).digest('base64url');
  }

  private async onReuse(manager: EntityManager, session: SessionRecord): Promise<void> {
    // Theft: a superseded refresh token came back after its window. The session is ended above.
    await this.events.record(manager, { type: SecurityEventType.REFRESH_TOKEN_REUSED, accountId: session.accountId, sessionId: session.id });
    this.logger.warn({ event: 'refresh_token_reused', sessionId: session.id, accountId: session.accountId }, 'refresh token reused: session ended');
  }

  private refuse(result: 'invalid' | 'expired' | 'revoked' | 'reused'): never {
    this.metrics.sessionsRefreshed.inc({ result });
    throw new CredentialException(CredentialErrorCode.SESSION_INVALID);
  }
}

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
