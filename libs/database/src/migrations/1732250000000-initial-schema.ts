import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organizations, accounts, profiles, settings and identifiers (contract: Identifiers, Sign-up).
 * Invariants live here as well as in code: one username per value, one owner per verified
 * email / phone (partial unique index), unverified claims may repeat.
 */
export class InitialSchema1732250000000 implements MigrationInterface {
  name = 'InitialSchema1732250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
        status varchar(20) NOT NULL DEFAULT 'ACTIVE'
          CHECK (status IN ('ACTIVE', 'DEACTIVATED', 'BLOCKED', 'PENDING_DELETION', 'DELETED')),
        roles varchar(20)[] NOT NULL DEFAULT '{}'
          CHECK (roles <@ ARRAY['OWNER', 'ADMIN', 'EMPLOYEE', 'CASHIER', 'CUSTOMER']::varchar(20)[]),
        merchant_id uuid,
        password_hash varchar(100),
        password_changed_at timestamptz,
        -- Bumped on every password change / reset: a token carries the version it was issued at,
        -- so "issued before the last change" is exact, not rounded to JWT's whole seconds.
        credential_version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX accounts_created_at_id_idx ON accounts (created_at DESC, id DESC);
      CREATE INDEX accounts_organization_idx ON accounts (organization_id);

      CREATE TABLE profiles (
        account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        display_name varchar(100),
        first_name varchar(100),
        last_name varchar(100),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE account_settings (
        account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        locale varchar(2) NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'vi')),
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        email_notifications boolean NOT NULL DEFAULT true,
        sms_notifications boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE identifiers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        type varchar(10) NOT NULL CHECK (type IN ('USERNAME', 'EMAIL', 'PHONE')),
        value varchar(254) NOT NULL,
        verified_at timestamptz,
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (type <> 'USERNAME' OR verified_at IS NOT NULL)
      );
      CREATE UNIQUE INDEX identifiers_username_uq ON identifiers (value) WHERE type = 'USERNAME';
      CREATE UNIQUE INDEX identifiers_verified_uq ON identifiers (type, value) WHERE verified_at IS NOT NULL;
      CREATE UNIQUE INDEX identifiers_account_value_uq ON identifiers (account_id, type, value);
      CREATE UNIQUE INDEX identifiers_primary_uq ON identifiers (account_id, type) WHERE is_primary;
      CREATE INDEX identifiers_account_idx ON identifiers (account_id);
      -- Prefix search for admins (LIKE 'abc%') and sign-in lookups on the normalized value.
      CREATE INDEX identifiers_value_prefix_idx ON identifiers (value text_pattern_ops);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE identifiers;
      DROP TABLE account_settings;
      DROP TABLE profiles;
      DROP TABLE accounts;
      DROP TABLE organizations;
    `);
  }
}
