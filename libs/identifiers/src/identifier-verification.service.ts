import { Injectable } from '@nestjs/common';
import { Channel } from '@app/core';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '@app/database';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { IdentifierModel } from './identifier.model';
import { IdentifierErrorCode, IdentifierException } from './identifiers.exception';
import { IdentifiersService } from './identifiers.service';
import { maskEmail, maskPhone } from './identifier-normalizer';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

export interface ContactToProve {
  type: 'EMAIL' | 'PHONE';
  value: string;
  identifierId: string;
}

export const channelFor = (type: 'EMAIL' | 'PHONE'): Channel => (type === 'EMAIL' ? Channel.EMAIL : Channel.SMS);
export const maskFor = (type: 'EMAIL' | 'PHONE', value: string): string => (type === 'EMAIL' ? maskEmail(value) : maskPhone(value));

/**
 * Proving emails and phones (contract: Verification, Identifiers). A value another account has
 * verified gets the same answer as a free one, but no code: a decoy challenge that can never be
 * confirmed, and a notice to the owner instead.
 */
@Injectable()
export class IdentifierVerificationService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifiersService,
    private readonly otp: OtpService,
    private readonly notices: NoticesService,
  ) {}

  /**
   * A code to the contact, or a decoy with the owner's notice. Inside the caller's transaction (sign-up), or
   * with `manager` null on its own: then the challenge with its message is one statement
   * (OtpService.issue) and needs no transaction.
   */
  async start(manager: EntityManager | null, accountId: string, contact: ContactToProve, purpose = OtpPurpose.VERIFY_IDENTIFIER): Promise<OtpChallengeModel> {
    const reader = manager ?? this.dataSource.manager;
    // Contract: a value verified elsewhere answers with the same timing as a free one. Both paths read
    // the same (one statement: the requester's address book and the value's owner's, if any) and write
    // one statement: the challenge with its code, or the decoy with the owner's notice in place of the
    // code (to the value itself: theirs).
    const { book, owner } = await this.notices.addressBookAndOwnerOf(reader, accountId, contact.type, contact.value);
    const takenElsewhere = owner !== null && owner.accountId !== accountId;
    const challenge = await this.otp.issue(reader, {
      purpose,
      channel: channelFor(contact.type),
      destination: contact.value,
      maskedDestination: maskFor(contact.type, contact.value),
      accountId,
      subject: { identifierId: contact.identifierId, type: contact.type, value: contact.value },
      decoy: takenElsewhere,
      locale: book.locale,
      // The destination is not proven yet: its message carries no text the requester chose (a display
      // name like "Your account is locked, visit …" would turn our mail server into theirs).
      recipientName: null,
      insteadOfCode:
        takenElsewhere && owner
          ? {
              channel: channelFor(contact.type),
              destination: contact.value,
              templateKey: 'notice.identifier_in_use',
              locale: owner.book.locale,
              accountId: owner.accountId,
              variables: { name: owner.book.name ?? '' },
            }
          : undefined,
    });
    return challenge;
  }

  /** requestIdentifierVerification: the account's own unverified email or phone. */
  async request(accountId: string, identifierId: string): Promise<OtpChallengeModel> {
    const identifier = await this.identifiers.findOwned(accountId, identifierId);
    if (!identifier) throw new IdentifierException(IdentifierErrorCode.NOT_FOUND);
    if (identifier.type === 'USERNAME' || identifier.verifiedAt) {
      throw new IdentifierException(IdentifierErrorCode.INVALID_VALUE, { field: 'identifierId', reason: 'already_yours' });
    }
    const type = identifier.type;
    const challenge = await this.start(null, accountId, { type, value: identifier.value, identifierId });
    return challenge;
  }

  /**
   * Sign-in with the right password and an unproven identifier: a VERIFY_IDENTIFIER challenge,
   * or the open one while the cool-down runs (contract: Sign-in). Null when limits forbid a send.
   */
  async challengeForSignIn(accountId: string, type: 'EMAIL' | 'PHONE', value: string): Promise<OtpChallengeModel | null> {
    const open = await this.otp.findOpen(accountId, OtpPurpose.VERIFY_IDENTIFIER, value);
    if (open && (await this.otp.inCooldown(accountId, OtpPurpose.VERIFY_IDENTIFIER, value))) return open;
    const identifier = (await this.identifiers.listForAccount(accountId)).find((i) => i.type === type && i.value === value);
    if (!identifier) return open ?? null;
    try {
      return await this.start(null, accountId, { type, value, identifierId: identifier.id });
    } catch (err) {
      if (err instanceof OtpException) return open ?? null;
      throw err;
    }
  }

  /** verifyIdentifier: with or without a session (the code itself proves the person). */
  async verify(challengeId: string, code: string, callerAccountId: string | null): Promise<IdentifierModel> {
    return this.otp.verify(challengeId, code, { purpose: OtpPurpose.VERIFY_IDENTIFIER, callerAccountId }, async (c, manager) => {
      const identifierId = typeof c.subject.identifierId === 'string' ? c.subject.identifierId : '';
      if (!c.account_id) throw new OtpException(OtpErrorCode.INVALID);
      const type = c.channel === Channel.SMS ? 'PHONE' : 'EMAIL';
      const verified = await this.markVerified(manager, c.account_id, identifierId, c.destination, type);
      await this.events.record(manager, { type: SecurityEventType.IDENTIFIER_VERIFIED, accountId: c.account_id, detail: type });
      return verified;
    });
  }

  /**
   * Marks the identifier verified and drops every other account's unverified claim on the value
   * (one statement, IdentifiersService.setVerified). A value verified elsewhere meanwhile is
   * IDENTIFIER_TAKEN (the partial unique index decides races).
   */
  async markVerified(manager: EntityManager, accountId: string, identifierId: string, value: string, type: 'EMAIL' | 'PHONE'): Promise<IdentifierModel> {
    let updated;
    try {
      updated = await this.identifiers.setVerified(manager, accountId, identifierId, value);
    } catch (err) {
      if (isUniqueViolation(err)) throw new IdentifierException(IdentifierErrorCode.VALUE_TAKEN);
      throw err;
    }
    if (!updated) {
      // The claim is gone: another account verified the value since this code was sent.
      const owner = await this.identifiers.verifiedOwner(manager, type, value);
      if (owner && owner !== accountId) throw new IdentifierException(IdentifierErrorCode.VALUE_TAKEN);
      throw new OtpException(OtpErrorCode.INVALID);
    }
    return this.identifiers.toModel(updated);
  }
}
