import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks through the outbox, and what the maintenance job needs (contract: Webhooks, Retention).
 *
 * - `outbox_messages.channel` gains WEBHOOK (the body is the JSON to POST, `template_key` the
 *   event type, `destination` a placeholder: the URL comes from WEBHOOK_URL at send time).
 * - `seq` orders an account's webhooks: one is not claimed while an earlier one of the same
 *   account is PENDING or SENDING (retrying), so they arrive in order. `created_at` cannot, as
 *   two rows of one transaction may share a clock tick.
 * - A code's hash is cleared when the challenge leaves OPEN (consumed, superseded, dead): a
 *   trigger, so no path that ends a challenge can forget it; expired OPEN ones are cleared by the
 *   job.
 * - Indexes for the job's batches: delivered / given-up outbox rows by age, reset tokens by
 *   expiry, sessions by idle expiry (the absolute one and `ended_at` are indexed already).
 */
export class WebhooksAndRetention1732250900000 implements MigrationInterface {
  name = 'WebhooksAndRetention1732250900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
      ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('EMAIL', 'SMS', 'WEBHOOK'));
      ALTER TABLE outbox_messages ADD COLUMN seq bigserial;
      CREATE INDEX outbox_webhook_order_idx ON outbox_messages (account_id, seq) WHERE channel = 'WEBHOOK' AND status IN ('PENDING', 'SENDING');
      CREATE INDEX outbox_done_idx ON outbox_messages (created_at) WHERE status IN ('SENT', 'FAILED', 'DROPPED');
      CREATE INDEX password_reset_tokens_expires_idx ON password_reset_tokens (expires_at);
      CREATE INDEX sessions_idle_idx ON sessions (idle_expires_at) WHERE ended_at IS NULL;
      ALTER TABLE otp_challenges ALTER COLUMN code_hash DROP NOT NULL;
      UPDATE otp_challenges SET code_hash = NULL WHERE status <> 'OPEN';
      CREATE FUNCTION otp_challenges_forget_code() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          NEW.code_hash := NULL;
          RETURN NEW;
        END
      $$;
      CREATE TRIGGER otp_challenges_forget_code BEFORE UPDATE OF status ON otp_challenges
        FOR EACH ROW WHEN (NEW.status <> 'OPEN') EXECUTE FUNCTION otp_challenges_forget_code();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER otp_challenges_forget_code ON otp_challenges;
      DROP FUNCTION otp_challenges_forget_code();
      UPDATE otp_challenges SET code_hash = '' WHERE code_hash IS NULL;
      ALTER TABLE otp_challenges ALTER COLUMN code_hash SET NOT NULL;
      DROP INDEX sessions_idle_idx;
      DROP INDEX password_reset_tokens_expires_idx;
      DROP INDEX outbox_done_idx;
      DROP INDEX outbox_webhook_order_idx;
      ALTER TABLE outbox_messages DROP COLUMN seq;
      DELETE FROM outbox_messages WHERE channel = 'WEBHOOK';
      ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
      ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('EMAIL', 'SMS'));
    `);
  }
}
