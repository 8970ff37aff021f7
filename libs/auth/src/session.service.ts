import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifiersService, IdentifierVerificationService, IdentifierKind } from '@app/identifiers';
import { AuthErrorCode, AuthException } from './auth.exception';
import { CredentialRecord, IssuedToken, PasswordService, ReauthenticationService, TokenService } from '@app/credentials';
import { MetricsService } from '@app/observability';
import { PasswordChangeService } from './password-change.service';

export interface SignInResult {
  account: CredentialRecord;
  identifierVerified: boolean;
  identifierValue: string;
  identifierType: IdentifierKind;
}

/** Sessions: what happens after passport has checked the password, and password changes. */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly reauth: ReauthenticationService,
    private readonly passwordChange: PasswordChangeService,
    private readonly metrics: MetricsService,
    private readonly passwords: PasswordService,
    private readonly identifiers: IdentifiersService,
    private readonly verification: IdentifierVerificationService,
  ) {}

  async completeSignIn(result: SignInResult): Promise<IssuedToken> {
    if (!result.identifierVerified && result.identifierType !== 'USERNAME') {
      // Right password, unproven identifier (contract: Sign-in): a VERIFY_IDENTIFIER challenge that
      // verifyIdentifier accepts without a session, or the open one inside the cool-down.
      this.metrics.signIns.inc({ result: 'unverified' });
      const challengeId = await this.verification.challengeForSignIn(result.account.id, result.identifierType, result.identifierValue);
      throw new AuthException(AuthErrorCode.NOT_VERIFIED, challengeId ? { challengeId } : {});
    }
    this.metrics.signIns.inc({ result: 'success' });
    return this.tokens.issue(result.account);
  }

  async changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<IssuedToken> {
    const account = await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    this.passwords.assertInputSize(newPassword, 'newPassword');
    const identifiers = await this.identifiers.listForAccount(accountId);
    this.passwords.assertPolicy(newPassword, identifiers.map((i) => i.value));
    const passwordHash = await this.passwords.hash(newPassword);
    const version = await this.dataSource.transaction((manager) => this.passwordChange.apply(manager, accountId, passwordHash));
    return this.tokens.issue({ ...account, credentialVersion: version });
  }
}
