import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AccountErrorCode, AccountException } from './accounts.exception';
import { AccountEntity } from './entities/account.entity';
import { AccountSettingsEntity } from './entities/account-settings.entity';
import { OrganizationEntity } from './entities/organization.entity';
import { ProfileEntity } from './entities/profile.entity';
import { UpdateProfileInput, UpdateSettingsInput } from './inputs/update-profile.input';
import { AccountModel, AccountSettingsModel, OrganizationModel, ProfileModel } from './models/account.model';
import { AccountStatus, fromLocaleEnum, Role, toLocaleEnum } from './models/enums';
import { cleanText, cleanTimezone } from './text-input';

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

  async findManyByIds(ids: readonly string[]): Promise<Map<string, AccountEntity>> {
    const rows = ids.length ? await this.accounts.find({ where: { id: In([...ids]) } }) : [];
    return new Map(rows.map((r) => [r.id, r]));
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
    if (input.locale) patch.locale = fromLocaleEnum(input.locale);
    const tz = cleanTimezone(input.timezone);
    if (tz) patch.timezone = tz;
    if (typeof input.emailNotifications === 'boolean') patch.emailNotifications = input.emailNotifications;
    if (typeof input.smsNotifications === 'boolean') patch.smsNotifications = input.smsNotifications;
    if (Object.keys(patch).length) await this.settings.update({ accountId }, patch);
    await this.accounts.update({ id: accountId }, { updatedAt: new Date() });
    return this.getById(accountId);
  }

  async profilesFor(ids: readonly string[]): Promise<Map<string, ProfileModel>> {
    const rows = ids.length ? await this.profiles.find({ where: { accountId: In([...ids]) } }) : [];
    return new Map(rows.map((p) => [p.accountId, { displayName: p.displayName, firstName: p.firstName, lastName: p.lastName }]));
  }

  async settingsFor(ids: readonly string[]): Promise<Map<string, AccountSettingsModel>> {
    const rows = ids.length ? await this.settings.find({ where: { accountId: In([...ids]) } }) : [];
    return new Map(
      rows.map((s) => [
        s.accountId,
        { locale: toLocaleEnum(s.locale), timezone: s.timezone, emailNotifications: s.emailNotifications, smsNotifications: s.smsNotifications },
      ]),
    );
  }

  async organizationsFor(ids: readonly string[]): Promise<Map<string, OrganizationModel>> {
    const rows = ids.length ? await this.organizations.find({ where: { id: In([...ids]) } }) : [];
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name }]));
  }

  defaultSettings(locale: 'en' | 'vi'): AccountSettingsModel {
    return { locale: toLocaleEnum(locale), timezone: 'UTC', emailNotifications: true, smsNotifications: true };
  }

  toModel(a: AccountEntity): AccountModel {
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
