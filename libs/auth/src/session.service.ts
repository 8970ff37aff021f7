import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifiersService, IdentifierVerificationService, IdentifierKind } from '@app/identifiers';
import { AuthErrorCode, AuthException } from './auth.exception';
import { CredentialRecord, IssuedSession, PasswordService, ReauthenticationService, SessionsService } from '@app/credentials';
import { MetricsService } from '@app/observability';
import { SignInStepService } from '@app/second-factor';
import { PasswordChangeService } from './password-change.service';

export interface SignInResult {
  account: CredentialRecord;
  identifierVerified: boolean;
  identifierValue: string;
  identifierType: IdentifierKind;
}

/** What happens after passport has checked the password (a session starts), and password changes. */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly reauth: ReauthenticationService,
    private readonly passwordChange: PasswordChangeService,
    private readonly metrics: MetricsService,
    private readonly passwords: PasswordService,
    private readonly identifiers: IdentifiersService,
    private readonly verification: IdentifierVerificationService,
    private readonly step: SignInStepService,
  ) {}

  async completeSignIn(result: SignInResult): Promise<IssuedSession> {
    if (!result.identifierVerified && result.identifierType !== 'USERNAME') {
      // Right password, unproven identifier (contract: Sign-in): a VERIFY_IDENTIFIER challenge that
      // verifyIdentifier accepts without a session, or the open one inside the cool-down.
      this.metrics.signIns.inc({ result: 'unverified' });
      const c = await this.verification.challengeForSignIn(result.account.id, result.identifierType, result.identifierValue);
      // With its masked destination and times, so a screen can say where the code went and when to ask again.
      throw new AuthException(
        AuthErrorCode.NOT_VERIFIED,
        c
          ? {
              challengeId: c.challengeId,
              destination: c.destination,
              expiresAt: c.expiresAt.toISOString(),
              resendAvailableAt: c.resendAvailableAt.toISOString(),
            }
          : {},
      );
    }
    // A session, or SECOND_FACTOR_REQUIRED when the account has a second factor (contract: Second factor).
    return this.step.signIn(result.account, { method: 'PASSWORD', channel: null });
  }

  /** Every other session ends; the caller's gets a new pair (the replaced refresh token has no reuse window). */
  async changePassword(accountId: string, sessionId: string, currentPassword: string, newPassword: string): Promise<IssuedSession> {
    const account = await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    this.passwords.assertInputSize(newPassword, 'newPassword');
    const identifiers = await this.identifiers.listForAccount(accountId);
    this.passwords.assertPolicy(
      newPassword,
      identifiers.map((i) => i.value),
    );
    const passwordHash = await this.passwords.hash(newPassword);
    return this.dataSource.transaction(async (manager) => {
      const version = await this.passwordChange.apply(manager, accountId, passwordHash, sessionId);
      return this.sessions.reissue(manager, { ...account, credentialVersion: version }, sessionId);
    });
  }
}
