import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Locale } from '@app/core';
import { AccountErrorCode, AccountException } from './accounts.exception';
import { AccountEntity } from './entities/account.entity';
import { AccountSettingsEntity } from './entities/account-settings.entity';
import { OrganizationEntity } from './entities/organization.entity';
import { ProfileEntity } from './entities/profile.entity';
import { UpdateProfileInput, UpdateSettingsInput } from './inputs/update-profile.input';
import { AccountModel, AccountSettingsModel, OrganizationModel, ProfileModel } from './models/account.model';
import { AccountStatus, Role } from './models/enums';
import { cleanText, cleanTimezone } from './text-input';
import { readRows } from '@app/database';
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

interface AccountIdentifierRow {
  id: string;
  type: IdentifierKind;
  value: string;
  verified_at: Date | string | null;
  is_primary: boolean;
  created_at: Date | string;
}

export interface AccountDetails {
  profile: ProfileModel;
  identifiers: AccountIdentifier[];
}

/** Reads and self-service updates of accounts, profiles and settings. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    @InjectRepository(ProfileEntity) private readonly profiles: Repository<ProfileEntity>,
    @InjectRepository(AccountSettingsEntity) private readonly settings: Repository<AccountSettingsEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  async findById(id: string): Promise<AccountEntity | null> {
    return this.accounts.findOne({ where: { id } });
  }

  async getById(id: string): Promise<AccountEntity> {
    const account = await this.findById(id);
    if (!account) throw new AccountException(AccountErrorCode.NOT_FOUND);
    return account;
  }

  async updateProfile(accountId: string, input: UpdateProfileInput): Promise<AccountEntity> {
    const patch: Partial<ProfileEntity> = {};
    for (const key of ['displayName', 'firstName', 'lastName'] as const) {
      const v = cleanText(input[key], key, 100);
      if (v !== undefined) patch[key] = v;
    }
    if (Object.keys(patch).length) await this.profiles.update({ accountId }, patch);
    await this.accounts.update({ id: accountId }, { updatedAt: new Date() });
    return this.getById(accountId);
  }

  async updateSettings(accountId: string, input: UpdateSettingsInput): Promise<AccountEntity> {
    const patch: Partial<AccountSettingsEntity> = {};
    if (input.locale) patch.locale = input.locale;
    const tz = cleanTimezone(input.timezone);
    if (tz) patch.timezone = tz;
    if (typeof input.emailNotifications === 'boolean') patch.emailNotifications = input.emailNotifications;
    if (typeof input.smsNotifications === 'boolean') patch.smsNotifications = input.smsNotifications;
    if (Object.keys(patch).length) await this.settings.update({ accountId }, patch);
    await this.accounts.update({ id: accountId }, { updatedAt: new Date() });
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
    const rows = await readRows<{
      id: string;
      display_name: string | null;
      first_name: string | null;
      last_name: string | null;
      identifiers: AccountIdentifierRow[] | string;
    }>(
      this.profiles.manager.dataSource,
      // The identifiers through the read model accounts owns (view account_identifiers): the
      // identifiers library owns the table, this library its one-round-trip read of it.
      `SELECT k.id, p.display_name, p.first_name, p.last_name,
              COALESCE((SELECT json_agg(json_build_object('id', i.id, 'type', i.type, 'value', i.value, 'verified_at', i.verified_at,
                                                          'is_primary', i.is_primary, 'created_at', i.created_at) ORDER BY i.created_at, i.id)
                          FROM account_identifiers i WHERE i.account_id = k.id), '[]'::json) AS identifiers
         FROM unnest($1::uuid[]) AS k(id) LEFT JOIN profiles p ON p.account_id = k.id`,
      [[...ids]],
    );
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
    const rows = ids.length ? await this.settings.find({ where: { accountId: In([...ids]) } }) : [];
    return new Map(
      rows.map((s) => [
        s.accountId,
        { locale: s.locale, timezone: s.timezone, emailNotifications: s.emailNotifications, smsNotifications: s.smsNotifications },
      ]),
    );
  }

  async organizationsFor(ids: readonly string[]): Promise<Map<string, OrganizationModel>> {
    const rows = ids.length ? await this.organizations.find({ where: { id: In([...ids]) } }) : [];
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name }]));
  }

  defaultSettings(locale: Locale): AccountSettingsModel {
    return { locale, timezone: 'UTC', emailNotifications: true, smsNotifications: true };
  }

  toModel(
    a: Pick<AccountEntity, 'id' | 'merchantId' | 'passwordChangedAt' | 'createdAt' | 'updatedAt' | 'organizationId'> & { status: string; roles: string[] },
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
