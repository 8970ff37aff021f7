import type { EntityManager } from 'typeorm';
import type { Locale } from '@app/core';
import { prepared } from '@app/database';

// The reads of this library's read models `notice_address_books` and `notice_value_owners` (views
// over accounts' and identifiers' tables, migration ReadModels; docs/architecture.md, Read
// models): who a security notice goes to, in one round trip inside the caller's transaction.

/** A row of the views notice_address_books / notice_value_owners (migration ReadModels): the person and their verified addresses, oldest primary first. */
export interface PersonRow {
  display_name: string | null;
  username: string | null;
  locale: Locale | null;
  addresses: Array<{ type: string; value: string }> | string | null;
}

const PERSON_COLUMNS = 'display_name, locale, username, addresses';

/** The account's person row (undefined: no such account). */
export async function findAddressBook(manager: EntityManager, accountId: string): Promise<PersonRow | undefined> {
  const [person] = await manager.query<PersonRow[]>(prepared(`SELECT ${PERSON_COLUMNS} FROM notice_address_books WHERE account_id = $1`), [accountId]);
  return person;
}

/** The account's person row (`owner` false) and that of whoever verified `value` (`owner` true), in one read. */
export function findAddressBookAndValueOwner(
  manager: EntityManager,
  accountId: string,
  type: 'EMAIL' | 'PHONE',
  value: string,
): Promise<Array<PersonRow & { owner: boolean; account_id: string }>> {
  return manager.query<Array<PersonRow & { owner: boolean; account_id: string }>>(
    prepared(`SELECT false AS owner, account_id, ${PERSON_COLUMNS} FROM notice_address_books WHERE account_id = $1
       UNION ALL
       SELECT true, account_id, ${PERSON_COLUMNS} FROM notice_value_owners WHERE value_type = $2 AND value = $3`),
    [accountId, type, value],
  );
}
