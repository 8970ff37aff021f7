import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config';
import { CredentialErrorCode, CredentialException } from '../credentials.exception';
import { checkPasswordPolicy, PASSWORD_INPUT_HARD_LIMIT } from './password-policy';
import { prehashPassword } from './password-prehash';

/**
 * Password hashing: bcrypt over a fixed-length pre-hash (see password-prehash.ts), so every
 * character counts. bcrypt's async API runs on libuv's thread pool: hashing never blocks the
 * event loop.
 */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;

  constructor(private readonly config: AppConfig) {}

  /** BAD_USER_INPUT for absurd inputs, before any hashing (contract: Passwords). */
  assertInputSize(password: string, field: string): void {
    if (typeof password !== 'string' || password.length > PASSWORD_INPUT_HARD_LIMIT) {
      throw new CredentialException(CredentialErrorCode.INVALID_INPUT, { field, reason: 'too_long' });
    }
  }

  assertPolicy(password: string, identifierValues: string[]): void {
    const failure = checkPasswordPolicy(password, identifierValues);
    if (failure) throw new CredentialException(CredentialErrorCode.PASSWORD_POLICY, { reason: failure });
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(prehashPassword(password), this.config.bcryptCost);
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    if (!hash) {
      await this.burn(password);
      return false;
    }
    return bcrypt.compare(prehashPassword(password), hash);
  }

  /** Spend the same time as a real comparison, so unknown identifiers can't be told apart by timing. */
  async burn(password: string): Promise<void> {
    this.dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), this.config.bcryptCost);
    await bcrypt.compare(prehashPassword(password), await this.dummyHash);
  }
}
