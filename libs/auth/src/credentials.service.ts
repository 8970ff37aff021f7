import { Injectable } from '@nestjs/common';
import { IdentifierKind, IdentifiersService, signInClaims } from '@app/identifiers';
import { AuthErrorCode, AuthException } from './auth.exception';
import { CredentialRecord, CredentialsRepository, IdentifierClaim, PasswordService, ReauthenticationService, SignInLimiter } from '@app/credentials';
import { AppConfig } from '@app/config';
import { SignInStepService } from '@app/second-factor';
import { currentIpKey } from '@app/rate-limit';

/**
 * Checks an identifier + password (contract: Sign-in). Unknown identifier and wrong
 * password are the same INVALID_CREDENTIALS and cost the same bcrypt comparison; only
 * after the right password do we say more (not verified, disabled, pending deletion).
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly identifiers: IdentifiersService,
    private readonly repository: CredentialsRepository,
    private readonly passwords: PasswordService,
    private readonly reauth: ReauthenticationService,
    private readonly limiter: SignInLimiter,
    private readonly config: AppConfig,
    private readonly step: SignInStepService,
  ) {}

  /** Re-authentication (`currentPassword`); see ReauthenticationService. */
  verifyCurrentPassword(accountId: string, password: string): Promise<CredentialRecord> {
    return this.reauth.verifyCurrentPassword(accountId, password);
  }

  async verify(
    kind: IdentifierKind,
    rawIdentifier: string,
    password: string,
  ): Promise<{ account: CredentialRecord; identifierVerified: boolean; identifierValue: string; identifierType: IdentifierKind }> {
    this.passwords.assertInputSize(password, 'password');
    const value = this.identifiers.normalize(kind, rawIdentifier, 'identifier');
    // One read whether or not the identifier exists: the claims with their accounts.
    // SIGN_IN_IDENTIFIERS: a type that may not sign in answers as an unknown identifier would.
    // The read happens either way, so the answer takes the same time.
    const found = signInClaims(await this.repository.findClaimsOf(kind, value));
    const claims = this.config.signIn.identifiers.includes(kind) ? found : [];
    const keys = [`${kind}:${value}`, ...claims.map((c) => `account:${c.account.id}`)];
    // With a second factor, the password is only half a sign-in: it must not wipe the count of
    // wrong second-step codes (contract: Abuse limits, one budget per account).
    return this.limiter.judge(keys, currentIpKey(), () => this.judge(kind, value, password, claims), {
      clears: async (r) => !(await this.step.hasFactor(r.account.id)),
    });
  }

  private async judge(
    kind: IdentifierKind,
    value: string,
    password: string,
    claims: IdentifierClaim[],
  ): Promise<{ account: CredentialRecord; identifierVerified: boolean; identifierValue: string; identifierType: IdentifierKind }> {
    if (claims.length === 0) {
      await this.passwords.burn(password);
      throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS);
    }
    for (const { account, verifiedAt } of claims) {
      if (!(await this.passwords.verify(password, account.passwordHash))) continue;
      await this.assertUsable(account);
      return { account, identifierVerified: verifiedAt !== null, identifierValue: value, identifierType: kind };
    }
    throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS);
  }

  private async assertUsable(account: CredentialRecord): Promise<void> {
    switch (account.status) {
      case 'ACTIVE':
        return;
      case 'BLOCKED':
      case 'DEACTIVATED':
        throw new AuthException(AuthErrorCode.DISABLED);
      case 'PENDING_DELETION': {
        const scheduledFor = await this.repository.scheduledDeletionOf(account.id);
        throw new AuthException(AuthErrorCode.PENDING_DELETION, scheduledFor ? { scheduledFor: scheduledFor.toISOString() } : {});
      }
      case 'DELETED':
        throw new AuthException(AuthErrorCode.INVALID_CREDENTIALS);
    }
  }
}
