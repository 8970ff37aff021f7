import { Injectable } from '@nestjs/common';
import { IdentifiersService } from '@app/identifiers';
import { AuthErrorCode, AuthException } from './auth.exception';
import { CredentialRecord, CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { PasswordService } from './passwords/password.service';
import { IssuedToken, TokenService } from './token.service';

export interface SignInResult {
  account: CredentialRecord;
  identifierVerified: boolean;
  identifierValue: string;
}

/** Sessions: what happens after passport has checked the password, and password changes. */
@Injectable()
export class SessionService {
  constructor(
    private readonly tokens: TokenService,
    private readonly credentials: CredentialsService,
    private readonly repository: CredentialsRepository,
    private readonly passwords: PasswordService,
    private readonly identifiers: IdentifiersService,
  ) {}

  async completeSignIn(result: SignInResult): Promise<IssuedToken> {
    if (!result.identifierVerified) {
      // Right password, unproven identifier (contract: Sign-in). The one-time-code library hands a
      // VERIFY_IDENTIFIER challenge here once it exists.
      throw new AuthException(AuthErrorCode.NOT_VERIFIED);
    }
    return this.tokens.issue(result.account);
  }

  async changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<IssuedToken> {
    const account = await this.credentials.verifyCurrentPassword(accountId, currentPassword);
    this.passwords.assertInputSize(newPassword, 'newPassword');
    const identifiers = await this.identifiers.listForAccount(accountId);
    this.passwords.assertPolicy(newPassword, identifiers.map((i) => i.value));
    const version = await this.repository.setPassword(accountId, await this.passwords.hash(newPassword));
    return this.tokens.issue({ ...account, credentialVersion: version });
  }
}
