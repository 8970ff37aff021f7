import { Injectable } from '@nestjs/common';
import { CredentialErrorCode, CredentialException } from './credentials.exception';
import { CredentialRecord, CredentialsRepository } from './credentials.repository';
import { PasswordService } from './passwords/password.service';

/**
 * `currentPassword` checks (changePassword, linking, contact change, deletion): checked before
 * anything else (contract: Flows), with the same INVALID_CREDENTIALS as sign-in.
 */
@Injectable()
export class ReauthenticationService {
  constructor(
    private readonly repository: CredentialsRepository,
    private readonly passwords: PasswordService,
  ) {}

  async verifyCurrentPassword(accountId: string, password: string): Promise<CredentialRecord> {
    this.passwords.assertInputSize(password, 'currentPassword');
    const account = await this.repository.findById(accountId);
    if (!account || !(await this.passwords.verify(password, account.passwordHash))) {
      throw new CredentialException(CredentialErrorCode.WRONG_PASSWORD);
    }
    return account;
  }
}
