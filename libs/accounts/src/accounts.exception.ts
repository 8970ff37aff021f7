import { AppException, ErrorCode } from '@app/graphql';

export enum AccountErrorCode {
  INVALID_INPUT = 'INVALID_INPUT',
  PASSWORD_POLICY = 'PASSWORD_POLICY',
  WRONG_PASSWORD = 'WRONG_PASSWORD',
  NOT_FOUND = 'NOT_FOUND',
}

const CONTRACT: Record<AccountErrorCode, ErrorCode> = {
  [AccountErrorCode.INVALID_INPUT]: ErrorCode.BAD_USER_INPUT,
  [AccountErrorCode.PASSWORD_POLICY]: ErrorCode.PASSWORD_POLICY,
  [AccountErrorCode.WRONG_PASSWORD]: ErrorCode.INVALID_CREDENTIALS,
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
