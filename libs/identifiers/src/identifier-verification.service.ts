import { Injectable } from '@nestjs/common';
import { Channel } from '@app/core';
import { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement, isUniqueViolation } from '@app/database';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpErrorCode, OtpException, OtpPurpose, OtpService } from '@app/otp';
import { IdentifierModel } from './identifier.model';
import { IdentifierErrorCode, IdentifierException } from './identifiers.exception';
import { IdentifiersService } from './identifiers.service';
import { maskEmail, maskPhone } from './identifier-normalizer';
import { runVerification, setVerifiedByChallengePart } from './identifiers.repository';
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

  /**
   * verifyIdentifier: with or without a session (the code itself proves the person). One statement
   * (issue 21): the code consumed, the claim verified, other accounts' unverified claims dropped and
   * the IDENTIFIER_VERIFIED event, each part written by its owner; in a transaction only when the
   * event has listeners (webhooks), which write statements of their own.
   */
  async verify(challengeId: string, code: string, callerAccountId: string | null): Promise<IdentifierModel> {
    const type = SecurityEventType.IDENTIFIER_VERIFIED;
    return this.otp.verify(
      challengeId,
      code,
      { purpose: OtpPurpose.VERIFY_IDENTIFIER, callerAccountId },
      {
        transaction: this.events.needsTransaction(type),
        run: async (manager, consumed) => {
          const s = new ComposedStatement();
          const challenge = consumed(s);
          const verified = setVerifiedByChallengePart(s, challenge);
          this.events.recordPart(s, verified, { type }, 'type');
          let outcome;
          try {
            outcome = await runVerification(manager, s, challenge, verified);
          } catch (err) {
            // Another account verified the value at the same moment: the partial unique index decides.
            if (isUniqueViolation(err)) throw new IdentifierException(IdentifierErrorCode.VALUE_TAKEN);
            throw err;
          }
          if (!outcome) return undefined;
          const identifier = outcome.identifier;
          // The claim is gone (dropped when another account verified the value since the code was sent, or
          // removed): the code is used up, as it could never succeed again.
          const { claim } = outcome;
          if (!identifier) return this.claimGone(manager, claim.accountId, claim.channel === Channel.SMS ? 'PHONE' : 'EMAIL', claim.value);
          await this.events.recorded(manager, { type, accountId: identifier.accountId, detail: identifier.type });
          return { value: this.identifiers.toModel(identifier) };
        },
      },
    );
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
    if (!updated) return this.claimGone(manager, accountId, type, value);
    return this.identifiers.toModel(updated);
  }

  /** A claim gone before its code was used: IDENTIFIER_TAKEN when another account verified the value meanwhile. */
  private async claimGone(manager: EntityManager, accountId: string, type: 'EMAIL' | 'PHONE', value: string): Promise<never> {
    const owner = await this.identifiers.verifiedOwner(manager, type, value);
    throw owner && owner !== accountId ? new IdentifierException(IdentifierErrorCode.VALUE_TAKEN) : new OtpException(OtpErrorCode.INVALID);
  }
}
