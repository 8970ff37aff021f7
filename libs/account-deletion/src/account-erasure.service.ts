import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { pgCode, queryRows } from '@app/database';

/** A person's flow holds the account right now: the transaction rolls back, the account waits for the next pass. */
export class ErasureBusyError extends Error {
  constructor() {
    super('account busy');
  }
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Erases one account inside the caller's transaction (contract: Account deletion): the row
 * stays as a DELETED tombstone without personal data; everything else that names the person
 * goes. Every table that holds personal data keyed by account belongs in `erase` (the
 * tombstone e2e test reads every column of every table to prove it).
 */
@Injectable()
export class AccountErasureService {
  /**
   * The request row is already locked by the caller. Rows user flows may hold (the account,
   * its challenges) are taken NOWAIT: the job never waits for a person, so a cancellation in
   * flight can never deadlock with it; the account is left for the next pass instead (ErasureBusyError).
   */
  async erase(manager: EntityManager, requestId: string, accountId: string): Promise<void> {
    try {
      await manager.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE NOWAIT`, [accountId]);
      await manager.query(`SELECT id FROM otp_challenges WHERE account_id = $1 FOR UPDATE NOWAIT`, [accountId]);
    } catch (err) {
      if (pgCode(err) === LOCK_NOT_AVAILABLE) throw new ErasureBusyError();
      throw err;
    }
    const values = await queryRows<{ value: string }>(manager, `SELECT value FROM identifiers WHERE account_id = $1 AND type IN ('EMAIL', 'PHONE')`, [accountId]);
    const [account] = await queryRows<{ organization_id: string | null }>(manager, `SELECT organization_id FROM accounts WHERE id = $1`, [accountId]);

    // Every challenge (open or used: they carry the destination and the name) and every message
    // to the person: unsent ones must never go out, sent ones are copies of personal data.
    await manager.query(`DELETE FROM otp_challenges WHERE account_id = $1`, [accountId]);
    await manager.query(
      `DELETE FROM outbox_messages
        WHERE account_id = $1 OR (account_id IS NULL AND status IN ('PENDING', 'SENDING') AND destination = ANY($2::varchar[]))`,
      [accountId, values.map((v) => v.value)],
    );
    // Identifiers go: their values are free for anyone to register again.
    await manager.query(`DELETE FROM identifiers WHERE account_id = $1`, [accountId]);
    await manager.query(`DELETE FROM password_reset_tokens WHERE account_id = $1`, [accountId]);
    await manager.query(`DELETE FROM profiles WHERE account_id = $1`, [accountId]);
    await manager.query(`DELETE FROM account_settings WHERE account_id = $1`, [accountId]);
    await manager.query(
      `UPDATE accounts
          SET status = 'DELETED', roles = '{}', merchant_id = NULL, organization_id = NULL, password_hash = NULL,
              password_changed_at = NULL, credential_version = credential_version + 1, updated_at = clock_timestamp()
        WHERE id = $1`,
      [accountId],
    );
    if (account?.organization_id) {
      await manager.query(`DELETE FROM organizations o WHERE o.id = $1 AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.organization_id = o.id)`, [
        account.organization_id,
      ]);
    }
    // Earlier (cancelled) requests' reasons too: free text is personal data.
    await manager.query(`UPDATE account_deletion_requests SET reason = NULL WHERE account_id = $1 AND reason IS NOT NULL`, [accountId]);
    await manager.query(
      `UPDATE account_deletion_requests SET status = 'COMPLETED', completed_at = clock_timestamp(), reason = NULL, challenge_id = NULL WHERE id = $1`,
      [requestId],
    );
  }
}
