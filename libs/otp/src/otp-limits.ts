import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RateLimitStore } from '@app/rate-limit';
import { OtpErrorCode, OtpException } from './otp.exception';

/**
 * Send limits (contract: One-time codes): a cool-down per account, purpose and destination;
 * at most OTP_MAX_SENDS_PER_HOUR sends to one destination for one account (all purposes), and
 * three times that for one destination whoever asks. Kept in the shared rate-limit store.
 */
@Injectable()
export class OtpLimits {
  constructor(
    private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  private cooldownKey(accountId: string | null, purpose: string, destination: string): string {
    return `otp:cd:${accountId ?? '-'}:${purpose}:${destination}`;
  }

  /** Would a send now be inside the cool-down? (for flows that send without being asked) */
  async inCooldown(accountId: string | null, purpose: string, destination: string): Promise<boolean> {
    if (this.config.otp.resendCooldownSeconds === 0) return false;
    const peek = await this.store.peek(this.cooldownKey(accountId, purpose, destination), this.config.otp.resendCooldownSeconds, 1);
    return !peek.allowed;
  }

  /** Counts one send, or throws OTP_RESEND_COOLDOWN / RATE_LIMITED with retryAfterSeconds. */
  async consumeSend(accountId: string | null, purpose: string, destination: string): Promise<void> {
    const { resendCooldownSeconds, maxSendsPerHour } = this.config.otp;
    if (resendCooldownSeconds > 0) {
      const cd = await this.store.hit(this.cooldownKey(accountId, purpose, destination), resendCooldownSeconds, 1);
      if (!cd.allowed) throw new OtpException(OtpErrorCode.COOLDOWN, { retryAfterSeconds: cd.retryAfterSeconds });
    }
    const perAccount = await this.store.hit(`otp:acct:${accountId ?? '-'}:${destination}`, 3600, maxSendsPerHour);
    if (!perAccount.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: perAccount.retryAfterSeconds });
    const perDestination = await this.store.hit(`otp:dest:${destination}`, 3600, maxSendsPerHour * 3);
    if (!perDestination.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: perDestination.retryAfterSeconds });
  }
}
