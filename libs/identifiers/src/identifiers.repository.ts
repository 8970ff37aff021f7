import type { EntityManager } from 'typeorm';
import { queryRows } from '@app/database';

/**
 * The erasure's part here, in the deletion job's transaction: the accounts' identifiers go, so
 * their values are free for anyone to register again. Returns the emails and phones erased: the
 * notifications library drops unsent messages still addressed to them. A plain function over
 * the job's manager: the standalone job needs none of this library's providers.
 */
export async function eraseIdentifiersFor(accountIds: string[], manager: EntityManager): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await queryRows<{ type: string; value: string }>(manager, `DELETE FROM identifiers WHERE account_id = ANY($1::uuid[]) RETURNING type, value`, [
    accountIds,
  ]);
  return rows.filter((r) => r.type === 'EMAIL' || r.type === 'PHONE').map((r) => r.value);
}
