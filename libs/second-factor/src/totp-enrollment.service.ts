import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { ReauthenticationService } from '@app/credentials';
import { IdentifiersService } from '@app/identifiers';
import { FactorCodesService } from './factor-codes.service';
import { SecondFactorErrorCode, SecondFactorException } from './second-factor.exception';
import { RecoveryCodesModel, TotpEnrollmentModel } from './second-factor.models';
import { SecondFactorSettingsService } from './second-factor-settings.service';
import { SecondFactorsRepository } from './second-factors.repository';
import { matchTotp, newTotpSecret, toBase32, totpUri } from './totp';

const ENROLLMENT_TTL_MS = 10 * 60 * 1000;
const ENROLLMENT_ATTEMPTS = 5;

/**
 * Authenticator-app enrollment (contract: Second factor): a 160-bit secret, sealed at rest from
 * the first moment, shown only in the enrollment; the first right code turns TOTP on.
 */
@Injectable()
export class TotpEnrollmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly reauth: ReauthenticationService,
    private readonly identifiers: IdentifiersService,
    private readonly factors: SecondFactorsRepository,
    private readonly codes: FactorCodesService,
    private readonly settings: SecondFactorSettingsService,
  ) {}

  async begin(accountId: string, currentPassword: string): Promise<TotpEnrollmentModel> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    if (await this.factors.find(accountId)) throw new SecondFactorException(SecondFactorErrorCode.ALREADY_ENABLED);
    const secret = newTotpSecret();
    const expiresAt = new Date(Date.now() + ENROLLMENT_TTL_MS);
    const enrollmentId = await this.factors.createEnrollment(accountId, this.codes.seal(accountId, secret), ENROLLMENT_ATTEMPTS, expiresAt);
    return { enrollmentId, otpauthUri: totpUri(this.config.appName, await this.label(accountId), secret), secret: toBase32(secret), expiresAt };
  }

  /** The first right code turns TOTP on; its time step counts as used, so it cannot sign in later. */
  async confirm(accountId: string, sessionId: string, enrollmentId: string, code: string): Promise<RecoveryCodesModel> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const enrollment = await this.factors.lockOpenEnrollment(manager, accountId, enrollmentId);
      if (!enrollment) throw new SecondFactorException(SecondFactorErrorCode.ENROLLMENT_NOT_FOUND);
      const step = await matchTotp(this.codes.open(accountId, enrollment.sealed), code.trim(), null);
      if (step === null) return { wrong: enrollment.id, codes: null };
      await this.factors.confirmEnrollment(manager, enrollment.id);
      return { wrong: null, codes: await this.settings.turnOn(manager, accountId, sessionId, 'TOTP', enrollment.sealed, step) };
    });
    if (outcome.wrong !== null || !outcome.codes) {
      const left = await this.factors.spendEnrollmentAttempt(outcome.wrong);
      throw new SecondFactorException(
        left === 0 ? SecondFactorErrorCode.MAX_ATTEMPTS : SecondFactorErrorCode.CODE_INVALID,
        left ? { attemptsRemaining: left } : {},
      );
    }
    return outcome.codes;
  }

  /** The authenticator app's label: the username, else the email, else the phone. */
  private async label(accountId: string): Promise<string> {
    const ids = await this.identifiers.listForAccount(accountId);
    const pick =
      ids.find((i) => i.type === 'USERNAME') ?? ids.find((i) => i.type === 'EMAIL' && i.verifiedAt) ?? ids.find((i) => i.type === 'PHONE' && i.verifiedAt);
    return pick?.value ?? accountId;
  }
}
