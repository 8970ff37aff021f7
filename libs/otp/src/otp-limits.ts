import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { currentIpKey, RateLimitStore } from '@app/rate-limit';
import { OtpErrorCode, OtpException } from './otp.exception';

/**
 * Send limits (contract: One-time codes): a cool-down per account, purpose and destination;
 * at most OTP_MAX_SENDS_PER_HOUR sends to one destination for one account (all purposes), and
 * three times that for one destination whoever asks; OTP_MAX_SENDS_PER_IP_PER_HOUR per client IP
 * (/64) and channel; SMS_MAX_PER_HOUR real SMS for the whole deployment (the SMS-pumping brake).
 * Decoys meet every limit as a real send would, so a limit never tells them apart. Kept in the
 * shared rate-limit store.
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
  async consumeSend(accountId: string | null, purpose: string, destination: string, channel: string, decoy: boolean): Promise<void> {
    const { resendCooldownSeconds, maxSendsPerHour } = this.config.otp;
    if (resendCooldownSeconds > 0) {
      const cd = await this.store.hit(this.cooldownKey(accountId, purpose, destination), resendCooldownSeconds, 1);
      if (!cd.allowed) throw new OtpException(OtpErrorCode.COOLDOWN, { retryAfterSeconds: cd.retryAfterSeconds });
    }
    const perAccount = await this.store.hit(`otp:acct:${accountId ?? '-'}:${destination}`, 3600, maxSendsPerHour);
    if (!perAccount.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: perAccount.retryAfterSeconds });
    const perDestination = await this.store.hit(`otp:dest:${destination}`, 3600, maxSendsPerHour * 3);
    if (!perDestination.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: perDestination.retryAfterSeconds });
    const perIp = this.config.abuse.otpSendsPerIpPerHour;
    const ip = currentIpKey();
    // Jobs and boot ('internal') send no codes on anyone's behalf that an IP limit should stop.
    if (perIp > 0 && ip !== 'internal') {
      const hit = await this.store.hit(`otp:ip:${ip}:${channel}`, 3600, perIp);
      if (!hit.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: hit.retryAfterSeconds });
    }
    const smsMax = this.config.abuse.smsMaxPerHour;
    if (channel === 'SMS' && smsMax !== undefined) {
      // Real SMS spend the budget; once it is spent, a decoy is refused exactly like a real request.
      const sms = decoy ? await this.store.peek('otp:sms:all', 3600, smsMax) : await this.store.hit('otp:sms:all', 3600, smsMax);
      if (!sms.allowed) throw new OtpException(OtpErrorCode.RATE_LIMITED, { retryAfterSeconds: sms.retryAfterSeconds });
    }
  }
}
