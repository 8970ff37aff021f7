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
    const [person] = await manager.query<PersonRow[]>(`SELECT ${PERSON_COLUMNS} FROM accounts a ${PERSON_JOINS} WHERE a.id = $1`, [accountId]);
    return bookOf(person);
  }

  /**
   * In one read: the account's address book, and who has verified `value` with theirs (a code asked
   * for a value: a free value and one verified elsewhere must cost the same, contract: Identifiers).
   */
  async addressBookAndOwnerOf(
    manager: EntityManager,
    accountId: string,
    type: 'EMAIL' | 'PHONE',
    value: string,
  ): Promise<{ book: AccountAddressBook; owner: { accountId: string; book: AccountAddressBook } | null }> {
    const rows = await manager.query<Array<PersonRow & { owner: boolean; id: string }>>(
      `SELECT who.owner, a.id, ${PERSON_COLUMNS}
         FROM (SELECT $1::uuid AS id, false AS owner
               UNION ALL
               SELECT account_id, true FROM identifiers WHERE type = $2 AND value = $3 AND verified_at IS NOT NULL) who
         JOIN accounts a ON a.id = who.id ${PERSON_JOINS}`,
      [accountId, type, value],
    );
    const owner = rows.find((r) => r.owner);
    return { book: bookOf(rows.find((r) => !r.owner)), owner: owner ? { accountId: owner.id, book: bookOf(owner) } : null };
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

interface PersonRow {
  display_name: string | null;
  username: string | null;
  locale: LocaleCode | null;
  addresses: Array<{ type: string; value: string }> | string | null;
}

// The person and their verified addresses (oldest primary first) as a JSON array: one round trip.
const PERSON_COLUMNS = `p.display_name, s.locale,
       (SELECT value FROM identifiers WHERE account_id = a.id AND type = 'USERNAME' LIMIT 1) AS username,
       (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.is_primary DESC, i.created_at)
          FROM identifiers i
         WHERE i.account_id = a.id AND i.verified_at IS NOT NULL AND i.type IN ('EMAIL', 'PHONE')) AS addresses`;
const PERSON_JOINS = `LEFT JOIN profiles p ON p.account_id = a.id LEFT JOIN account_settings s ON s.account_id = a.id`;

function bookOf(person: PersonRow | undefined): AccountAddressBook {
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
