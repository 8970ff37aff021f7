import { Injectable } from '@nestjs/common';
import { currentIpKey } from '@app/rate-limit';
import { CredentialErrorCode, CredentialException } from './credentials.exception';
import { CredentialRecord, CredentialsRepository, IdentifierClaim } from './credentials.repository';
import { PasswordService } from './passwords/password.service';
import { SignInLimiter } from './sign-in-limiter';

/**
 * A password against the accounts that claim one identifier (contract: Sign-in), inside the
 * sign-in failure budget. Which claims count and which identifier types may sign in are the
 * caller's rules (identifiers, config), so this library stays below them. Unknown identifier and
 * wrong password are the same INVALID_CREDENTIALS and cost the same bcrypt comparison; only after
 * the right password do we say more (disabled, pending deletion).
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly repository: CredentialsRepository,
    private readonly passwords: PasswordService,
    private readonly limiter: SignInLimiter,
  ) {}

  /**
   * `identifierKey`: the normalized identifier (`EMAIL:someone@example.com`), a budget of its own
   * beside each claiming account's. `clears(account)`: whether the right password wipes the
   * failures (see SignInLimiter.judge); an account with a second factor only gets its slot back.
   */
  async verify(
    identifierKey: string,
    claims: IdentifierClaim[],
    password: string,
    clears: (account: CredentialRecord) => Promise<boolean>,
  ): Promise<IdentifierClaim> {
    this.passwords.assertInputSize(password, 'password');
    const keys = [identifierKey, ...claims.map((c) => `account:${c.account.id}`)];
    return this.limiter.judge(keys, currentIpKey(), () => this.judge(password, claims), { clears: (claim) => clears(claim.account) });
  }

  /** After the right first step: DISABLED for BLOCKED / DEACTIVATED, PENDING_DELETION with its date. */
  async assertUsable(account: CredentialRecord): Promise<void> {
    switch (account.status) {
      case 'ACTIVE':
        return;
      case 'BLOCKED':
      case 'DEACTIVATED':
        throw new CredentialException(CredentialErrorCode.ACCOUNT_DISABLED);
      case 'PENDING_DELETION': {
        const scheduledFor = await this.repository.scheduledDeletionOf(account.id);
        throw new CredentialException(CredentialErrorCode.ACCOUNT_PENDING_DELETION, scheduledFor ? { scheduledFor: scheduledFor.toISOString() } : {});
      }
      case 'DELETED':
        throw new CredentialException(CredentialErrorCode.WRONG_PASSWORD);
    }
  }

  private async judge(password: string, claims: IdentifierClaim[]): Promise<IdentifierClaim> {
    if (claims.length === 0) {
      await this.passwords.burn(password);
      throw new CredentialException(CredentialErrorCode.WRONG_PASSWORD);
    }
    for (const claim of claims) {
      if (!(await this.passwords.verify(password, claim.account.passwordHash))) continue;
      await this.assertUsable(claim.account);
      return claim;
    }
    throw new CredentialException(CredentialErrorCode.WRONG_PASSWORD);
  }
}
