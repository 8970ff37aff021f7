import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions (contract: Sessions). Owned by the credentials library (sessions.repository.ts).
 *
 * - `sessions`: one row per sign-in; `expires_at` is the absolute end (SESSION_TTL after the
 *   sign-in), `idle_expires_at` moves with each refresh (SESSION_IDLE_TTL). A session is alive
 *   while `ended_at IS NULL` and both ends lie ahead; the token check reads exactly that.
 * - `refresh_tokens`: SHA-256 of each refresh token of a session. The live one has
 *   `rotated_at IS NULL`; rotated ones stay until the session's rows are purged, for reuse
 *   detection: presented within `reuse_until` they lead to their successor, later they end the
 *   session. One live token per session: rotation runs with the session's row locked.
 */
export class Sessions1732250600000 implements MigrationInterface {
  name = 'Sessions1732250600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        auth_methods varchar(20)[] NOT NULL,
        ip varchar(64),
        user_agent varchar(256),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        last_used_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        idle_expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason varchar(32),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      );
      CREATE INDEX sessions_account_live_idx ON sessions (account_id, last_used_at DESC) WHERE ended_at IS NULL;
      CREATE INDEX sessions_ended_idx ON sessions (ended_at) WHERE ended_at IS NOT NULL;
      CREATE INDEX sessions_expires_idx ON sessions (expires_at) WHERE ended_at IS NULL;

      CREATE TABLE refresh_tokens (
        token_hash bytea PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        rotated_at timestamptz,
        reuse_until timestamptz
      );
      CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_tokens; DROP TABLE sessions;`);
  }
}
