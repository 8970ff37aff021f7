import { Injectable } from '@nestjs/common';
import { ApiException, ErrorCode, Channel, Locale } from '@app/core';
import { AppConfig } from '@app/config';
import { CredentialsRepository, CredentialsService, IssuedSession } from '@app/credentials';
import { IdentifiersService } from '@app/identifiers';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { SignInStepService } from '@app/second-factor';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { CodeTargets } from '../code-target';

/**
 * Sign-in by code (contract: Sign-in by code). Asked for like a password reset: unknown,
 * unverified, disabled values and identifier types SIGN_IN_IDENTIFIERS leaves out get a decoy of
 * the same shape and nothing is sent. Not behind the sign-in failure budget: it is the way out.
 */
@Injectable()
export class SignInCodeService {
  constructor(
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly targets: CodeTargets,
    private readonly repository: CredentialsRepository,
    private readonly credentials: CredentialsService,
    private readonly otp: OtpService,
    private readonly step: SignInStepService,
    private readonly events: SecurityEventsService,
  ) {}

  async request(rawIdentifier: string, channel: Channel | null | undefined, requestLocale: Locale): Promise<OtpChallengeModel> {
    this.assertOn();
    const kind = this.identifiers.detect(rawIdentifier);
    const value = this.identifiers.normalize(kind, rawIdentifier, 'identifier');
    // A PENDING_DELETION account gets its code: the right code then answers ACCOUNT_PENDING_DELETION.
    const found = await this.targets.resolve(kind, value, channel ?? null, ['ACTIVE', 'PENDING_DELETION']);
    const target = this.config.signIn.identifiers.includes(kind) ? found : null;
    return this.targets.issue(OtpPurpose.SIGN_IN, kind, value, target, channel ?? null, requestLocale);
  }

  /** The right code: a session with authMethods [CODE], or SECOND_FACTOR_REQUIRED (never offering the code's channel). */
  async signIn(challengeId: string, code: string): Promise<IssuedSession> {
    this.assertOn();
    // A wrong code is counted against its challenge (OTP_MAX_ATTEMPTS) and in metrics (SignInStrategy); on
    // a real account's challenge it is also a failed sign-in in the account's history, written after the
    // answer like a wrong password's (a decoy's challenge has no account).
    try {
      const proved = await this.otp.verify(challengeId, code, { purpose: OtpPurpose.SIGN_IN, callerAccountId: null }, async (c) => {
        if (!c.account_id) throw new OtpException(OtpErrorCode.INVALID);
        return { accountId: c.account_id, channel: c.channel };
      });
      const account = await this.repository.findById(proved.accountId);
      if (!account || account.status === 'DELETED') throw new OtpException(OtpErrorCode.INVALID);
      await this.credentials.assertUsable(account);
      return await this.step.signIn(account, { method: 'CODE', channel: proved.channel });
    } catch (err) {
      if (err instanceof OtpException && err.wrongCodeFor) {
        this.events.recordDetached([{ type: SecurityEventType.SIGN_IN_FAILED, accountId: err.wrongCodeFor, detail: 'invalid_code' }]);
      }
      throw err;
    }
  }

  private assertOn(): void {
    if (!this.config.signIn.withCode) throw new ApiException(ErrorCode.FORBIDDEN, { reason: 'sign_in_with_code_off' });
  }
}
