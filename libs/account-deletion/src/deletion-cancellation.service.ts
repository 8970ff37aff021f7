import { Injectable } from '@nestjs/common';
import { Channel } from '@app/core';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { reactivatePendingDeletion, sharePendingDeletion } from '@app/accounts';
import { IdentifiersService, maskEmail, maskPhone } from '@app/identifiers';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpPurpose, OtpService } from '@app/otp';
import { AccountDeletionErrorCode, AccountDeletionException } from './account-deletion.exception';
import { DeletionRequestsRepository, toModel } from './deletion-requests.repository';
import { AccountDeletionRequestModel, DeletionRequestStatus } from './models/account-deletion-request.model';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

interface ScheduledMatch {
  account_id: string;
  request_id: string;
}

/**
 * Cancelling a scheduled deletion, not signed in (contract: Account deletion). The request
 * answers the same whether or not the email / phone belongs to an account scheduled for
 * erasure: a real challenge, or a decoy of the same shape that sends nothing and can never
 * be confirmed (the pattern of IdentifierVerificationService). Once erased, an account's
 * challenges are gone and its values freed: cancellation then looks exactly like an unknown value.
 */
@Injectable()
export class DeletionCancellationService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
    private readonly requests: DeletionRequestsRepository,
  ) {}

  async request(rawIdentifier: string): Promise<OtpChallengeModel> {
    const kind = this.identifiers.detect(rawIdentifier);
    if (kind === 'USERNAME') throw new AccountDeletionException(AccountDeletionErrorCode.INVALID_INPUT, { field: 'identifier', reason: 'invalid_format' });
    const value = this.identifiers.normalize(kind, rawIdentifier, 'identifier');
    const channel = kind === 'EMAIL' ? Channel.EMAIL : Channel.SMS;
    const masked = kind === 'EMAIL' ? maskEmail(value) : maskPhone(value);
    const challenge = await this.dataSource.transaction(async (manager) => {
      const match = await this.scheduledOwner(manager, kind, value);
      const book = match ? await this.notices.addressBook(manager, match.account_id) : null;
      return this.otp.issue(manager, {
        purpose: OtpPurpose.CANCEL_ACCOUNT_DELETION,
        channel,
        destination: value,
        maskedDestination: masked,
        accountId: match?.account_id ?? null,
        subject: match ? { requestId: match.request_id } : {},
        decoy: !match,
        locale: book?.locale ?? this.config.defaultLocale,
        recipientName: book?.name ?? null,
      });
    });
    return challenge;
  }

  async confirm(challengeId: string, code: string, callerAccountId: string | null = null): Promise<AccountDeletionRequestModel> {
    // No session: the account cannot sign in while its deletion is scheduled; the code proves the person.
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.CANCEL_ACCOUNT_DELETION, callerAccountId }, async (c, manager) => {
      if (!c.account_id) throw new AccountDeletionException(AccountDeletionErrorCode.CHALLENGE_NOT_USABLE);
      // Waits for a job that holds the request: after an erasure it finds nothing (all-or-nothing).
      const request = await this.requests.lockForAccount(manager, c.subject.requestId, c.account_id, DeletionRequestStatus.CONFIRMED);
      if (!request) throw new AccountDeletionException(AccountDeletionErrorCode.CHALLENGE_NOT_USABLE);
      const reactivated = await reactivatePendingDeletion(c.account_id, manager);
      if (!reactivated) throw new AccountDeletionException(AccountDeletionErrorCode.CHALLENGE_NOT_USABLE);
      const cancelled = await this.requests.cancel(manager, request.id);
      await this.otp.killOpen(manager, c.account_id, [OtpPurpose.CANCEL_ACCOUNT_DELETION]);
      await this.notices.notify(manager, c.account_id, 'notice.deletion_cancelled');
      await this.events.record(manager, { type: SecurityEventType.DELETION_CANCELLED, accountId: c.account_id });
      return toModel(cancelled);
    });
  }

  /**
   * The account whose verified `value` it is, if its deletion is scheduled. FOR KEY SHARE on
   * the account row: the job takes that row FOR UPDATE NOWAIT, so while this challenge is being
   * written the job leaves the account for its next pass, and once the job holds it this waits
   * and then sees DELETED. Either way no challenge outlives an erasure. KEY SHARE does not
   * conflict with a concurrent confirmation's UPDATE of the status, so the two never deadlock.
   */
  private async scheduledOwner(manager: EntityManager, kind: 'EMAIL' | 'PHONE', value: string): Promise<ScheduledMatch | null> {
    const owner = await this.identifiers.verifiedOwner(manager, kind, value);
    if (!owner || !(await sharePendingDeletion(owner, manager))) return null;
    const request = await this.requests.findConfirmedOf(manager, owner);
    return request ? { account_id: owner, request_id: request.id } : null;
  }
}
