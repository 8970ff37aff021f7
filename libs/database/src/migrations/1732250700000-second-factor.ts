import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_TEMPLATES } from '../../../notifications/src/templates/default-templates';

/**
 * Second factor and sign-in by code (contract: Second factor, Sign-in by code). Owned by the
 * second-factor library (one repository per table family).
 *
 * - `second_factors`: at most one per account. A TOTP secret is kept only as AES-256-GCM
 *   ciphertext with the id of the key that sealed it (keys rotate; old ones still decrypt);
 *   `last_totp_step` is the last accepted RFC 6238 time step, so a code is accepted once.
 * - `totp_enrollments`: a secret shown once, waiting for its first code (10 minutes).
 * - `recovery_codes`: HMAC-SHA256 of each code; `used_at` set once (single use under concurrency).
 * - `sign_in_tickets`: the second step's ticket, stored as SHA-256; bound to the account, the
 *   first step (method, channel) and the methods it offers; 5 minutes, single use.
 * New template keys are seeded here for databases created before they existed.
 */
export class SecondFactor1732250700000 implements MigrationInterface {
  name = 'SecondFactor1732250700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE second_factors (
        account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        method varchar(8) NOT NULL CHECK (method IN ('TOTP', 'EMAIL', 'SMS')),
        totp_secret_ciphertext bytea,
        totp_key_id varchar(16),
        last_totp_step bigint,
        enabled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK ((method = 'TOTP') = (totp_secret_ciphertext IS NOT NULL AND totp_key_id IS NOT NULL))
      );

      CREATE TABLE totp_enrollments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        secret_ciphertext bytea NOT NULL,
        key_id varchar(16) NOT NULL,
        attempts_remaining integer NOT NULL CHECK (attempts_remaining >= 0),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        confirmed_at timestamptz
      );
      CREATE INDEX totp_enrollments_account_idx ON totp_enrollments (account_id);
      CREATE INDEX totp_enrollments_expires_idx ON totp_enrollments (expires_at);

      CREATE TABLE recovery_codes (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        used_at timestamptz,
        PRIMARY KEY (account_id, code_hash)
      );

      CREATE TABLE sign_in_tickets (
        id bytea PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        first_method varchar(8) NOT NULL CHECK (first_method IN ('PASSWORD', 'CODE')),
        first_channel varchar(8) CHECK (first_channel IN ('EMAIL', 'SMS')),
        methods varchar(16)[] NOT NULL,
        challenge_id varchar(64),
        attempts_remaining integer NOT NULL CHECK (attempts_remaining >= 0),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX sign_in_tickets_account_idx ON sign_in_tickets (account_id);
      CREATE INDEX sign_in_tickets_expires_idx ON sign_in_tickets (expires_at);
    `);
    const added = [
      'otp.sign_in',
      'otp.second_factor',
      'notice.second_factor_enabled',
      'notice.second_factor_disabled',
      'notice.recovery_codes_regenerated',
      'notice.recovery_code_used',
    ];
    for (const t of DEFAULT_TEMPLATES.filter((d) => added.includes(d.key))) {
      await q.query(
        `INSERT INTO notification_templates (key, channel, locale, subject, body, text_body) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key, channel, locale) DO NOTHING`,
        [t.key, t.channel, t.locale, t.subject, t.body, t.textBody],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sign_in_tickets;
      DROP TABLE recovery_codes;
      DROP TABLE totp_enrollments;
      DROP TABLE second_factors;
      DELETE FROM notification_templates WHERE key IN ('otp.sign_in', 'otp.second_factor', 'notice.second_factor_enabled',
        'notice.second_factor_disabled', 'notice.recovery_codes_regenerated', 'notice.recovery_code_used');
    `);
  }
}
