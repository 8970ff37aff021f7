import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Channel, LocaleCode, OutboxService } from './outbox.service';
import type { TemplateVariables } from './template-renderer';

export interface Recipient {
  channel: Channel;
  destination: string;
}

export interface AccountAddressBook {
  name: string | null;
  locale: LocaleCode;
  recipients: Recipient[];
}

/**
 * Security notices (contract: Security notices): by email to every verified email of the
 * account, else by SMS to its verified phones; plus any extra address (the old value of a
 * contact change).
 */
@Injectable()
export class NoticesService {
  constructor(private readonly outbox: OutboxService) {}

  /** Display name, locale and the verified addresses of an account (a read of identifiers, profiles, settings). */
  async addressBook(manager: EntityManager, accountId: string): Promise<AccountAddressBook> {
    // One round trip: the person and their verified addresses (oldest primary first) as a JSON array.
    const [person]: Array<{
      display_name: string | null;
      username: string | null;
      locale: LocaleCode | null;
      addresses: Array<{ type: string; value: string }> | string | null;
    }> = await manager.query(
      `SELECT p.display_name, s.locale,
                (SELECT value FROM identifiers WHERE account_id = $1 AND type = 'USERNAME' LIMIT 1) AS username,
                (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.is_primary DESC, i.created_at)
                   FROM identifiers i
                  WHERE i.account_id = $1 AND i.verified_at IS NOT NULL AND i.type IN ('EMAIL', 'PHONE')) AS addresses
           FROM accounts a
           LEFT JOIN profiles p ON p.account_id = a.id
           LEFT JOIN account_settings s ON s.account_id = a.id
          WHERE a.id = $1`,
      [accountId],
    );
    const addresses = person?.addresses ?? [];
    const rows: Array<{ type: string; value: string }> =
      typeof addresses === 'string' ? (JSON.parse(addresses) as Array<{ type: string; value: string }>) : addresses;
    const emails = rows.filter((r) => r.type === 'EMAIL').map((r) => ({ channel: 'EMAIL' as const, destination: r.value }));
    const phones = rows.filter((r) => r.type === 'PHONE').map((r) => ({ channel: 'SMS' as const, destination: r.value }));
    return {
      name: person?.display_name ?? person?.username ?? null,
      locale: person?.locale ?? 'en',
      recipients: emails.length ? emails : phones,
    };
  }

  async notify(manager: EntityManager, accountId: string, templateKey: string, variables: TemplateVariables = {}, extra: Recipient[] = []): Promise<number> {
    const book = await this.addressBook(manager, accountId);
    const all = [...book.recipients, ...extra.filter((x) => !book.recipients.some((r) => r.destination === x.destination))];
    for (const r of all) {
      await this.outbox.enqueue(manager, {
        channel: r.channel,
        destination: r.destination,
        templateKey,
        locale: book.locale,
        accountId,
        variables: { name: book.name ?? '', ...variables },
      });
    }
    return all.length;
  }
}
