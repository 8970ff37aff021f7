import { Injectable } from '@nestjs/common';
import { Channel, Locale } from '@app/core';
import { EntityManager } from 'typeorm';
import { OutboxService } from './outbox.service';
import type { TemplateVariables } from './template-renderer';
import { findAddressBook, findAddressBookAndValueOwner, PersonRow } from './notice-address-books.repository';

export interface Recipient {
  channel: Channel;
  destination: string;
}

export interface AccountAddressBook {
  name: string | null;
  locale: Locale;
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

  /** Display name, locale and the verified addresses of an account (one read of the view notice_address_books). */
  async addressBook(manager: EntityManager, accountId: string): Promise<AccountAddressBook> {
    const person = await findAddressBook(manager, accountId);
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
    const rows = await findAddressBookAndValueOwner(manager, accountId, type, value);
    const owner = rows.find((r) => r.owner);
    return { book: bookOf(rows.find((r) => !r.owner)), owner: owner ? { accountId: owner.account_id, book: bookOf(owner) } : null };
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
