import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiException } from '@app/core';
import { SessionsService } from '@app/credentials';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { Account, AccountStatusValue, findAccount, RoleValue, shareOrganization, updateAccount } from '../accounts.repository';
import { AccountStatus, Role } from '../models/enums';

const SETTABLE: AccountStatus[] = [AccountStatus.ACTIVE, AccountStatus.BLOCKED, AccountStatus.DEACTIVATED];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who acted and why (contract: Security events: the admin as actorId, the reason as detail). */
export interface AdminAction {
  actorId: string;
  reason?: string | null;
}

/**
 * Admin changes to accounts. Blocking or deactivating refuses the account's tokens at once (the
 * JWT strategy reads status on every request) and ends its sessions. Every change records its
 * security event in its own transaction.
 */
@Injectable()
export class AccountAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  async find(id: string): Promise<Account | null> {
    if (!UUID.test(id)) return null;
    return findAccount(this.dataSource, id);
  }

  async setStatus(action: AdminAction, accountId: string, status: AccountStatus): Promise<Account> {
    // PENDING_DELETION and DELETED belong to the deletion flow; an admin cannot lock themselves out.
    if (!SETTABLE.includes(status)) throw ApiException.badInput('status', 'invalid');
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    if (account.status === 'DELETED' || account.status === 'PENDING_DELETION') throw ApiException.badInput('status', 'invalid');
    if (account.id === action.actorId && status !== AccountStatus.ACTIVE) throw ApiException.badInput('accountId', 'invalid');
    await this.dataSource.transaction(async (manager) => {
      await updateAccount(manager, account.id, { status });
      if (status !== AccountStatus.ACTIVE) await this.sessions.endAll(account.id, 'status_changed', manager);
      await this.audit(manager, SecurityEventType.STATUS_CHANGED, account.id, action, status, { status });
    });
    return { ...account, status: status as AccountStatusValue };
  }

  /** revokeAccountSessions: ends every session of the account; returns how many were live. */
  async revokeSessions(action: AdminAction, accountId: string): Promise<number> {
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    return this.sessions.endAll(account.id, 'admin_revoked', undefined, null, { actorId: action.actorId, detail: action.reason || null });
  }

  async setRoles(action: AdminAction, accountId: string, roles: Role[]): Promise<Account> {
    const account = await this.find(accountId);
    if (!account) throw ApiException.notFound();
    const unique = [...new Set(roles)] as RoleValue[];
    if (account.id === action.actorId && !unique.includes('ADMIN')) throw ApiException.badInput('roles', 'invalid');
    await this.dataSource.transaction(async (manager) => {
      await updateAccount(manager, account.id, { roles: unique });
      await this.audit(manager, SecurityEventType.ROLES_CHANGED, account.id, action, unique.join(','));
    });
    return { ...account, roles: unique };
  }

  /** Into an existing organization (unknown → NOT_FOUND); the one it leaves stays, even empty. */
  async setOrganization(action: AdminAction, accountId: string, organizationId: string): Promise<Account> {
    const account = await this.find(accountId);
    if (!account || account.status === 'DELETED') throw ApiException.notFound();
    if (!UUID.test(organizationId)) throw ApiException.notFound();
    await this.dataSource.transaction(async (manager) => {
      // The foreign key would refuse an unknown id too; KEY SHARE keeps the organization until we commit.
      if (!(await shareOrganization(manager, organizationId))) throw ApiException.notFound();
      await updateAccount(manager, account.id, { organizationId });
      await this.audit(manager, SecurityEventType.ORGANIZATION_CHANGED, account.id, action, organizationId);
    });
    return { ...account, organizationId };
  }

  /** Sets (an id) or clears (null) the account's merchant scope: the next token's `mch` claim. */
  async setMerchant(action: AdminAction, accountId: string, merchantId: string | null): Promise<Account> {
    if (merchantId !== null && !UUID.test(merchantId)) throw ApiException.badInput('merchantId', 'invalid');
    const account = await this.find(accountId);
    if (!account || account.status === 'DELETED') throw ApiException.notFound();
    const value = merchantId?.toLowerCase() ?? null;
    await this.dataSource.transaction(async (manager) => {
      await updateAccount(manager, account.id, { merchantId: value });
      await this.audit(manager, SecurityEventType.MERCHANT_CHANGED, account.id, action, value ?? 'cleared');
    });
    return { ...account, merchantId: value };
  }

  /** The reason when one was given (contract), else what changed. */
  private audit(
    manager: EntityManager,
    type: SecurityEventType,
    accountId: string,
    action: AdminAction,
    fallback: string,
    data?: Record<string, string>,
  ): Promise<void> {
    return this.events.record(manager, { type, accountId, actorId: action.actorId, detail: action.reason?.trim() || fallback, data });
  }
}
