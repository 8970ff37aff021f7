import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Locale } from '@app/core';

@Entity({ name: 'account_settings' })
export class AccountSettingsEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  locale: Locale;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone: string;

  @Column({ name: 'email_notifications', type: 'boolean', default: true })
  emailNotifications: boolean;

  @Column({ name: 'sms_notifications', type: 'boolean', default: true })
  smsNotifications: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
