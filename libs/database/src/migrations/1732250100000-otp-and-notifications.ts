import { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_TEMPLATES } from '../../../notifications/src/templates/default-templates';

/**
 * One-time-code challenges, notification templates (seeded en + vi for every purpose and
 * channel), the mail settings row and the transactional outbox (contract: One-time codes,
 * Delivery).
 */
export class OtpAndNotifications1732250100000 implements MigrationInterface {
  name = 'OtpAndNotifications1732250100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE otp_challenges (
        id varchar(32) PRIMARY KEY,
        purpose varchar(32) NOT NULL,
        channel varchar(8) NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
        destination varchar(254) NOT NULL,
        destination_masked varchar(254) NOT NULL,
        account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
        -- What the code proves, for the flow that asked (e.g. the identifier id or the new value).
        subject jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- A decoy answers like a real challenge but no code was sent and none can succeed
        -- (contract: enumeration-safe answers).
        decoy boolean NOT NULL DEFAULT false,
        code_hash varchar(64) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CONSUMED', 'SUPERSEDED', 'DEAD')),
        attempts_remaining integer NOT NULL CHECK (attempts_remaining >= 0),
        sends integer NOT NULL DEFAULT 1,
        locale varchar(2) NOT NULL DEFAULT 'en',
        recipient_name varchar(100),
        expires_at timestamptz NOT NULL,
        resend_available_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        consumed_at timestamptz
      );
      CREATE INDEX otp_challenges_open_idx ON otp_challenges (account_id, purpose, destination) WHERE status = 'OPEN';
      CREATE INDEX otp_challenges_expires_idx ON otp_challenges (expires_at);

      CREATE TABLE notification_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(64) NOT NULL,
        channel varchar(8) NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
        locale varchar(2) NOT NULL CHECK (locale IN ('en', 'vi')),
        subject varchar(300),
        body text NOT NULL,
        text_body text,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (key, channel, locale)
      );

      CREATE TABLE mail_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        sender_name varchar(200),
        sender_address varchar(254) NOT NULL,
        reply_to varchar(254),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
        challenge_id varchar(32),
        channel varchar(8) NOT NULL CHECK (channel IN ('EMAIL', 'SMS')),
        destination varchar(254) NOT NULL,
        template_key varchar(64) NOT NULL,
        locale varchar(2) NOT NULL,
        subject varchar(300),
        body_html text,
        body_text text,
        status varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'DROPPED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        lease_until timestamptz,
        -- A code message is never sent after its code expired (contract: Delivery).
        expires_at timestamptz,
        last_error varchar(500),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_due_idx ON outbox_messages (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');
      CREATE INDEX outbox_account_idx ON outbox_messages (account_id);
    `);
    for (const t of DEFAULT_TEMPLATES) {
      await q.query(
        `INSERT INTO notification_templates (key, channel, locale, subject, body, text_body) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key, channel, locale) DO NOTHING`,
        [t.key, t.channel, t.locale, t.subject, t.body, t.textBody],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox_messages;
      DROP TABLE mail_settings;
      DROP TABLE notification_templates;
      DROP TABLE otp_challenges;
    `);
  }
}
