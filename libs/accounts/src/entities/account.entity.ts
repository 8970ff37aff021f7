import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type AccountStatusValue = 'ACTIVE' | 'DEACTIVATED' | 'BLOCKED' | 'PENDING_DELETION' | 'DELETED';
export type RoleValue = 'OWNER' | 'ADMIN' | 'EMPLOYEE' | 'CASHIER' | 'CUSTOMER';

@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'varchar', length: 20, default: 'ACTIVE' })
  status: AccountStatusValue;

  @Column({ type: 'varchar', length: 20, array: true, default: () => "'{}'" })
  roles: RoleValue[];

  @Column({ name: 'merchant_id', type: 'uuid', nullable: true })
  merchantId: string | null;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, nullable: true, select: false })
  passwordHash: string | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt: Date | null;

  @Column({ name: 'credential_version', type: 'integer', default: 0 })
  credentialVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
