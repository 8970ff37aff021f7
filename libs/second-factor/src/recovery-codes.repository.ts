import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { queryRows } from '@app/database';

/** `recovery_codes` (migration 1732250700000): keyed hashes, each usable once. */
@Injectable()
export class RecoveryCodesRepository {
  /** Replaces every code of the account (regeneration, or a factor turned on). */
  async replace(manager: EntityManager, accountId: string, hashes: Buffer[]): Promise<void> {
    await manager.query(`DELETE FROM recovery_codes WHERE account_id = $1`, [accountId]);
    await manager.query(`INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, decode(h, 'hex') FROM unnest($2::text[]) AS h`, [
      accountId,
      hashes.map((h) => h.toString('hex')),
    ]);
  }

  /**
   * Uses a code: one conditional UPDATE, so of any number of concurrent uses of one code
   * exactly one sees `used_at IS NULL` and wins.
   */
  async use(manager: EntityManager, accountId: string, hash: Buffer): Promise<boolean> {
    const rows = await queryRows<{ account_id: string }>(
      manager,
      `UPDATE recovery_codes SET used_at = clock_timestamp() WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING account_id`,
      [accountId, hash],
    );
    return rows.length === 1;
  }

  async removeAll(manager: EntityManager, accountId: string): Promise<void> {
    await manager.query(`DELETE FROM recovery_codes WHERE account_id = $1`, [accountId]);
  }
}
