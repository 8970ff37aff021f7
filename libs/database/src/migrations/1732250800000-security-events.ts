import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security events (contract: Security events). Owned by the security-events library
 * (security-events.repository.ts). Append-only; read newest first with keyset paging, per
 * account or across all of them, so both indexes end in (occurred_at DESC, id DESC): a page is
 * an index range scan that stops after `first + 1` rows, even at 10^7 rows. The retention purge
 * walks the global index from its old end.
 *
 * `account_id` stays after an erasure (the tombstone row stays too); ip, user agent and detail are
 * nulled then. No foreign key on actor or session: a session row is purged 24 h after it ends,
 * the event outlives it.
 */
export class SecurityEvents1732250800000 implements MigrationInterface {
  name = 'SecurityEvents1732250800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(32) NOT NULL,
        account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
        actor_id uuid,
        session_id uuid,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        ip varchar(64),
        user_agent varchar(256),
        detail varchar(200)
      );
      CREATE INDEX security_events_account_idx ON security_events (account_id, occurred_at DESC, id DESC);
      CREATE INDEX security_events_time_idx ON security_events (occurred_at DESC, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_events;`);
  }
}
