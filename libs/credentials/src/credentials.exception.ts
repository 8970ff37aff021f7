import { AppException, ErrorCode } from '@app/core';

export enum CredentialErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  ACCOUNT_PENDING_DELETION = 'ACCOUNT_PENDING_DELETION',
  PASSWORD_POLICY = 'PASSWORD_POLICY',
  RATE_LIMITED = 'RATE_LIMITED',
  SESSION_INVALID = 'SESSION_INVALID',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
}

const CONTRACT: Record<CredentialErrorCode, ErrorCode> = {
  [CredentialErrorCode.INVALID_INPUT]: ErrorCode.BAD_USER_INPUT,
  [CredentialErrorCode.WRONG_PASSWORD]: ErrorCode.INVALID_CREDENTIALS,
  [CredentialErrorCode.ACCOUNT_DISABLED]: ErrorCode.ACCOUNT_DISABLED,
  [CredentialErrorCode.ACCOUNT_PENDING_DELETION]: ErrorCode.ACCOUNT_PENDING_DELETION,
  [CredentialErrorCode.PASSWORD_POLICY]: ErrorCode.PASSWORD_POLICY,
  [CredentialErrorCode.RATE_LIMITED]: ErrorCode.RATE_LIMITED,
  [CredentialErrorCode.SESSION_INVALID]: ErrorCode.UNAUTHENTICATED,
  [CredentialErrorCode.SESSION_NOT_FOUND]: ErrorCode.NOT_FOUND,
};

export class CredentialException extends AppException {
  constructor(
    public readonly reasonCode: CredentialErrorCode,
    details: { field?: string; reason?: string; retryAfterSeconds?: number; scheduledFor?: string } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
