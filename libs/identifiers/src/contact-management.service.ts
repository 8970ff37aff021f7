import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CredentialsRepository, IssuedSession, ReauthenticationService, SessionsService } from '@app/credentials';
import { isUniqueViolation } from '@app/database';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { IdentifierModel } from './identifier.model';
import { IdentifierVerificationService, channelFor } from './identifier-verification.service';
import { IdentifierErrorCode, IdentifierException } from './identifiers.exception';
import { IdentifiersService } from './identifiers.service';
import { deleteIdentifier, findPrimaryId, insertVerified, lockAllOf, lockPrimary, setPrimary, verifyOwned } from './identifiers.repository';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

const MAX_PER_TYPE = 5;
type ContactType = 'EMAIL' | 'PHONE';

/**
 * Linking another verified email / phone, changing the primary one, removing one (contract:
 * Linking and contact change). Nothing about the account changes until a code is confirmed.
 */
@Injectable()
export class ContactManagementService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
    private readonly verification: IdentifierVerificationService,
    private readonly reauth: ReauthenticationService,
    private readonly credentials: CredentialsRepository,
    private readonly sessions: SessionsService,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
  ) {}

  async requestLink(accountId: string, type: string, raw: string, currentPassword: string): Promise<OtpChallengeModel> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    const { kind, value } = this.contact(type, raw, 'value');
    const own = await this.identifiers.listForAccount(accountId);
    if (own.some((i) => i.type === kind && i.value === value && i.verifiedAt)) {
      throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'value', reason: 'already_yours' });
    }
    if (own.filter((i) => i.type === kind).length >= MAX_PER_TYPE) {
      throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'value', reason: 'limit_reached' });
    }
    return this.issue(accountId, kind, value, OtpPurpose.LINK_IDENTIFIER);
  }

  async confirmLink(accountId: string, challengeId: string, code: string): Promise<IdentifierModel> {
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.LINK_IDENTIFIER, callerAccountId: accountId }, async (c, manager) => {
      const { type, value } = this.subjectOf(c.subject);
      const linked = await this.addVerified(manager, accountId, type, value, false);
      await this.events.record(manager, { type: SecurityEventType.IDENTIFIER_LINKED, accountId, detail: type });
      await this.notices.notify(manager, accountId, 'notice.identifier_linked');
      return linked;
    });
  }

  async requestChange(accountId: string, type: string, raw: string, currentPassword: string): Promise<OtpChallengeModel> {
    await this.reauth.verifyCurrentPassword(accountId, currentPassword);
    const { kind, value } = this.contact(type, raw, 'newValue');
    const own = await this.identifiers.listForAccount(accountId);
    if (own.some((i) => i.type === kind && i.value === value && i.verifiedAt)) {
      throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'newValue', reason: 'already_yours' });
    }
    return this.issue(accountId, kind, value, OtpPurpose.CHANGE_CONTACT);
  }

  /**
   * Replaces the primary identifier of the type (or adds one), verified; the old value is freed
   * and told. The caller's session gets a new pair; the others stay (contract: Sessions).
   */
  async confirmChange(accountId: string, sessionId: string, challengeId: string, code: string): Promise<IssuedSession> {
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.CHANGE_CONTACT, callerAccountId: accountId }, async (c, manager) => {
      const { type, value } = this.subjectOf(c.subject);
      const old = await lockPrimary(manager, accountId, type);
      if (old && old.value !== value) await deleteIdentifier(manager, old.id);
      await this.addVerified(manager, accountId, type, value, true);
      await this.events.record(manager, { type: SecurityEventType.CONTACT_CHANGED, accountId, sessionId, detail: type });
      const extra = old && old.value !== value && old.verified_at ? [{ channel: channelFor(type), destination: old.value }] : [];
      await this.notices.notify(manager, accountId, 'notice.contact_changed', {}, extra);
      const account = await this.credentials.findById(accountId, manager);
      if (!account) throw new OtpException(OtpErrorCode.INVALID);
      return this.sessions.reissue(manager, account, sessionId);
    });
  }

  async remove(accountId: string, identifierId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows = await lockAllOf(manager, accountId);
      const target = rows.find((r) => r.id === identifierId);
      if (!target) throw new IdentifierException(IdentifierErrorCode.NOT_FOUND);
      if (target.type === 'USERNAME') throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'identifierId', reason: 'invalid' });
      if (target.verified_at && rows.filter((r) => r.verified_at).length <= 1) throw new IdentifierException(IdentifierErrorCode.LAST_IDENTIFIER);
      await deleteIdentifier(manager, target.id);
      if (target.is_primary) {
        const next =
          rows.find((r) => r.id !== target.id && r.type === target.type && r.verified_at) ?? rows.find((r) => r.id !== target.id && r.type === target.type);
        if (next) await setPrimary(manager, next.id, true);
      }
      const extra = target.verified_at ? [{ channel: channelFor(target.type as ContactType), destination: target.value }] : [];
      await this.notices.notify(manager, accountId, 'notice.identifier_removed', {}, extra);
      await this.events.record(manager, { type: SecurityEventType.IDENTIFIER_REMOVED, accountId, detail: target.type });
    });
  }

  private contact(type: string, raw: string, field: string): { kind: ContactType; value: string } {
    if (type !== 'EMAIL' && type !== 'PHONE') throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'type', reason: 'invalid' });
    return { kind: type, value: this.identifiers.normalize(type, raw, field) };
  }

  private async issue(accountId: string, type: ContactType, value: string, purpose: OtpPurpose): Promise<OtpChallengeModel> {
    const challenge = await this.dataSource.transaction((m) => this.verification.start(m, accountId, { type, value, identifierId: '' }, purpose));
    return challenge;
  }

  private subjectOf(subject: Record<string, unknown>): { type: ContactType; value: string } {
    const type = subject.type;
    const value = subject.value;
    if ((type !== 'EMAIL' && type !== 'PHONE') || typeof value !== 'string') throw new OtpException(OtpErrorCode.INVALID);
    return { type, value };
  }

  /** The value becomes this account's, verified; a value verified elsewhere meanwhile is IDENTIFIER_TAKEN. */
  private async addVerified(manager: EntityManager, accountId: string, type: ContactType, value: string, primary: boolean): Promise<IdentifierModel> {
    const existing = await this.identifiers.findOwnedByValueIn(manager, accountId, type, value);
    const hasPrimary = await findPrimaryId(manager, accountId, type);
    const makePrimary = primary || !hasPrimary || hasPrimary.id === existing?.id;
    try {
      if (existing) {
        if (makePrimary && hasPrimary && hasPrimary.id !== existing.id) await setPrimary(manager, hasPrimary.id, false);
        await verifyOwned(manager, existing.id, makePrimary);
        return this.verification.markVerified(manager, accountId, existing.id, value, type);
      }
      const id = await insertVerified(manager, accountId, type, value, makePrimary);
      return this.verification.markVerified(manager, accountId, id, value, type);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentifierException(IdentifierErrorCode.VALUE_TAKEN);
      throw err;
    }
  }
}
