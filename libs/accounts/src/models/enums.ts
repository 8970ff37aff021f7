import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  EMPLOYEE = 'EMPLOYEE',
  CASHIER = 'CASHIER',
  CUSTOMER = 'CUSTOMER',
}
registerEnumType(Role, { name: 'Role' });

export enum AccountStatus {
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
  BLOCKED = 'BLOCKED',
  PENDING_DELETION = 'PENDING_DELETION',
  DELETED = 'DELETED',
}
registerEnumType(AccountStatus, { name: 'AccountStatus' });
