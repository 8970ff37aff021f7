import { AppException, ErrorCode } from '@app/graphql';

export enum AuthErrorCode {
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  NOT_VERIFIED = 'NOT_VERIFIED',
  DISABLED = 'DISABLED',
  PENDING_DELETION = 'PENDING_DELETION',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

const CONTRACT: Record<AuthErrorCode, ErrorCode> = {
  [AuthErrorCode.INVALID_CREDENTIALS]: ErrorCode.INVALID_CREDENTIALS,
  [AuthErrorCode.NOT_VERIFIED]: ErrorCode.IDENTIFIER_NOT_VERIFIED,
  [AuthErrorCode.DISABLED]: ErrorCode.ACCOUNT_DISABLED,
  [AuthErrorCode.PENDING_DELETION]: ErrorCode.ACCOUNT_PENDING_DELETION,
  [AuthErrorCode.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
};

export class AuthException extends AppException {
  constructor(
    public readonly reasonCode: AuthErrorCode,
    details: {
      field?: string;
      reason?: string;
      challengeId?: string;
      scheduledFor?: string;
      destination?: string;
      expiresAt?: string;
      resendAvailableAt?: string;
    } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
