import { AppException, ErrorCode } from '@app/core';

export enum AccountDeletionErrorCode {
  /** The account has no verified email / phone (on the chosen channel) to send the code to. */
  NO_VERIFIED_CONTACT = 'NO_VERIFIED_CONTACT',
  INVALID_INPUT = 'INVALID_INPUT',
  /** The challenge proves nothing this flow can use (another request, already cancelled, erased). */
  CHALLENGE_NOT_USABLE = 'CHALLENGE_NOT_USABLE',
  /** The account stopped being usable between sign-in and this request (blocked meanwhile). */
  ACCOUNT_NOT_ACTIVE = 'ACCOUNT_NOT_ACTIVE',
}

const CONTRACT: Record<AccountDeletionErrorCode, ErrorCode> = {
  [AccountDeletionErrorCode.NO_VERIFIED_CONTACT]: ErrorCode.BAD_USER_INPUT,
  [AccountDeletionErrorCode.INVALID_INPUT]: ErrorCode.BAD_USER_INPUT,
  // The same answer as an unknown or consumed challenge (contract: after erasure, like an unknown value).
  [AccountDeletionErrorCode.CHALLENGE_NOT_USABLE]: ErrorCode.OTP_INVALID,
  [AccountDeletionErrorCode.ACCOUNT_NOT_ACTIVE]: ErrorCode.UNAUTHENTICATED,
};

export class AccountDeletionException extends AppException {
  constructor(
    public readonly reasonCode: AccountDeletionErrorCode,
    details: { field?: string; reason?: string } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
