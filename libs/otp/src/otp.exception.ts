import { AppException, ErrorCode } from '@app/core';

export enum OtpErrorCode {
  INVALID = 'INVALID',
  EXPIRED = 'EXPIRED',
  MAX_ATTEMPTS = 'MAX_ATTEMPTS',
  COOLDOWN = 'COOLDOWN',
  RATE_LIMITED = 'RATE_LIMITED',
}

const CONTRACT: Record<OtpErrorCode, ErrorCode> = {
  [OtpErrorCode.INVALID]: ErrorCode.OTP_INVALID,
  [OtpErrorCode.EXPIRED]: ErrorCode.OTP_EXPIRED,
  [OtpErrorCode.MAX_ATTEMPTS]: ErrorCode.OTP_MAX_ATTEMPTS,
  [OtpErrorCode.COOLDOWN]: ErrorCode.OTP_RESEND_COOLDOWN,
  [OtpErrorCode.RATE_LIMITED]: ErrorCode.RATE_LIMITED,
};

export class OtpException extends AppException {
  constructor(
    public readonly reasonCode: OtpErrorCode,
    details: { attemptsRemaining?: number; retryAfterSeconds?: number } = {},
    /** A wrong code on a challenge bound to an account: whose it was (never shown; a flow may record it). */
    public readonly wrongCodeFor: string | null = null,
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
