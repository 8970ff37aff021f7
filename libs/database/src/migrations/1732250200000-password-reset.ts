import { MigrationInterface, QueryRunner } from 'typeorm';

/** Single-use password reset tokens (contract: Password reset), stored only as hashes. */
export class PasswordReset1732250200000 implements MigrationInterface {
  name = 'PasswordReset1732250200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_reset_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX password_reset_tokens_account_idx ON password_reset_tokens (account_id) WHERE used_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_reset_tokens;`);
  }
}
