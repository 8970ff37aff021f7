import { Injectable } from '@nestjs/common';
import { RateLimitStore } from '@app/rate-limit';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
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
  constructor(
    private readonly store: RateLimitStore,
    private readonly events: SecurityEventsService,
  ) {}

  /**
   * `subjectKeys`: the normalized identifier and/or the accounts it may belong to (`account:<id>`),
   * so wrong sign-ins and wrong current passwords of one account share one budget.
   * `isFailure` says which errors spend the budget (default: a wrong password); the second step
   * passes its own, so wrong second-step codes share the account's budget too.
   * `clears(result)` says whether a success wipes the subject's failures (default: yes); the
   * right password of an account with a second factor only gives its slot back, or knowing the
   * password would reset the count of wrong second-step codes at will.
   * `failureEvent`: the security event of a failure, for each `account:<id>` subject
   * (SIGN_IN_FAILED by default; null for re-authentication). Written after the answer
   * (recordDetached), so a known identifier answers as fast as an unknown one; bounded by the
   * budget itself (10 per account per 15 minutes).
   */
  async judge<T>(
    subjectKeys: string[],
    ip: string,
    attempt: () => Promise<T>,
    options: {
      isFailure?: (err: unknown) => boolean;
      clears?: (result: T) => Promise<boolean> | boolean;
      failureEvent?: SecurityEventType | null;
    } = {},
  ): Promise<T> {
    const isFailure = options.isFailure ?? isWrongPassword;
    const clears = options.clears ?? (() => true);
    const failureEvent = options.failureEvent === undefined ? SecurityEventType.SIGN_IN_FAILED : options.failureEvent;
    const keys = [...new Set(subjectKeys)].map((k) => ({ key: `signin:${k}`, limit: PER_SUBJECT })).concat({ key: `signin-ip:${ip}`, limit: PER_IP });
    const taken = await this.store.hitAll(keys.map((k) => ({ ...k, windowSeconds: WINDOW_SECONDS })));
    if (!taken.allowed) throw new CredentialException(CredentialErrorCode.RATE_LIMITED, { retryAfterSeconds: taken.retryAfterSeconds });
    const hits = keys;
    try {
      const result = await attempt();
      // A right password clears the subject's failures; the IP only gets its slot back.
      const clear = await clears(result);
      await Promise.all(hits.map((h) => (h.limit === PER_IP || !clear ? this.store.refund(h.key) : this.store.reset(h.key))));
      return result;
    } catch (err) {
      // Only a wrong password is a failure; anything else (not verified, disabled…) gives the slots back.
      if (!isFailure(err)) {
        await Promise.all(hits.map((h) => this.store.refund(h.key)));
      } else if (failureEvent) {
        const accounts = subjectKeys.filter((k) => k.startsWith('account:')).map((k) => k.slice('account:'.length));
        this.events.recordDetached([...new Set(accounts)].map((accountId) => ({ type: failureEvent, accountId, detail: 'invalid_credentials' })));
      }
      throw err;
    }
  }
}

function isWrongPassword(err: unknown): boolean {
  if (err instanceof CredentialException && err.reasonCode === CredentialErrorCode.WRONG_PASSWORD) return true;
  return (err as { code?: unknown })?.code === 'INVALID_CREDENTIALS';
}
