import { AppException, ErrorCode, ErrorExtensions } from '@app/core';

export enum SecondFactorErrorCode {
  REQUIRED = 'REQUIRED',
  ALREADY_ENABLED = 'ALREADY_ENABLED',
  NOT_ENABLED = 'NOT_ENABLED',
  ENROLLMENT_NOT_FOUND = 'ENROLLMENT_NOT_FOUND',
  CODE_INVALID = 'CODE_INVALID',
  MAX_ATTEMPTS = 'MAX_ATTEMPTS',
  TICKET_INVALID = 'TICKET_INVALID',
  CHANNEL_UNAVAILABLE = 'CHANNEL_UNAVAILABLE',
  METHOD_UNAVAILABLE = 'METHOD_UNAVAILABLE',
  SETUP_REQUIRED = 'SETUP_REQUIRED',
}

const CONTRACT: Record<SecondFactorErrorCode, ErrorCode> = {
  [SecondFactorErrorCode.REQUIRED]: ErrorCode.SECOND_FACTOR_REQUIRED,
  [SecondFactorErrorCode.ALREADY_ENABLED]: ErrorCode.SECOND_FACTOR_ALREADY_ENABLED,
  [SecondFactorErrorCode.NOT_ENABLED]: ErrorCode.NOT_FOUND,
  [SecondFactorErrorCode.ENROLLMENT_NOT_FOUND]: ErrorCode.NOT_FOUND,
  [SecondFactorErrorCode.CODE_INVALID]: ErrorCode.OTP_INVALID,
  [SecondFactorErrorCode.MAX_ATTEMPTS]: ErrorCode.OTP_MAX_ATTEMPTS,
  [SecondFactorErrorCode.TICKET_INVALID]: ErrorCode.UNAUTHENTICATED,
  [SecondFactorErrorCode.CHANNEL_UNAVAILABLE]: ErrorCode.BAD_USER_INPUT,
  [SecondFactorErrorCode.METHOD_UNAVAILABLE]: ErrorCode.BAD_USER_INPUT,
  [SecondFactorErrorCode.SETUP_REQUIRED]: ErrorCode.FORBIDDEN,
};

const DETAILS: Partial<Record<SecondFactorErrorCode, ErrorExtensions>> = {
  [SecondFactorErrorCode.CHANNEL_UNAVAILABLE]: { field: 'channel', reason: 'invalid' },
  [SecondFactorErrorCode.METHOD_UNAVAILABLE]: { field: 'method', reason: 'invalid' },
  [SecondFactorErrorCode.SETUP_REQUIRED]: { reason: 'second_factor_setup_required' },
};

export class SecondFactorException extends AppException {
  constructor(
    public readonly reasonCode: SecondFactorErrorCode,
    details: ErrorExtensions = {},
  ) {
    super(CONTRACT[reasonCode], { ...DETAILS[reasonCode], ...details });
  }
}

/** A wrong second-step code (what spends the ticket's attempts and the account's sign-in budget). */
export function isWrongCode(err: unknown): boolean {
  return (
    err instanceof SecondFactorException && (err.reasonCode === SecondFactorErrorCode.CODE_INVALID || err.reasonCode === SecondFactorErrorCode.MAX_ATTEMPTS)
  );
}
