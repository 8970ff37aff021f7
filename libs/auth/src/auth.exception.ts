import { AppException, ErrorCode } from '@app/core';

export enum AuthErrorCode {
  NOT_VERIFIED = 'NOT_VERIFIED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

const CONTRACT: Record<AuthErrorCode, ErrorCode> = {
  [AuthErrorCode.NOT_VERIFIED]: ErrorCode.IDENTIFIER_NOT_VERIFIED,
  [AuthErrorCode.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
};

export class AuthException extends AppException {
  constructor(
    public readonly reasonCode: AuthErrorCode,
    details: {
      field?: string;
      reason?: string;
      challengeId?: string;
      destination?: string;
      expiresAt?: string;
      resendAvailableAt?: string;
    } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
