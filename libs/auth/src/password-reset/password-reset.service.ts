import { Injectable } from '@nestjs/common';
import { Channel, Locale } from '@app/core';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { CredentialsRepository, PasswordService } from '@app/credentials';
import { IdentifiersService } from '@app/identifiers';
import { MetricsService } from '@app/observability';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { AuthErrorCode, AuthException } from '../auth.exception';
import { CodeTargets } from '../code-target';
import { PasswordChangeService } from '../password-change.service';
import { PasswordResetTicketModel } from './password-reset.models';
import { findOpenResetToken, insertResetToken, useResetToken } from './password-reset-tokens.repository';

const RESET_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * Forgotten password (contract: Password reset). Unknown identifiers, unverified ones and
 * accounts that cannot reset get the same answer as real ones (a decoy challenge, same shape
 * and limits), and nothing is sent; a reset never goes to an unverified address.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly credentials: CredentialsRepository,
    private readonly passwords: PasswordService,
    private readonly otp: OtpService,
    private readonly passwordChange: PasswordChangeService,
    private readonly metrics: MetricsService,
    private readonly targets: CodeTargets,
  ) {}

  async request(rawIdentifier: string, channel: Channel | null | undefined, requestLocale: Locale): Promise<OtpChallengeModel> {
    const kind = this.identifiers.detect(rawIdentifier);
    const value = this.identifiers.normalize(kind, rawIdentifier, 'identifier');
    const target = await this.targets.resolve(kind, value, channel ?? null);
    return this.targets.issue(OtpPurpose.PASSWORD_RESET, kind, value, target, channel ?? null, requestLocale);
  }

  /** A right code buys a single-use reset token (15 minutes), stored only as a hash. */
  async verifyCode(challengeId: string, code: string, callerAccountId: string | null): Promise<PasswordResetTicketModel> {
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.PASSWORD_RESET, callerAccountId }, async (c, manager) => {
      if (!c.account_id) throw new OtpException(OtpErrorCode.INVALID);
      const resetToken = randomBytes(32).toString('base64url');
      const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
      await insertResetToken(manager, c.account_id, this.hashToken(resetToken), expiresAt);
      return { resetToken, expiresAt };
    });
  }

  /** Sets the new password; a password the policy refuses does not use the token up. */
  async reset(resetToken: string, newPassword: string): Promise<void> {
    this.passwords.assertInputSize(newPassword, 'newPassword');
    const tokenHash = this.hashToken(resetToken);
    const open = await findOpenResetToken(this.dataSource, tokenHash, new Date());
    const account = open ? await this.credentials.findById(open.account_id) : null;
    if (!open || !account || account.status !== 'ACTIVE') throw new AuthException(AuthErrorCode.UNAUTHENTICATED, { reason: 'reset_token' });
    const values = (await this.identifiers.listForAccount(account.id)).map((i) => i.value);
    this.passwords.assertPolicy(newPassword, values);
    const passwordHash = await this.passwords.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      if (!(await useResetToken(manager, tokenHash, new Date()))) throw new AuthException(AuthErrorCode.UNAUTHENTICATED, { reason: 'reset_token' });
      await this.passwordChange.apply(manager, account.id, passwordHash, null);
    });
    this.metrics.passwordResets.inc();
  }

  private hashToken(token: string): string {
    return createHmac('sha256', this.config.otpHashKey).update(`reset:${token}`).digest('hex');
  }
}
