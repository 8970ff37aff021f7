import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CredentialsRepository, CredentialsService, IssuedSession } from '@app/credentials';
import { IdentifierKind, IdentifiersService, IdentifierVerificationService, signInClaims } from '@app/identifiers';
import { SignInStepService } from '@app/second-factor';
import { AuthErrorCode, AuthException } from '../auth.exception';

/**
 * `signIn` (contract: Sign-in): which accounts an identifier may sign in (identifiers' rules,
 * SIGN_IN_IDENTIFIERS), their password (credentials, inside the failure budget), then a session,
 * IDENTIFIER_NOT_VERIFIED with a challenge, or SECOND_FACTOR_REQUIRED.
 */
@Injectable()
export class PasswordSignInService {
  constructor(
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly verification: IdentifierVerificationService,
    private readonly repository: CredentialsRepository,
    private readonly credentials: CredentialsService,
    private readonly step: SignInStepService,
  ) {}

  async signIn(kind: IdentifierKind, rawIdentifier: string, password: string): Promise<IssuedSession> {
    const value = this.identifiers.normalize(kind, rawIdentifier, 'identifier');
    // One read whether or not the identifier exists: the claims with their accounts.
    // SIGN_IN_IDENTIFIERS: a type that may not sign in answers as an unknown identifier would.
    // The read happens either way, so the answer takes the same time.
    const found = signInClaims(await this.repository.findClaimsOf(kind, value));
    const claims = this.config.signIn.identifiers.includes(kind) ? found : [];
    // With a second factor, the password is only half a sign-in: it must not wipe the count of
    // wrong second-step codes (contract: Abuse limits, one budget per account).
    const { account, verifiedAt } = await this.credentials.verify(`${kind}:${value}`, claims, password, async (a) => !(await this.step.hasFactor(a.id)));
    if (verifiedAt === null && kind !== 'USERNAME') {
      // Right password, unproven identifier (contract: Sign-in): a VERIFY_IDENTIFIER challenge that
      // verifyIdentifier accepts without a session, or the open one inside the cool-down.
      const c = await this.verification.challengeForSignIn(account.id, kind, value);
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
    return this.step.signIn(account, { method: 'PASSWORD', channel: null });
  }
}
