import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '@app/config';
import { CredentialErrorCode, CredentialException } from '../credentials.exception';
import { checkPasswordPolicy, PASSWORD_INPUT_HARD_LIMIT } from './password-policy';
import { prehashPassword } from './password-prehash';
import { HashingSlots } from './hashing-slots';

/**
 * Password hashing: bcrypt over a fixed-length pre-hash (see password-prehash.ts), so every
 * character counts. bcrypt's async API runs on libuv's thread pool: hashing never blocks the
 * event loop; and at most `hashConcurrency` hashes are in that pool at once (HashingSlots), so
 * hashing never blocks the pool's other users either.
 */
@Injectable()
export class PasswordService {
  private dummyHash?: Promise<string>;
  private readonly slots: HashingSlots;

  constructor(private readonly config: AppConfig) {
    this.slots = new HashingSlots(config.hashConcurrency);
  }

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
    const input = prehashPassword(password);
    return this.slots.run(() => bcrypt.hash(input, this.config.bcryptCost));
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    if (!hash) {
      await this.burn(password);
      return false;
    }
    const input = prehashPassword(password);
    return this.slots.run(() => bcrypt.compare(input, hash));
  }

  /** Spend the same time as a real comparison, so unknown identifiers can't be told apart by timing. */
  async burn(password: string): Promise<void> {
    this.dummyHash ??= this.slots.run(() => bcrypt.hash(randomBytes(16).toString('hex'), this.config.bcryptCost));
    const dummy = await this.dummyHash;
    const input = prehashPassword(password);
    await this.slots.run(() => bcrypt.compare(input, dummy));
  }
}
