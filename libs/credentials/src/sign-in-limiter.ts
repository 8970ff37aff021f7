import { Injectable } from '@nestjs/common';
import { RateLimitStore } from '@app/rate-limit';
import { CredentialErrorCode, CredentialException } from './credentials.exception';

const WINDOW_SECONDS = 15 * 60;
const PER_SUBJECT = 10;
const PER_IP = 100;

/**
 * Sign-in failure limits (contract: Abuse limits): 10 per identifier and 100 per IP per 15
 * minutes. A slot is taken BEFORE the password is judged, so concurrent guesses (or several
 * instances sharing Redis) can never get more than 10 judged; a right password gives its slot
 * back. Wrong `currentPassword`s count too, per account.
 */
@Injectable()
export class SignInLimiter {
  constructor(private readonly store: RateLimitStore) {}

  async judge<T>(subjectKey: string, ip: string, attempt: () => Promise<T>): Promise<T> {
    const subject = `signin:${subjectKey}`;
    const byIp = `signin-ip:${ip}`;
    const s = await this.store.hit(subject, WINDOW_SECONDS, PER_SUBJECT);
    const i = await this.store.hit(byIp, WINDOW_SECONDS, PER_IP);
    if (!s.allowed || !i.allowed) {
      await Promise.all([s.allowed ? this.store.refund(subject) : undefined, i.allowed ? this.store.refund(byIp) : undefined]);
      throw new CredentialException(CredentialErrorCode.RATE_LIMITED, { retryAfterSeconds: Math.max(s.retryAfterSeconds, i.retryAfterSeconds) });
    }
    try {
      const result = await attempt();
      await Promise.all([this.store.reset(subject), this.store.refund(byIp)]);
      return result;
    } catch (err) {
      // Only a wrong password is a failure; anything else (not verified, disabled…) gives the slot back.
      if (!(err instanceof CredentialException && err.reasonCode === CredentialErrorCode.WRONG_PASSWORD) && !isInvalidCredentials(err)) {
        await Promise.all([this.store.refund(subject), this.store.refund(byIp)]);
      }
      throw err;
    }
  }
}

function isInvalidCredentials(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'INVALID_CREDENTIALS';
}
