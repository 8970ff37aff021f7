import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deletion job erases an account's challenges and reset tokens of every status: without an
 * index on `account_id` over all rows (the existing ones cover open challenges and unused tokens
 * only) each erasure batch scans both tables once.
 */
export class ErasureIndexes1732250400000 implements MigrationInterface {
  name = 'ErasureIndexes1732250400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX otp_challenges_account_idx ON otp_challenges (account_id);
      CREATE INDEX password_reset_tokens_account_all_idx ON password_reset_tokens (account_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX password_reset_tokens_account_all_idx;
      DROP INDEX otp_challenges_account_idx;
    `);
  }
}
