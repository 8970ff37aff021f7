import { AppException, ErrorCode } from '@app/core';

export enum AccountErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  NOT_FOUND = 'NOT_FOUND',
}

const CONTRACT: Record<AccountErrorCode, ErrorCode> = {
  [AccountErrorCode.INVALID_INPUT]: ErrorCode.BAD_USER_INPUT,
  [AccountErrorCode.NOT_FOUND]: ErrorCode.NOT_FOUND,
};

export class AccountException extends AppException {
  constructor(
    public readonly reasonCode: AccountErrorCode,
    details: { field?: string; reason?: string } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
