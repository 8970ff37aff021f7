import { Injectable } from '@nestjs/common';
import { Channel, Locale } from '@app/core';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { CredentialRecord, CredentialsRepository } from '@app/credentials';
import { IdentifierKind, IdentifiersService, maskEmail, maskPhone } from '@app/identifiers';
import { NoticesService } from '@app/notifications';
import { OtpChallengeModel, OtpPurpose, OtpService } from '@app/otp';

export const NIL = '00000000-0000-0000-0000-000000000000';
const DECOY_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'proton.me'];

export interface CodeTarget {
  accountId: string;
  channel: Channel;
  destination: string;
}

/**
 * Where a code asked for by identifier goes (password reset, sign-in by code): an email / phone
 * must be verified; a username sends to the primary verified email, else phone; `channel` picks
 * one when both exist. Anything else gets a decoy of the same shape (contract: Password reset).
 */
@Injectable()
export class CodeTargets {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly credentials: CredentialsRepository,
    private readonly notices: NoticesService,
    private readonly otp: OtpService,
  ) {}

  /**
   * A code for `purpose` to `target`, or, when there is none, a decoy of the same shape to where
   * `value` would go (nothing is sent). One read and one statement either way (OtpService.issue:
   * the challenge with its message), atomic on its own, so no transaction around it.
   */
  async issue(
    purpose: OtpPurpose,
    kind: IdentifierKind,
    value: string,
    target: CodeTarget | null,
    channel: Channel | null,
    requestLocale: Locale,
  ): Promise<OtpChallengeModel> {
    const sendTo = target ?? this.decoy(kind, value, channel);
    const manager = this.dataSource.manager;
    const book = await this.notices.addressBook(manager, sendTo.accountId);
    return this.otp.issue(manager, {
      purpose,
      channel: sendTo.channel,
      destination: sendTo.destination,
      maskedDestination: target ? this.mask(target) : this.decoyMask(kind, value, sendTo.channel),
      accountId: target?.accountId ?? null,
      decoy: !target,
      locale: target ? book.locale : requestLocale,
      recipientName: book.name,
    });
  }

  /** The verified destination of an account whose status is in `statuses`, or null (then a decoy answers). */
  async resolve(kind: IdentifierKind, value: string, channel: Channel | null, statuses: CredentialRecord['status'][] = ['ACTIVE']): Promise<CodeTarget | null> {
    const candidates = await this.identifiers.findSignInCandidates(kind, value);
    const identifier = candidates.find((c) => c.verifiedAt !== null);
    // The same reads whether or not the identifier exists, so the answer takes the same time.
    const account = await this.credentials.findById(identifier?.accountId ?? NIL);
    const contacts = await this.identifiers.verifiedContacts(account?.id ?? NIL);
    if (!identifier || !account || !statuses.includes(account.status)) return null;
    const wanted = channel === Channel.SMS ? 'PHONE' : channel === Channel.EMAIL ? 'EMAIL' : kind === 'USERNAME' ? null : kind;
    const pick =
      contacts.find((c) => c.value === value && (!wanted || c.type === wanted)) ??
      (wanted ? contacts.find((c) => c.type === wanted) : (contacts.find((c) => c.type === 'EMAIL') ?? contacts.find((c) => c.type === 'PHONE')));
    if (!pick) return null;
    return { accountId: account.id, channel: pick.type === 'EMAIL' ? Channel.EMAIL : Channel.SMS, destination: pick.value };
  }

  /** Where a decoy "goes": the value itself for emails and phones; a stand-in for usernames. */
  decoy(kind: IdentifierKind, value: string, channel: Channel | null): CodeTarget {
    if (kind === 'PHONE') return { accountId: NIL, channel: Channel.SMS, destination: value };
    if (kind === 'EMAIL') return { accountId: NIL, channel: channel === Channel.SMS ? Channel.SMS : Channel.EMAIL, destination: value };
    return { accountId: NIL, channel: channel === Channel.SMS ? Channel.SMS : Channel.EMAIL, destination: `username:${value}` };
  }

  /** A masked destination in the same style as a real one, stable for the same identifier. */
  decoyMask(kind: IdentifierKind, value: string, channel: Channel): string {
    const digest = createHmac('sha256', this.config.otpHashKey).update(`decoy:${value}`).digest();
    if (channel === Channel.SMS) {
      if (kind === 'PHONE') return maskPhone(value);
      const tail = String(digest.readUInt32BE(0) % 1000).padStart(3, '0');
      return `+8490****${tail}`;
    }
    if (kind === 'EMAIL') return maskEmail(value);
    return `${value[0]}***@${DECOY_DOMAINS[digest[4] % DECOY_DOMAINS.length]}`;
  }

  mask(target: CodeTarget): string {
    return target.channel === Channel.EMAIL ? maskEmail(target.destination) : maskPhone(target.destination);
  }
}
