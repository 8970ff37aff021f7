import { AppException, ErrorCode } from '@app/core';

export enum IdentifierErrorCode {
  INVALID_VALUE = 'INVALID_VALUE',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  VALUE_TAKEN = 'VALUE_TAKEN',
  LAST_IDENTIFIER = 'LAST_IDENTIFIER',
  NOT_FOUND = 'NOT_FOUND',
}

const CONTRACT: Record<IdentifierErrorCode, ErrorCode> = {
  [IdentifierErrorCode.INVALID_VALUE]: ErrorCode.BAD_USER_INPUT,
  [IdentifierErrorCode.USERNAME_TAKEN]: ErrorCode.IDENTIFIER_TAKEN,
  [IdentifierErrorCode.VALUE_TAKEN]: ErrorCode.IDENTIFIER_TAKEN,
  [IdentifierErrorCode.LAST_IDENTIFIER]: ErrorCode.LAST_IDENTIFIER,
  [IdentifierErrorCode.NOT_FOUND]: ErrorCode.NOT_FOUND,
};

export class IdentifierException extends AppException {
  constructor(
    public readonly reasonCode: IdentifierErrorCode,
    details: { field?: string; reason?: string } = {},
  ) {
    super(CONTRACT[reasonCode], details);
  }
}
