import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Locale } from '@app/core';
import { AccountErrorCode, AccountException } from './accounts.exception';
import {
  Account,
  AccountIdentifierRow,
  findAccount,
  findOrganizations,
  findSettings,
  readDetails,
  touchAccount,
  updateProfile,
  updateSettings,
} from './accounts.repository';
import { UpdateProfileInput, UpdateSettingsInput } from './inputs/update-profile.input';
import { AccountModel, AccountSettingsModel, OrganizationModel, ProfileModel } from './models/account.model';
import { AccountStatus, Role } from './models/enums';
import { cleanText, cleanTimezone } from './text-input';
import type { IdentifierKind } from '@app/identifiers';

/** One identifier of an account, as the view `account_identifiers` (migration ReadModels) gives it. */
export interface AccountIdentifier {
  id: string;
  type: IdentifierKind;
  value: string;
  verifiedAt: Date | null;
  isPrimary: boolean;
  createdAt: Date;
}

export interface AccountDetails {
  profile: ProfileModel;
  identifiers: AccountIdentifier[];
}

/** Reads and self-service updates of accounts, profiles and settings. */
@Injectable()
export class AccountsService {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<Account | null> {
    return findAccount(this.dataSource, id);
  }

  async getById(id: string): Promise<Account> {
    const account = await this.findById(id);
    if (!account) throw new AccountException(AccountErrorCode.NOT_FOUND);
    return account;
  }

  async updateProfile(accountId: string, input: UpdateProfileInput): Promise<Account> {
    const patch: { displayName?: string | null; firstName?: string | null; lastName?: string | null } = {};
    for (const key of ['displayName', 'firstName', 'lastName'] as const) {
      const v = cleanText(input[key], key, 100);
      if (v !== undefined) patch[key] = v;
    }
    if (Object.keys(patch).length) await updateProfile(this.dataSource, accountId, patch);
    await touchAccount(this.dataSource, accountId);
    return this.getById(accountId);
  }

  async updateSettings(accountId: string, input: UpdateSettingsInput): Promise<Account> {
    const patch: { locale?: Locale; timezone?: string; emailNotifications?: boolean; smsNotifications?: boolean } = {};
    if (input.locale) patch.locale = input.locale;
    const tz = cleanTimezone(input.timezone);
    if (tz) patch.timezone = tz;
    if (typeof input.emailNotifications === 'boolean') patch.emailNotifications = input.emailNotifications;
    if (typeof input.smsNotifications === 'boolean') patch.smsNotifications = input.smsNotifications;
    if (Object.keys(patch).length) await updateSettings(this.dataSource, accountId, patch);
    await touchAccount(this.dataSource, accountId);
    return this.getById(accountId);
  }

  /**
   * Profile and identifiers of each account in one round trip (the two field resolvers of
   * nearly every `me` and admin page share it through one DataLoader).
   */
  async detailsFor(ids: readonly string[]): Promise<Map<string, AccountDetails>> {
    const found = await this.details.loadMany(ids);
    const result = new Map<string, AccountDetails>();
    ids.forEach((id, k) => {
      const d = found[k];
      if (d instanceof Error) throw d; // a failed read fails the request, it never reads as "no profile"
      if (d) result.set(id, d);
    });
    return result;
  }

  /**
   * Concurrent requests' detail reads that arrive in the same turn of the event loop share one
   * query. Not a cache (`cache: false`): every read starts after its request arrived.
   */
  private readonly details = new DataLoader<string, AccountDetails | null>(
    async (ids) => {
      const found = await this.readDetails(ids);
      return ids.map((id) => found.get(id) ?? null);
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
  );

  private async readDetails(ids: readonly string[]): Promise<Map<string, AccountDetails>> {
    if (ids.length === 0) return new Map();
    const rows = await readDetails(this.dataSource, ids);
    return new Map(
      rows.map((r) => {
        const identifiers = typeof r.identifiers === 'string' ? (JSON.parse(r.identifiers) as AccountIdentifierRow[]) : r.identifiers;
        return [
          r.id,
          { profile: { displayName: r.display_name, firstName: r.first_name, lastName: r.last_name }, identifiers: identifiers.map(toAccountIdentifier) },
        ];
      }),
    );
  }

  async settingsFor(ids: readonly string[]): Promise<Map<string, AccountSettingsModel>> {
    const rows = await findSettings(this.dataSource, ids);
    return new Map(
      rows.map((s) => [
        s.account_id,
        { locale: s.locale, timezone: s.timezone, emailNotifications: s.email_notifications, smsNotifications: s.sms_notifications },
      ]),
    );
  }

  async organizationsFor(ids: readonly string[]): Promise<Map<string, OrganizationModel>> {
    const rows = await findOrganizations(this.dataSource, ids);
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name }]));
  }

  defaultSettings(locale: Locale): AccountSettingsModel {
    return { locale, timezone: 'UTC', emailNotifications: true, smsNotifications: true };
  }

  toModel(
    a: Pick<Account, 'id' | 'merchantId' | 'passwordChangedAt' | 'createdAt' | 'updatedAt' | 'organizationId'> & { status: string; roles: string[] },
  ): AccountModel {
    return {
      id: a.id,
      status: a.status as AccountStatus,
      roles: a.roles as Role[],
      merchantId: a.merchantId,
      passwordChangedAt: a.passwordChangedAt,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
      organizationId: a.organizationId,
    };
  }
}

function toAccountIdentifier(r: AccountIdentifierRow): AccountIdentifier {
  return {
    id: r.id,
    type: r.type,
    value: r.value,
    verifiedAt: r.verified_at === null ? null : new Date(r.verified_at),
    isPrimary: r.is_primary,
    createdAt: new Date(r.created_at),
  };
}
