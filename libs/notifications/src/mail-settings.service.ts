import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(this.config.mail.from);
    const [name, address] = match ? [match[1].replace(/^"|"$/g, '') || null, match[2]] : [null, this.config.mail.from];
    await this.dataSource.query(
      `INSERT INTO mail_settings (id, sender_name, sender_address) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
      [name ?? this.config.appName, address],
    );
  }

  async identity(): Promise<MailIdentity> {
    if (this.cached && Date.now() - this.cached.at < 60_000) return this.cached.value;
    const [row]: Array<{ sender_name: string | null; sender_address: string; reply_to: string | null }> = await this.dataSource.query(
      `SELECT sender_name, sender_address, reply_to FROM mail_settings WHERE id = 1`,
    );
    const address = row?.sender_address ?? this.config.mail.from;
    const name = row?.sender_name?.replace(/["\r\n<>]/g, '');
    const value: MailIdentity = { from: name ? `"${name}" <${address}>` : address, replyTo: row?.reply_to ?? null };
    this.cached = { at: Date.now(), value };
    return value;
  }
}
