import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { NoticesService } from '@app/notifications';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { hashRecoveryCode, newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-code';
import { SecondFactorRow, SecondFactorsRepository } from './second-factors.repository';
import { SecretCipher, Sealed } from './secret-cipher';
import { matchTotp } from './totp';

/**
 * The codes of a second factor: TOTP (secret sealed at rest, each time step accepted once) and
 * recovery codes (keyed hashes, single use). Shared by sign-in's second step and by the
 * signed-in settings (disable needs a TOTP or a recovery code).
 */
@Injectable()
export class FactorCodesService {
  readonly cipher: SecretCipher;
  private readonly recoveryKey: string;

  constructor(
    config: AppConfig,
    private readonly factors: SecondFactorsRepository,
    private readonly recovery: RecoveryCodesRepository,
    private readonly notices: NoticesService,
    private readonly events: SecurityEventsService,
  ) {
    this.cipher = new SecretCipher(config.secrets.current, config.secrets.all);
    this.recoveryKey = `recovery-codes:${config.otpHashKey}`;
  }

  seal(accountId: string, secret: Buffer): Sealed {
    return this.cipher.seal(secret, accountId);
  }

  open(accountId: string, sealed: Sealed): Buffer {
    return this.cipher.open(sealed, accountId);
  }

  /** A right TOTP code of a step after the last accepted one, recorded as accepted (inside `manager`'s transaction). */
  async acceptTotp(manager: EntityManager, factor: SecondFactorRow, code: string): Promise<boolean> {
    if (factor.method !== 'TOTP' || !factor.sealed) return false;
    const step = await matchTotp(this.open(factor.accountId, factor.sealed), code.trim(), factor.lastTotpStep);
    // The conditional UPDATE is the guard against a concurrent use of the same code.
    return step !== null && (await this.factors.acceptStep(manager, factor.accountId, step));
  }

  /** Uses a recovery code once; the person is told (contract: using a recovery code sends a notice). */
  async useRecoveryCode(manager: EntityManager, accountId: string, input: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(input);
    if (!normalized) return false;
    if (!(await this.recovery.use(manager, accountId, hashRecoveryCode(this.recoveryKey, accountId, normalized)))) return false;
    await this.events.record(manager, { type: SecurityEventType.RECOVERY_CODE_USED, accountId });
    await this.notices.notify(manager, accountId, 'notice.recovery_code_used');
    return true;
  }

  removeRecoveryCodes(manager: EntityManager, accountId: string): Promise<void> {
    return this.recovery.removeAll(manager, accountId);
  }

  /** Ten fresh codes replace every earlier one; the plaintexts are returned once and never stored. */
  async issueRecoveryCodes(manager: EntityManager, accountId: string): Promise<{ codes: string[]; generatedAt: Date }> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.recovery.replace(
      manager,
      accountId,
      codes.map((c) => hashRecoveryCode(this.recoveryKey, accountId, normalizeRecoveryCode(c) as string)),
    );
    return { codes, generatedAt: new Date() };
  }
}
