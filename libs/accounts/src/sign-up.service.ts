import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Locale } from '@app/core';
import { AppConfig } from '@app/config';
import { IdentifierKind, IdentifiersService, IdentifierVerificationService, NewIdentifier } from '@app/identifiers';
import { OtpChallengeModel, OtpException } from '@app/otp';
import { AccountErrorCode, AccountException } from './accounts.exception';
import { Account, createAccount, RoleValue } from './accounts.repository';
import { SignUpInput } from './inputs/sign-up.input';
import { IssuedSession, PasswordService, SessionsService } from '@app/credentials';
import { cleanText, cleanTimezone } from './text-input';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';

export interface SignUpResult {
  token: IssuedSession;
  account: Account;
  /** A code sent (or an enumeration-safe decoy) for each email / phone given at sign-up. */
  verifications: OtpChallengeModel[];
}

const FIELDS: Array<{ field: 'username' | 'email' | 'phone'; kind: IdentifierKind }> = [
  { field: 'username', kind: 'USERNAME' },
  { field: 'email', kind: 'EMAIL' },
  { field: 'phone', kind: 'PHONE' },
];

/**
 * Sign-up (contract: Flows, Sign-up): validates everything first, hashes outside the
 * transaction, then creates organization, account, profile, settings and identifiers in
 * one transaction, so a failure anywhere leaves nothing behind.
 */
@Injectable()
export class SignUpService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly identifiers: IdentifiersService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly verification: IdentifierVerificationService,
  ) {}

  async execute(
    input: SignUpInput,
    requestLocale: Locale,
    options: { extraRoles?: RoleValue[]; ignoreRequired?: boolean; source?: 'admin_bootstrap' } = {},
  ): Promise<SignUpResult> {
    this.passwords.assertInputSize(input.password, 'password');
    const given: NewIdentifier[] = [];
    for (const { field, kind } of FIELDS) {
      const raw = input[field];
      const required = !options.ignoreRequired && this.config.signupRequiredIdentifiers.includes(field);
      if (raw === undefined || raw === null || raw.trim() === '') {
        if (required || (raw !== undefined && raw !== null)) {
          throw new AccountException(AccountErrorCode.INVALID_INPUT, { field, reason: raw === undefined || raw === null ? 'required' : 'empty' });
        }
        continue;
      }
      const value = this.identifiers.normalize(kind, raw, field);
      given.push({ type: kind, value, verified: kind === 'USERNAME', primary: true });
    }
    if (given.length === 0) {
      throw new AccountException(AccountErrorCode.INVALID_INPUT, { field: this.config.signupRequiredIdentifiers[0], reason: 'required' });
    }
    const displayName = cleanText(input.displayName, 'displayName', 100);
    const firstName = cleanText(input.firstName, 'firstName', 100);
    const lastName = cleanText(input.lastName, 'lastName', 100);
    const orgName = cleanText(input.organizationName, 'organizationName', 200);
    const timezone = cleanTimezone(input.timezone) ?? 'UTC';
    this.passwords.assertPolicy(
      input.password,
      given.map((g) => g.value),
    );

    const passwordHash = await this.passwords.hash(input.password);
    const username = given.find((g) => g.type === 'USERNAME')?.value;
    const { account, verifications, token } = await this.dataSource.transaction(async (manager) => {
      // Organization, account, profile and settings in one statement (one round trip, not four).
      const created = await createAccount(manager, {
        organizationName: orgName ?? displayName ?? username ?? 'My organization',
        roles: ['OWNER', ...(options.extraRoles ?? [])],
        passwordHash,
        displayName: displayName ?? null,
        firstName: firstName ?? null,
        lastName: lastName ?? null,
        locale: input.locale ?? requestLocale,
        timezone,
      });
      // SIGNED_UP (and the account.created webhook) commit with the account, or not at all: a
      // username taken below rolls it back.
      await this.events.record(manager, { type: SecurityEventType.SIGNED_UP, accountId: created.id, detail: options.source ?? null });
      const rows = await this.identifiers.addForNewAccount(manager, created.id, given);
      // Codes and their messages commit with the account (outbox), or not at all.
      const challenges: OtpChallengeModel[] = [];
      for (const row of rows) {
        if (row.type === 'USERNAME') continue;
        try {
          challenges.push(await this.verification.start(manager, created.id, { type: row.type, value: row.value, identifierId: row.id }));
        } catch (err) {
          // A destination over its hourly cap must not block the sign-up: the account is created
          // and the code can be asked for later (requestIdentifierVerification).
          if (!(err instanceof OtpException)) throw err;
        }
      }
      if (this.config.testFaults.has('signup:after-identifiers')) throw new Error('injected sign-up fault');
      // The first session commits with the account.
      const session = await this.sessions.start({ ...created, roles: created.roles, credentialVersion: created.credentialVersion }, ['PASSWORD'], manager, {
        signIn: false,
      });
      return { account: created, verifications: challenges, token: session };
    });
    return { token, account, verifications };
  }
}
