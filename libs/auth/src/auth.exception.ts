import { AppException, ErrorCode } from '@app/graphql';

export enum AuthErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  NOT_VERIFIED = 'NOT_VERIFIED',
  DISABLED = 'DISABLED',
  PENDING_DELETION = 'PENDING_DELETION',
  PASSWORD_POLICY = 'PASSWORD_POLICY',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
}

const CONTRACT: Record<AuthErrorCode, ErrorCode> = {
  [AuthErrorCode.INVALID_INPUT]: ErrorCode.BAD_USER_INPUT,
  [AuthErrorCode.INVALID_CREDENTIALS]: ErrorCode.INVALID_CREDENTIALS,
  [AuthErrorCode.NOT_VERIFIED]: ErrorCode.IDENTIFIER_NOT_VERIFIED,
  [AuthErrorCode.DISABLED]: ErrorCode.ACCOUNT_DISABLED,
  [AuthErrorCode.PENDING_DELETION]: ErrorCode.ACCOUNT_PENDING_DELETION,
  [AuthErrorCode.PASSWORD_POLICY]: ErrorCode.PASSWORD_POLICY,
  [AuthErrorCode.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
  [AuthErrorCode.FORBIDDEN]: ErrorCode.FORBIDDEN,
};

export class AuthException extends AppException {
  constructor(
    public readonly reasonCode: AuthErrorCode,
    details: { field?: string; reason?: string; challengeId?: string; scheduledFor?: string } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
