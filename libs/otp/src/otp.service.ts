import { Injectable } from '@nestjs/common';
import { Channel, Locale } from '@app/core';
import { DataSource, EntityManager } from 'typeorm';
import type { ComposedStatement } from '@app/database';
import { AppConfig } from '@app/config';
import { MessageRequest, OutboxService } from '@app/notifications';
import { MetricsService } from '@app/observability';
import { OtpChallengeModel, OtpPurpose } from './otp-challenge.model';
import { codeMatches, hashCode, newChallengeId, newCode, unguessable } from './otp-code';
import { OtpErrorCode, OtpException } from './otp.exception';
import { OtpLimits } from './otp-limits';
import {
  ChallengeRow,
  ChallengeStatement,
  ConsumeArgs,
  consumedChannelsSince,
  consumeIfRight,
  consumeIfRightPart,
  findOpenChallenge,
  issueStatement,
  killOpenChallenges,
  lockChallenge,
  recordWrongCode,
  resendStatement,
} from './otp-challenges.repository';

export interface IssueRequest {
  purpose: OtpPurpose;
  channel: Channel;
  /** Normalized email or E.164 phone. */
  destination: string;
  /** How the destination is shown to the caller, e.g. j***@example.com (the identifiers library masks). */
  maskedDestination: string;
  accountId: string | null;
  /** What the code proves, for the flow that consumes it. */
  subject?: Record<string, unknown>;
  /** Enumeration-safe answer: same shape and limits, no code sent, can never succeed. */
  decoy?: boolean;
  locale: Locale;
  recipientName?: string | null;
  /**
   * A decoy's statement writes this message instead of a code (the owner's notice when a value
   * verified elsewhere is asked for), so the answer costs what a real one costs.
   */
  insteadOfCode?: MessageRequest;
}

export interface VerifyRequest {
  purpose: OtpPurpose;
  /** The signed-in caller, if any: another account's session never passes (contract). */
  callerAccountId: string | null;
}

/** Purposes whose codes only the signed-in owner may use or resend. */
const SESSION_PURPOSES = new Set<string>([OtpPurpose.LINK_IDENTIFIER, OtpPurpose.CHANGE_CONTACT, OtpPurpose.ACCOUNT_DELETION]);

/** A flow's success, in the transaction that consumed the challenge. */
type OnSuccess<T> = (c: ChallengeRow, manager: EntityManager) => Promise<T>;

/**
 * A flow's success written into the consuming statement (issue 21): `run` builds one statement,
 * `consumed(s)` adding the CTE that consumes the challenge (its name is returned; its row is the
 * challenge), the flow's own CTEs over it, and runs it: `{ value }`, or undefined when nothing was
 * consumed. Without a transaction, a throw after the statement leaves the challenge consumed: only
 * throw there for answers that could never become a success (the flow's claim is gone).
 */
export interface ComposedSuccess<T> {
  /** Run inside a transaction (when a write of the flow must run as a statement of its own). */
  transaction: boolean;
  run(manager: EntityManager, consumed: (s: ComposedStatement) => string): Promise<{ value: T } | undefined>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: OtpException };

/** What a challenge id can look like; anything else is no challenge (and never reaches SQL). */
const CHALLENGE_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * One-time codes (contract: One-time codes). Knows accounts only as ids: the flows that use
 * codes live in their own libraries and call `issue` / `verify` / `resend`.
 */
@Injectable()
export class OtpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly limits: OtpLimits,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
  ) {}

  private countSend(purpose: string, channel: string, outcome: string): void {
    this.metrics.otpSent.inc({ purpose: purpose.toLowerCase(), channel: channel.toLowerCase(), outcome });
  }

  private async limited(purpose: string, channel: string, accountId: string | null, destination: string, decoy: boolean): Promise<void> {
    try {
      await this.limits.consumeSend(accountId, purpose, destination, channel, decoy);
    } catch (err) {
      if (err instanceof OtpException) this.countSend(purpose, channel, err.reasonCode === OtpErrorCode.COOLDOWN ? 'cooldown' : 'rate_limited');
      throw err;
    }
  }

  /**
   * Opens a challenge inside the caller's transaction and queues its message in the same
   * transaction (outbox). Supersedes this account's open challenge for the same purpose and
   * destination. The message goes out when the caller's transaction commits (OutboxDispatcher).
   */
  async issue(manager: EntityManager, req: IssueRequest): Promise<OtpChallengeModel> {
    await this.limited(req.purpose, req.channel, req.accountId, req.destination, req.decoy === true);
    const id = newChallengeId();
    const code = newCode(this.config.otp.length);
    const now = Date.now();
    const expiresAt = new Date(now + this.config.otp.ttlSeconds * 1000);
    const resendAt = new Date(now + this.config.otp.resendCooldownSeconds * 1000);
    // One statement (issue 21): the older open challenge is superseded as the new one is inserted (the
    // new row is not visible to the UPDATE: both see the statement's snapshot), and the code's message
    // is written with it by the outbox, leased to this instance; a decoy's statement writes no message.
    const row = await this.queueCode<ChallengeRow>(
      manager,
      issueStatement({
        id,
        purpose: req.purpose,
        channel: req.channel,
        destination: req.destination,
        accountId: req.accountId,
        subject: JSON.stringify(req.subject ?? {}),
        decoy: req.decoy ?? false,
        // A decoy's hash is of a code nobody ever sees; verify() refuses decoys before comparing anyway.
        codeHash: hashCode(this.config.otpHashKey, id, req.decoy ? unguessable() : code),
        attemptsRemaining: this.config.otp.maxAttempts,
        locale: req.locale,
        recipientName: req.recipientName ?? null,
        expiresAt,
        resendAvailableAt: resendAt,
        maskedDestination: req.maskedDestination,
      }),
      {
        id,
        purpose: req.purpose,
        channel: req.channel,
        destination: req.destination,
        account_id: req.accountId,
        locale: req.locale,
        decoy: req.decoy === true,
        recipient_name: req.recipientName ?? null,
        expires_at: expiresAt,
      },
      code,
      req.decoy ? req.insteadOfCode : undefined,
    );
    return this.toModel(row);
  }

  /** The open challenge of this account, purpose and destination, if any (sign-in hands it back inside the cool-down). */
  async findOpen(accountId: string, purpose: OtpPurpose, destination: string): Promise<OtpChallengeModel | null> {
    const row = await findOpenChallenge(this.dataSource, accountId, purpose, destination, new Date());
    return row ? this.toModel(row) : null;
  }

  /** Channels of this account's challenges of `purpose` consumed since `since` (a reset's channel is not offered as a second step for 24 h). */
  async consumedChannelsSince(accountId: string, purpose: OtpPurpose, since: Date): Promise<Channel[]> {
    return consumedChannelsSince(this.dataSource, accountId, purpose, since);
  }

  inCooldown(accountId: string | null, purpose: OtpPurpose, destination: string): Promise<boolean> {
    return this.limits.inCooldown(accountId, purpose, destination);
  }

  /** `resendOtp`: same challenge id, a new code (the old one dies), attempts restored; cool-down applies. */
  async resend(challengeId: string, callerAccountId: string | null): Promise<OtpChallengeModel> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<OtpChallengeModel>> => {
      const c = await this.lock(manager, challengeId);
      if (!c || c.status === 'CONSUMED' || c.status === 'SUPERSEDED') return fail(OtpErrorCode.INVALID);
      if (callerAccountId && c.account_id && c.account_id !== callerAccountId) return fail(OtpErrorCode.INVALID);
      if (SESSION_PURPOSES.has(c.purpose) && !callerAccountId) return fail(OtpErrorCode.INVALID);
      if (c.status === 'DEAD') return fail(OtpErrorCode.MAX_ATTEMPTS);
      await this.limited(c.purpose, c.channel, c.account_id, c.destination, c.decoy);
      const code = newCode(this.config.otp.length);
      const now = Date.now();
      const expiresAt = new Date(now + this.config.otp.ttlSeconds * 1000);
      const row = await this.queueCode<ChallengeRow>(
        manager,
        resendStatement(
          c.id,
          hashCode(this.config.otpHashKey, c.id, c.decoy ? unguessable() : code),
          this.config.otp.maxAttempts,
          expiresAt,
          new Date(now + this.config.otp.resendCooldownSeconds * 1000),
        ),
        { ...c, expires_at: expiresAt },
        code,
      );
      return { ok: true, value: this.toModel(row) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Checks a code. The challenge row is locked for the check, so concurrent submissions (or
   * aliases in one document) are judged one at a time: never more than OTP_MAX_ATTEMPTS codes
   * compared, and a right code succeeds exactly once. On success the flow's writes run in the same
   * transaction (`onSuccess`): if it throws, the challenge stays open and nothing is half-done.
   * A flow may instead write its success as more CTEs of the consuming statement itself
   * (`ComposedSuccess`): the right code, the usual case, is then one statement and one commit.
   */
  async verify<T>(challengeId: string, code: string, req: VerifyRequest, onSuccess: OnSuccess<T> | ComposedSuccess<T>): Promise<T> {
    const consume = this.consumer(challengeId, code, req, onSuccess);
    const composed = typeof onSuccess !== 'function' && !onSuccess.transaction;
    // A composed success needs no transaction: its one statement commits alone.
    const first = composed ? await consume(this.dataSource.manager) : undefined;
    const outcome: Outcome<T> = first
      ? { ok: true, value: first.value }
      : await this.dataSource.transaction(async (manager): Promise<Outcome<T>> => {
          // The right code, the usual case, in one statement; any other answer is judged under the lock below.
          const consumed = composed ? undefined : await consume(manager);
          if (consumed) return { ok: true, value: consumed.value };
          const c = await this.lock(manager, challengeId);
          // Purpose and account binding cost no attempt (contract).
          if (!c || c.purpose !== req.purpose) return fail(OtpErrorCode.INVALID);
          if (req.callerAccountId && c.account_id && c.account_id !== req.callerAccountId) return fail(OtpErrorCode.INVALID);
          if (c.status === 'CONSUMED' || c.status === 'SUPERSEDED') return fail(OtpErrorCode.INVALID);
          if (c.status === 'DEAD' || c.attempts_remaining <= 0) return fail(OtpErrorCode.MAX_ATTEMPTS);
          if (new Date(c.expires_at).getTime() <= Date.now()) return fail(OtpErrorCode.EXPIRED);
          const right = !c.decoy && /^\d+$/.test(code) && codeMatches(this.config.otpHashKey, c.id, code, c.code_hash);
          if (!right) {
            const remaining = c.attempts_remaining - 1;
            await recordWrongCode(manager, c.id, remaining, remaining === 0 ? 'DEAD' : 'OPEN');
            const wrongCodeFor = c.decoy ? null : c.account_id;
            return remaining === 0
              ? fail(OtpErrorCode.MAX_ATTEMPTS, {}, wrongCodeFor)
              : fail(OtpErrorCode.INVALID, { attemptsRemaining: remaining }, wrongCodeFor);
          }
          // Right, under the lock (the one-statement try above lost a race, or its clock read ran late): the same
          // consuming statement, which passes now unless the code expired since the check above.
          const late = await consume(manager);
          return late ? { ok: true, value: late.value } : fail(OtpErrorCode.EXPIRED);
        });
    const result = outcome.ok
      ? 'success'
      : ({ INVALID: 'invalid', EXPIRED: 'expired', MAX_ATTEMPTS: 'max_attempts' } as Record<string, string>)[outcome.error.reasonCode];
    if (result) this.metrics.otpVerifications.inc({ purpose: req.purpose.toLowerCase(), result });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Kills open challenges of an account (password change / reset kills reset codes and pending contact changes). */
  async killOpen(manager: EntityManager, accountId: string, purposes: OtpPurpose[]): Promise<void> {
    await killOpenChallenges(manager, accountId, purposes);
  }

  toModel(row: ChallengeRow): OtpChallengeModel {
    return {
      challengeId: row.id,
      purpose: row.purpose,
      channel: row.channel,
      destination: row.destination_masked,
      expiresAt: new Date(row.expires_at),
      resendAvailableAt: new Date(row.resend_available_at),
      attemptsRemaining: row.attempts_remaining,
    };
  }

  /**
   * The consuming statement of `verify`, with the flow's success: it consumes the challenge when
   * every check of the locked path passes: the purpose, the account binding, OPEN with attempts
   * left, not expired (by this process's clock, as the locked path judges) and not a decoy, and
   * the code is right: the stored HMAC equals the code's, computed here from the challenge id the
   * caller gave. Row-locking like the locked path, so concurrent right codes still succeed exactly
   * once (the second one waits, finds it CONSUMED, and falls through to the locked path, which
   * answers INVALID). `{ value }` on success, undefined when nothing was consumed.
   */
  private consumer<T>(
    id: string,
    code: string,
    req: VerifyRequest,
    onSuccess: OnSuccess<T> | ComposedSuccess<T>,
  ): (manager: EntityManager) => Promise<{ value: T } | undefined> {
    return async (manager) => {
      if (!CHALLENGE_ID.test(id) || !/^\d+$/.test(code)) return undefined;
      const args: ConsumeArgs = {
        id,
        purpose: req.purpose,
        codeHash: hashCode(this.config.otpHashKey, id, code),
        now: new Date(),
        callerAccountId: req.callerAccountId,
      };
      if (typeof onSuccess !== 'function') return onSuccess.run(manager, (s) => consumeIfRightPart(s, args));
      const row = await consumeIfRight(manager, args);
      return row ? { value: await onSuccess(row, manager) } : undefined;
    };
  }

  private async lock(manager: EntityManager, id: string): Promise<ChallengeRow | undefined> {
    if (!CHALLENGE_ID.test(id)) return undefined;
    return lockChallenge(manager, id);
  }

  /**
   * Runs the challenge's statement with the code's message in it (OutboxService.enqueueWith); a decoy
   * renders the message the same way and runs the same statement, which writes no message.
   */
  private async queueCode<T>(
    manager: EntityManager,
    statement: ChallengeStatement,
    c: Pick<ChallengeRow, 'id' | 'purpose' | 'channel' | 'destination' | 'account_id' | 'locale' | 'decoy' | 'recipient_name' | 'expires_at'>,
    code: string,
    insteadOfCode?: MessageRequest,
  ): Promise<T> {
    // A decoy counts exactly as a real send (contract: Observability: no label value is `decoy`).
    this.countSend(c.purpose, c.channel, 'queued');
    if (insteadOfCode) return this.outbox.enqueueWith<T>(manager, statement, insteadOfCode, true);
    return this.outbox.enqueueWith<T>(
      manager,
      statement,
      {
        channel: c.channel,
        destination: c.destination,
        templateKey: `otp.${c.purpose.toLowerCase()}`,
        locale: c.locale,
        accountId: c.account_id,
        challengeId: c.id,
        expiresAt: new Date(c.expires_at),
        variables: {
          code,
          expiresInMinutes: Math.max(1, Math.round(this.config.otp.ttlSeconds / 60)),
          name: c.recipient_name ?? '',
        },
      },
      !c.decoy,
    );
  }
}

function fail(code: OtpErrorCode, details: { attemptsRemaining?: number } = {}, wrongCodeFor: string | null = null): { ok: false; error: OtpException } {
  return { ok: false, error: new OtpException(code, details, wrongCodeFor) };
}
