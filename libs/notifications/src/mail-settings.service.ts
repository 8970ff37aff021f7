import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { MailSettingsModel } from './mail-settings.models';
import { findMailIdentity, findMailSettings, MailSettingsRow, seedMailSettings, upsertMailSettings } from './mail-settings.repository';
import type { MailIdentity } from './senders/smtp-email.sender';

/**
 * Sender name, address and reply-to live in the database (contract: Delivery), seeded from
 * MAIL_FROM at first boot; read through a short cache so every mail does not cost a query.
 */
@Injectable()
export class MailSettingsService implements OnApplicationBootstrap {
  private cached?: { at: number; value: MailIdentity };

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly events: SecurityEventsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(this.config.mail.from);
    const [name, address] = match ? [match[1].replace(/^"|"$/g, '') || null, match[2]] : [null, this.config.mail.from];
    await seedMailSettings(this.dataSource, name ?? this.config.appName, address);
  }

  async identity(): Promise<MailIdentity> {
    if (this.cached && Date.now() - this.cached.at < 60_000) return this.cached.value;
    const row = await findMailIdentity(this.dataSource);
    const address = row?.sender_address ?? this.config.mail.from;
    const name = row?.sender_name?.replace(/["\r\n<>]/g, '');
    const value: MailIdentity = { from: name ? `"${name}" <${address}>` : address, replyTo: row?.reply_to ?? null };
    this.cached = { at: Date.now(), value };
    return value;
  }

  async settings(): Promise<MailSettingsModel> {
    const row = await findMailSettings(this.dataSource);
    return toModel(row);
  }

  /**
   * updateMailSettings: values already normalized by the caller (addresses validated like email
   * identifiers). This instance's cache is dropped at once; others see it within a minute.
   */
  async update(actorId: string, next: { fromName: string | null; fromAddress: string; replyTo: string | null }): Promise<MailSettingsModel> {
    const row = await this.dataSource.transaction(async (manager) => {
      const updated = await upsertMailSettings(manager, next.fromName, next.fromAddress, next.replyTo);
      await this.events.record(manager, { type: SecurityEventType.MAIL_SETTINGS_CHANGED, accountId: null, actorId, detail: next.fromAddress });
      return updated;
    });
    this.cached = undefined;
    return toModel(row);
  }
}

function toModel(row: MailSettingsRow): MailSettingsModel {
  return { fromName: row.sender_name, fromAddress: row.sender_address, replyTo: row.reply_to, updatedAt: new Date(row.updated_at) };
}
