import { Injectable } from '@nestjs/common';
import { Channel } from '@app/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { markPendingDeletion } from '@app/accounts';
import { ReauthenticationService, SessionsService } from '@app/credentials';
import { IdentifiersService, maskEmail, maskPhone } from '@app/identifiers';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpPurpose, OtpService } from '@app/otp';
import { AccountDeletionErrorCode, AccountDeletionException } from './account-deletion.exception';
import { DeletionRequestsRepository, toModel } from './deletion-requests.repository';
import { AccountDeletionRequestModel, DeletionRequestStatus } from './models/account-deletion-request.model';
import { formatScheduledFor } from './scheduled-for';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

const REASON_MAX = 500;
// Control, format (zero-width, bidi), private-use and unassigned characters have no place in a reason.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/**
 * Self-service deletion, signed in (contract: Account deletion): a code to the primary
 * verified email (else phone), then confirmation schedules the erasure and sets the account
 * PENDING_DELETION (the JWT strategy refuses its tokens from then on).
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly reauth: ReauthenticationService,
    private readonly identifiers: IdentifiersService,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
    private readonly requests: DeletionRequestsRepository,
    private readonly sessions: SessionsService,
  ) {}

  async request(accountId: string, input: { currentPassword: string; reason?: string | null; channel?: Channel | null }): Promise<OtpChallengeModel> {
    // Before anything else, input checks included (contract: Flows).
    await this.reauth.verifyCurrentPassword(accountId, input.currentPassword);
    const reason = cleanReason(input.reason);
    const contact = await this.contactFor(accountId, input.channel ?? null);
    const challenge = await this.dataSource.transaction(async (manager) => {
      const request = await this.requests.upsertPending(manager, accountId, reason);
      // Only a CONFIRMED request blocks a new one, and a CONFIRMED account cannot be signed in.
      if (!request) throw new AccountDeletionException(AccountDeletionErrorCode.ACCOUNT_NOT_ACTIVE);
      const book = await this.notices.addressBook(manager, accountId);
      const issued = await this.otp.issue(manager, {
        purpose: OtpPurpose.ACCOUNT_DELETION,
        channel: contact.channel,
        destination: contact.value,
        maskedDestination: contact.masked,
        accountId,
        subject: { requestId: request.id },
        locale: book.locale,
        recipientName: book.name,
      });
      await this.requests.setChallenge(manager, request.id, issued.challengeId);
      await this.events.record(manager, { type: SecurityEventType.DELETION_REQUESTED, accountId });
      return issued;
    });
    return challenge;
  }

  async confirm(accountId: string, challengeId: string, code: string): Promise<AccountDeletionRequestModel> {
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.ACCOUNT_DELETION, callerAccountId: accountId }, async (c, manager) => {
      if (c.account_id !== accountId) throw new AccountDeletionException(AccountDeletionErrorCode.CHALLENGE_NOT_USABLE);
      const request = await this.requests.lockForAccount(manager, c.subject.requestId, accountId, DeletionRequestStatus.PENDING);
      // Only the request's latest challenge confirms it (an older code to another channel does not).
      if (!request || request.challenge_id !== c.id) throw new AccountDeletionException(AccountDeletionErrorCode.CHALLENGE_NOT_USABLE);
      // A new credential version: tokens issued before stay refused even if the deletion is cancelled later.
      const updated = await markPendingDeletion(accountId, manager);
      if (!updated) throw new AccountDeletionException(AccountDeletionErrorCode.ACCOUNT_NOT_ACTIVE);
      const confirmed = await this.requests.confirm(manager, request.id, this.config.deletion.graceDays * 86_400);
      await this.sessions.endAll(accountId, 'deletion_confirmed', manager);
      await this.events.record(manager, {
        type: SecurityEventType.DELETION_CONFIRMED,
        accountId,
        detail: new Date(confirmed.scheduled_for as string | Date).toISOString(),
      });
      await this.otp.killOpen(manager, accountId, [OtpPurpose.ACCOUNT_DELETION]);
      await this.notices.notify(manager, accountId, 'notice.deletion_scheduled', {
        scheduledFor: await formatScheduledFor(manager, accountId, new Date(confirmed.scheduled_for as string | Date)),
      });
      return toModel(confirmed);
    });
  }

  /** The primary verified email, else phone; `channel` picks one kind. */
  private async contactFor(accountId: string, channel: Channel | null): Promise<{ channel: Channel; value: string; masked: string }> {
    const verified = (await this.identifiers.listForAccount(accountId))
      .filter((i) => i.verifiedAt !== null && (i.type === 'EMAIL' || i.type === 'PHONE'))
      .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.createdAt.getTime() - b.createdAt.getTime());
    const email = verified.find((i) => i.type === 'EMAIL');
    const phone = verified.find((i) => i.type === 'PHONE');
    const pick = channel === Channel.EMAIL ? email : channel === Channel.SMS ? phone : (email ?? phone);
    if (!pick) throw new AccountDeletionException(AccountDeletionErrorCode.NO_VERIFIED_CONTACT, { field: 'channel', reason: 'verify_first' });
    return pick.type === 'EMAIL'
      ? { channel: Channel.EMAIL, value: pick.value, masked: maskEmail(pick.value) }
      : { channel: Channel.SMS, value: pick.value, masked: maskPhone(pick.value) };
  }
}

function cleanReason(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const v = raw.normalize('NFKC').trim();
  if (FORBIDDEN.test(v.replace(/[\n\t]/g, ' ')))
    throw new AccountDeletionException(AccountDeletionErrorCode.INVALID_INPUT, { field: 'reason', reason: 'invalid_characters' });
  if ([...v].length > REASON_MAX) throw new AccountDeletionException(AccountDeletionErrorCode.INVALID_INPUT, { field: 'reason', reason: 'too_long' });
  return v === '' ? null : v;
}
