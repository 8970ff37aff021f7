import { textArray } from '@app/database';
import { AccountEntity, AccountStatusValue, RoleValue } from './entities/account.entity';

/** The columns of `accounts` that raw SQL reads return (everything but the password hash). */
export const ACCOUNT_COLUMNS = [
  'id',
  'organization_id',
  'status',
  'roles',
  'merchant_id',
  'password_changed_at',
  'credential_version',
  'created_at',
  'updated_at',
];

/** A row of ACCOUNT_COLUMNS as node-postgres or PGlite hands it back. */
export interface AccountRow {
  id: string;
  organization_id: string | null;
  status: AccountStatusValue;
  roles: unknown;
  merchant_id: string | null;
  password_changed_at: Date | string | null;
  credential_version: number | string;
  created_at: Date | string;
  updated_at: Date | string;
}

export function accountFromRow(r: AccountRow): AccountEntity {
  return Object.assign(new AccountEntity(), {
    id: r.id,
    organizationId: r.organization_id,
    status: r.status,
    roles: textArray(r.roles) as RoleValue[],
    merchantId: r.merchant_id,
    passwordChangedAt: r.password_changed_at === null ? null : new Date(r.password_changed_at),
    credentialVersion: Number(r.credential_version),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  });
}
