import { Injectable } from '@nestjs/common';
import { currentIpKey } from '@app/rate-limit';
import { SignInLimiter } from './sign-in-limiter';
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
    private readonly limiter: SignInLimiter,
  ) {}

  async verifyCurrentPassword(accountId: string, password: string): Promise<CredentialRecord> {
    this.passwords.assertInputSize(password, 'currentPassword');
    // Wrong current passwords count toward the sign-in failure limits (contract: Abuse limits).
    // A right one only gives its slot back, never wipes the account's failures: the caller is
    // signed in and knows the password, so wiping would reset the count of wrong codes at
    // disableSecondFactor (or of wrong second-step codes) at will, one right password per guess.
    return this.limiter.judge(
      [`account:${accountId}`],
      currentIpKey(),
      async () => {
        const account = await this.repository.findById(accountId);
        if (!account || !(await this.passwords.verify(password, account.passwordHash))) {
          throw new CredentialException(CredentialErrorCode.WRONG_PASSWORD);
        }
        return account;
      },
      { failureEvent: null, clears: () => false },
    );
  }
}
