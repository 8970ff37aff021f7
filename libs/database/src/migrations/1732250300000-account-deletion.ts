import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account deletion requests (contract: Account deletion). PENDING until the code is confirmed,
 * CONFIRMED with `scheduled_for` until the job erases the account (COMPLETED) or the person
 * cancels (CANCELLED). At most one open (PENDING / CONFIRMED) request per account; the job
 * finds due requests through a partial index on `scheduled_for`.
 */
export class AccountDeletion1732250300000 implements MigrationInterface {
  name = 'AccountDeletion1732250300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE account_deletion_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        status varchar(10) NOT NULL DEFAULT 'PENDING'
          CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED')),
        -- Free text from the person: personal data, erased with the account.
        reason varchar(500),
        -- The ACCOUNT_DELETION challenge that may confirm this request (a newer request supersedes it).
        challenge_id varchar(32),
        requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        confirmed_at timestamptz,
        scheduled_for timestamptz,
        cancelled_at timestamptz,
        completed_at timestamptz,
        CHECK (status IN ('PENDING', 'CANCELLED') OR (confirmed_at IS NOT NULL AND scheduled_for IS NOT NULL)),
        CHECK (status <> 'CANCELLED' OR cancelled_at IS NOT NULL),
        CHECK (status <> 'COMPLETED' OR (completed_at IS NOT NULL AND reason IS NULL))
      );
      CREATE UNIQUE INDEX account_deletion_requests_open_uq ON account_deletion_requests (account_id)
        WHERE status IN ('PENDING', 'CONFIRMED');
      CREATE INDEX account_deletion_requests_due_idx ON account_deletion_requests (scheduled_for)
        WHERE status = 'CONFIRMED';
      CREATE INDEX account_deletion_requests_account_idx ON account_deletion_requests (account_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_deletion_requests;`);
  }
}
