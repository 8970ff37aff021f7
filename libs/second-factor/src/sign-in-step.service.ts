import { SecurityEventType } from '@app/security-events';
import { Channel } from '@app/core';
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { AuthMethod, CredentialRecord, CredentialsRepository, IssuedSession, SessionsService, SignInLimiter } from '@app/credentials';
import { IdentifiersService, maskEmail, maskPhone } from '@app/identifiers';
import { NoticesService } from '@app/notifications';
import { MetricsService } from '@app/observability';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { currentIpKey } from '@app/rate-limit';
import { FactorCodesService } from './factor-codes.service';
import { isWrongCode, SecondFactorErrorCode, SecondFactorException } from './second-factor.exception';
import { SecondFactorMethod } from './second-factor.models';
import { SecondFactorsRepository } from './second-factors.repository';
import { FirstMethod, SignInTicketsRepository, TicketRow } from './sign-in-tickets.repository';

const TICKET_TTL_MS = 5 * 60 * 1000;
const RESET_LOCKOUT_MS = 24 * 60 * 60 * 1000;
const TICKET = /^[A-Za-z0-9_-]{43}$/;

/** What proved the first step of a sign-in. */
export interface FirstStep {
  method: FirstMethod;
  /** The channel a sign-in code came by (never offered as the second step); null for a password. */
  channel: Channel | null;
}

/**
 * The second step of a sign-in (contract: Second factor). A right first step of an account with
 * a factor gets SECOND_FACTOR_REQUIRED and a ticket (5 minutes, single use, bound to the account
 * and the first step) instead of a session; `completeSignIn` trades the ticket and a code for one.
 */
@Injectable()
export class SignInStepService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly factors: SecondFactorsRepository,
    private readonly tickets: SignInTicketsRepository,
    private readonly codes: FactorCodesService,
    private readonly credentials: CredentialsRepository,
    private readonly sessions: SessionsService,
    private readonly limiter: SignInLimiter,
    private readonly identifiers: IdentifiersService,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
    private readonly metrics: MetricsService,
  ) {}

  async hasFactor(accountId: string): Promise<boolean> {
    return (await this.factors.find(accountId)) !== null;
  }

  /** Starts the session, or, when the account has a second factor, answers SECOND_FACTOR_REQUIRED. */
  async signIn(account: CredentialRecord, first: FirstStep): Promise<IssuedSession> {
    const factor = await this.factors.find(account.id);
    // gatehouse_sign_ins_total counts the answer (success, second_factor_required) in SignInStrategy.
    if (!factor) {
      // SessionsService.start records SIGN_IN_SUCCEEDED with the session's methods.
      return this.sessions.start(account, [first.method]);
    }
    const methods = await this.methodsFor(account, factor.method, first);
    const ticket = randomBytes(32).toString('base64url');
    // An EMAIL / SMS account gets its code at once, on the first channel it may use.
    const channel = methods.find((m): m is SecondFactorMethod.EMAIL | SecondFactorMethod.SMS => m === SecondFactorMethod.EMAIL || m === SecondFactorMethod.SMS);
    const challenge = channel ? await this.sendQuietly(account.id, Channel[channel]) : null;
    await this.tickets.create({
      id: hashTicket(ticket),
      accountId: account.id,
      firstMethod: first.method,
      firstChannel: first.channel,
      methods,
      challengeId: challenge?.challengeId ?? null,
      attemptsRemaining: this.config.otp.maxAttempts,
      expiresAt: new Date(Date.now() + TICKET_TTL_MS),
    });
    throw new SecondFactorException(SecondFactorErrorCode.REQUIRED, {
      ticket,
      methods,
      ...(challenge
        ? {
            challengeId: challenge.challengeId,
            destination: challenge.destination,
            expiresAt: challenge.expiresAt.toISOString(),
            resendAvailableAt: challenge.resendAvailableAt.toISOString(),
          }
        : {}),
    });
  }

  /** `completeSignIn`: wrong codes spend the ticket's attempts and the account's sign-in budget. */
  async complete(ticket: string, method: SecondFactorMethod, code: string): Promise<IssuedSession> {
    const id = TICKET.test(ticket) ? hashTicket(ticket) : null;
    const t = id ? await this.tickets.findLive(id) : null;
    if (!id || !t) throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
    if (!t.methods.includes(method)) throw new SecondFactorException(SecondFactorErrorCode.METHOD_UNAVAILABLE);
    try {
      const session = await this.limiter.judge([`account:${t.accountId}`], currentIpKey(), () => this.attempt(id, t, method, code), {
        isFailure: isWrongCode,
        failureEvent: SecurityEventType.SECOND_FACTOR_FAILED,
      });
      this.metrics.secondFactor.inc({ method: method.toLowerCase(), result: 'success' });
      return session;
    } catch (err) {
      if (isWrongCode(err)) {
        this.metrics.secondFactor.inc({
          method: method.toLowerCase(),
          result: (err as SecondFactorException).reasonCode === SecondFactorErrorCode.MAX_ATTEMPTS ? 'max_attempts' : 'invalid',
        });
        // Its SECOND_FACTOR_FAILED event is written by the sign-in budget (after the answer).
      }
      throw err;
    }
  }

  /** `requestSecondFactorCode`: only on a channel the ticket offers; inside the cool-down the open challenge comes back. */
  async requestCode(ticket: string, channel: Channel): Promise<OtpChallengeModel> {
    const id = TICKET.test(ticket) ? hashTicket(ticket) : null;
    const t = id ? await this.tickets.findLive(id) : null;
    if (!id || !t) throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
    if (!t.methods.includes(channel)) throw new SecondFactorException(SecondFactorErrorCode.CHANNEL_UNAVAILABLE);
    const challenge = await this.send(t.accountId, channel);
    if (!challenge) throw new SecondFactorException(SecondFactorErrorCode.CHANNEL_UNAVAILABLE);
    await this.tickets.setChallenge(id, challenge.challengeId);
    return challenge;
  }

  private async attempt(id: Buffer, t: TicketRow, method: SecondFactorMethod, code: string): Promise<IssuedSession> {
    const account = await this.credentials.findById(t.accountId);
    if (!account || account.status !== 'ACTIVE') throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
    const authMethods: AuthMethod[] = [t.firstMethod, method];
    if (method === SecondFactorMethod.EMAIL || method === SecondFactorMethod.SMS) {
      if (!t.challengeId || !/^\d+$/.test(code.trim())) return this.wrong(id);
      try {
        return await this.otp.verify(t.challengeId, code.trim(), { purpose: OtpPurpose.SECOND_FACTOR, callerAccountId: t.accountId }, async (c, manager) => {
          if (c.account_id !== t.accountId || c.channel !== Channel[method]) throw new OtpException(OtpErrorCode.INVALID);
          if (!(await this.tickets.use(manager, id))) throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
          return this.sessions.start(account, authMethods, manager);
        });
      } catch (err) {
        if (err instanceof OtpException && err.reasonCode !== OtpErrorCode.EXPIRED) return this.wrong(id);
        throw err;
      }
    }
    const session = await this.dataSource.transaction(async (manager) => {
      let ok: boolean;
      if (method === SecondFactorMethod.TOTP) {
        const factor = await this.factors.find(t.accountId, manager, true);
        ok = factor !== null && (await this.codes.acceptTotp(manager, factor, code));
      } else {
        ok = await this.codes.useRecoveryCode(manager, t.accountId, code);
      }
      if (!ok) return null;
      if (!(await this.tickets.use(manager, id))) throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
      return this.sessions.start(account, authMethods, manager);
    });
    return session ?? this.wrong(id);
  }

  /** A wrong code: one attempt of the ticket less; the last one ends it (OTP_MAX_ATTEMPTS). */
  private async wrong(id: Buffer): Promise<never> {
    const left = await this.tickets.spendAttempt(id);
    if (left === null) throw new SecondFactorException(SecondFactorErrorCode.TICKET_INVALID);
    if (left === 0) throw new SecondFactorException(SecondFactorErrorCode.MAX_ATTEMPTS);
    throw new SecondFactorException(SecondFactorErrorCode.CODE_INVALID, { attemptsRemaining: left });
  }

  /**
   * What the second step may use: TOTP accounts their app (never EMAIL / SMS); code accounts
   * their verified channels, the enabled one first, never the one that proved the first step,
   * and for 24 h after a password reset never the one that carried the reset code. Recovery
   * codes always.
   */
  private async methodsFor(account: CredentialRecord, factorMethod: string, first: FirstStep): Promise<SecondFactorMethod[]> {
    if (factorMethod === 'TOTP') return [SecondFactorMethod.TOTP, SecondFactorMethod.RECOVERY_CODE];
    const contacts = await this.identifiers.verifiedContacts(account.id);
    const channels = [...new Set(contacts.map((c): Channel => (c.type === 'EMAIL' ? 'EMAIL' : 'SMS')))].sort((a, b) =>
      a === factorMethod ? -1 : b === factorMethod ? 1 : 0,
    );
    const resetAt = account.passwordChangedAt ? new Date(account.passwordChangedAt).getTime() : 0;
    const since = new Date(Date.now() - RESET_LOCKOUT_MS);
    const resetChannels = resetAt > since.getTime() ? await this.otp.consumedChannelsSince(account.id, OtpPurpose.PASSWORD_RESET, since) : [];
    const offered = channels.filter((c) => c !== first.channel && !resetChannels.includes(c));
    return [...offered.map((c) => c as SecondFactorMethod), SecondFactorMethod.RECOVERY_CODE];
  }

  /** Sends without being asked (the SECOND_FACTOR_REQUIRED answer): a refused send only leaves the challenge out. */
  private async sendQuietly(accountId: string, channel: Channel): Promise<OtpChallengeModel | null> {
    try {
      return await this.send(accountId, channel);
    } catch (err) {
      if (err instanceof OtpException) return null;
      throw err;
    }
  }

  private async send(accountId: string, channel: Channel): Promise<OtpChallengeModel | null> {
    const contacts = await this.identifiers.verifiedContacts(accountId);
    const contact = contacts.find((c) => c.type === (channel === Channel.EMAIL ? 'EMAIL' : 'PHONE'));
    if (!contact) return null;
    if (await this.otp.inCooldown(accountId, OtpPurpose.SECOND_FACTOR, contact.value)) {
      const open = await this.otp.findOpen(accountId, OtpPurpose.SECOND_FACTOR, contact.value);
      if (open) return open;
    }
    return this.dataSource.transaction(async (manager) => {
      const book = await this.notices.addressBook(manager, accountId);
      return this.otp.issue(manager, {
        purpose: OtpPurpose.SECOND_FACTOR,
        channel,
        destination: contact.value,
        maskedDestination: channel === Channel.EMAIL ? maskEmail(contact.value) : maskPhone(contact.value),
        accountId,
        locale: book.locale,
        recipientName: book.name,
      });
    });
  }
}

function hashTicket(ticket: string): Buffer {
  return createHash('sha256').update(ticket, 'utf8').digest();
}
