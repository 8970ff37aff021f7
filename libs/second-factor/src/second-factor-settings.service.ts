import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { Channel } from '@app/core';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReauthenticationService, SessionsService, SignInLimiter } from '@app/credentials';
import { IdentifiersService } from '@app/identifiers';
import { NoticesService } from '@app/notifications';
import { MetricsService } from '@app/observability';
import { currentIpKey } from '@app/rate-limit';
import { FactorCodesService } from './factor-codes.service';
import { isWrongCode, SecondFactorErrorCode, SecondFactorException } from './second-factor.exception';
import { RecoveryCodesModel, SecondFactorMethod, SecondFactorStatusModel } from './second-factor.models';
import { FactorMethod, SecondFactorsRepository } from './second-factors.repository';
import type { Sealed } from './secret-cipher';

/**
 * The signed-in side of the second factor (contract: Second factor): turning it on (the code
 * channels here; TOTP through TotpEnrollmentService), off, new recovery codes, the status, and
 * the admin reset. Every change re-authenticates with the current password first.
 */
@Injectable()
export class SecondFactorSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reauth: ReauthenticationService,
    private readonly limiter: SignInLimiter,
    private readonly identifiers: IdentifiersService,
    private readonly factors: SecondFactorsRepository,
    private readonly codes: FactorCodesService,
    private readonly sessions: SessionsService,
    private readonly notices: NoticesService,
    private readonly metrics: MetricsService,
    private readonly events: SecurityEventsService,
  ) {}

  async enableCode(accountId: string, sessionId: string, channel: Channel, currentPassword: string): Promise<RecoveryCodesModel> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    if (await this.factors.find(accountId)) throw new SecondFactorException(SecondFactorErrorCode.ALREADY_ENABLED);
    const contacts = await this.identifiers.verifiedContacts(accountId);
    if (!contacts.some((c) => c.type === (channel === Channel.EMAIL ? 'EMAIL' : 'PHONE')))
      throw new SecondFactorException(SecondFactorErrorCode.CHANNEL_UNAVAILABLE);
    return this.dataSource.transaction((manager) => this.turnOn(manager, accountId, sessionId, channel === Channel.EMAIL ? 'EMAIL' : 'SMS', null, null));
  }

  /**
   * Turns a factor on inside the caller's transaction: the recovery codes, the notice, and every
   * other session ends (one opened with the password alone must not outlive it).
   */
  async turnOn(
    manager: EntityManager,
    accountId: string,
    sessionId: string,
    method: FactorMethod,
    sealed: Sealed | null,
    lastTotpStep: number | null,
  ): Promise<RecoveryCodesModel> {
    if (!(await this.factors.insert(manager, accountId, method, sealed, lastTotpStep))) throw new SecondFactorException(SecondFactorErrorCode.ALREADY_ENABLED);
    const issued = await this.codes.issueRecoveryCodes(manager, accountId);
    await this.sessions.endAll(accountId, 'second_factor_enabled', manager, sessionId);
    await this.notices.notify(manager, accountId, 'notice.second_factor_enabled');
    await this.events.record(manager, { type: SecurityEventType.SECOND_FACTOR_ENABLED, accountId, sessionId, detail: method });
    this.metrics.secondFactor.inc({ method: method.toLowerCase(), result: 'enabled' });
    return issued;
  }

  /** Needs the password and a TOTP or recovery code; wrong codes spend the account's sign-in budget. */
  async disable(accountId: string, currentPassword: string, code: string): Promise<void> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    const factor = await this.factors.find(accountId);
    if (!factor) throw new SecondFactorException(SecondFactorErrorCode.NOT_ENABLED);
    await this.limiter.judge(
      [`account:${accountId}`],
      currentIpKey(),
      () =>
        this.dataSource.transaction(async (manager) => {
          const locked = await this.factors.find(accountId, manager, true);
          if (!locked) throw new SecondFactorException(SecondFactorErrorCode.NOT_ENABLED);
          const totp = /^\s*\d{6}\s*$/.test(code);
          const ok = totp ? await this.codes.acceptTotp(manager, locked, code) : await this.codes.useRecoveryCode(manager, accountId, code);
          if (!ok) {
            // The failure's SECOND_FACTOR_FAILED event is the sign-in budget's (written after the answer).
            this.metrics.secondFactor.inc({ method: totp ? 'totp' : 'recovery_code', result: 'invalid' });
            throw new SecondFactorException(SecondFactorErrorCode.CODE_INVALID);
          }
          await this.factors.remove(manager, accountId);
          await this.codes.removeRecoveryCodes(manager, accountId);
          await this.notices.notify(manager, accountId, 'notice.second_factor_disabled');
          await this.events.record(manager, { type: SecurityEventType.SECOND_FACTOR_DISABLED, accountId, detail: locked.method });
          this.metrics.secondFactor.inc({ method: locked.method.toLowerCase(), result: 'disabled' });
        }),
      { isFailure: isWrongCode, failureEvent: SecurityEventType.SECOND_FACTOR_FAILED },
    );
  }

  async regenerate(accountId: string, currentPassword: string): Promise<RecoveryCodesModel> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    return this.dataSource.transaction(async (manager) => {
      const factor = await this.factors.find(accountId, manager, true);
      if (!factor) throw new SecondFactorException(SecondFactorErrorCode.NOT_ENABLED);
      const issued = await this.codes.issueRecoveryCodes(manager, accountId);
      await this.notices.notify(manager, accountId, 'notice.recovery_codes_regenerated');
      await this.events.record(manager, { type: SecurityEventType.RECOVERY_CODES_REGENERATED, accountId });
      this.metrics.secondFactor.inc({ method: 'recovery_code', result: 'regenerated' });
      return issued;
    });
  }

  /** Admin `resetSecondFactor` (lost device): removes the factor and its recovery codes, if any. */
  async adminReset(accountId: string, adminId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const factor = await this.factors.find(accountId, manager, true);
      await this.factors.remove(manager, accountId);
      await this.codes.removeRecoveryCodes(manager, accountId);
      if (factor) {
        await this.notices.notify(manager, accountId, 'notice.second_factor_disabled');
        await this.events.record(manager, { type: SecurityEventType.SECOND_FACTOR_RESET, accountId, actorId: adminId, detail: reason });
        this.metrics.secondFactor.inc({ method: factor.method.toLowerCase(), result: 'reset' });
      }
    });
  }

  async isEnabled(accountId: string): Promise<boolean> {
    return (await this.factors.find(accountId)) !== null;
  }

  /** `Account.secondFactor` for many accounts in one query (DataLoader). */
  async statusOf(accountIds: readonly string[]): Promise<Map<string, SecondFactorStatusModel>> {
    const found = await this.factors.methodsOf(accountIds);
    return new Map(
      accountIds.map((id) => {
        const f = found.get(id);
        const status: SecondFactorStatusModel = f
          ? { enabled: true, methods: [f.method as SecondFactorMethod, SecondFactorMethod.RECOVERY_CODE], recoveryCodesRemaining: f.remaining }
          : { enabled: false, methods: [], recoveryCodesRemaining: 0 };
        return [id, status];
      }),
    );
  }
}
