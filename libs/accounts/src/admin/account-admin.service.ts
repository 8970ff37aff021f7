import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SessionsService } from '@app/credentials';
import { ApiException } from '@app/graphql';
import { AccountEntity, AccountStatusValue, RoleValue } from '../entities/account.entity';
import { AccountStatus, Role } from '../models/enums';

const SETTABLE: AccountStatus[] = [AccountStatus.ACTIVE, AccountStatus.BLOCKED, AccountStatus.DEACTIVATED];

/**
 * Admin changes to accounts. Blocking or deactivating refuses the account's tokens at once (the
 * JWT strategy reads status on every request) and ends its sessions.
 */
@Injectable()
export class AccountAdminService {
  constructor(
    @InjectRepository(AccountEntity) private readonly accounts: Repository<AccountEntity>,
    private readonly sessions: SessionsService,
  ) {}

  async find(id: string): Promise<AccountEntity | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return this.accounts.findOne({ where: { id } });
  }

  async setStatus(actorId: string, accountId: string, status: AccountStatus): Promise<AccountEntity> {
    // PENDING_DELETION and DELETED belong to the deletion flow; an admin cannot lock themselves out.
    if (!SETTABLE.includes(status)) throw ApiException.badInput('status', 'invalid');
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    if (account.status === 'DELETED' || account.status === 'PENDING_DELETION') throw ApiException.badInput('status', 'invalid');
    if (account.id === actorId && status !== AccountStatus.ACTIVE) throw ApiException.badInput('accountId', 'invalid');
    await this.accounts.manager.transaction(async (manager) => {
      await manager.update(AccountEntity, { id: account.id }, { status, updatedAt: new Date() });
      if (status !== AccountStatus.ACTIVE) await this.sessions.endAll(account.id, 'status_changed', manager);
    });
    return { ...account, status: status as AccountStatusValue };
  }

  /** revokeAccountSessions: ends every session of the account; returns how many were live. */
  async revokeSessions(accountId: string): Promise<number> {
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    return this.sessions.endAll(account.id, 'admin_revoked');
  }

  async setRoles(actorId: string, accountId: string, roles: Role[]): Promise<AccountEntity> {
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    const unique = [...new Set(roles)] as RoleValue[];
    if (account.id === actorId && !unique.includes('ADMIN')) throw ApiException.badInput('roles', 'invalid');
    await this.accounts.update({ id: account.id }, { roles: unique, updatedAt: new Date() });
    return { ...account, roles: unique };
  }
}
