import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models: views that let a library read, in one statement, rows another library owns
 * (issue 16, docs/architecture.md "Read models"). Each view is owned by the one library that
 * reads it, and that library's SQL names only the view; the database refuses to drop or retype
 * a column a view depends on, so the dependency between owners is written down and enforced.
 * Simple projections inline into the caller's query: the plans (and the round trips) are those
 * of the joins they replace.
 *
 * - `account_credentials` (credentials): the credential side of `accounts` with the account's
 *   locale (`account_settings`). One table in FROM, so PostgreSQL keeps it auto-updatable:
 *   credentials sets the password through it.
 * - `credential_claims` (credentials): sign-in's lookup, an identifier claim (`identifiers`)
 *   with its account's credentials.
 * - `credential_deletion_schedules` (credentials): when a confirmed deletion takes effect
 *   (`account_deletion_requests`), for sign-in's ACCOUNT_PENDING_DELETION.
 * - `account_identifiers` (accounts): the identifiers of an account, for `me` / the admin
 *   directory (one round trip with the profile; the prefix search on its covering indexes).
 * - `notice_address_books` (notifications): display name, locale and verified addresses of an
 *   account (`accounts`, `profiles`, `account_settings`, `identifiers`).
 * - `notice_value_owners` (notifications): the same, of whoever has verified an email or phone
 *   (`identifiers` and the view above): a code asked for a value verified elsewhere notices its owner.
 */
export class ReadModels1732251000000 implements MigrationInterface {
  name = 'ReadModels1732251000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW account_credentials AS
        SELECT a.id, a.status, a.roles, a.organization_id, a.merchant_id, a.password_hash, a.credential_version,
               a.password_changed_at, a.created_at, a.updated_at,
               (SELECT s.locale FROM account_settings s WHERE s.account_id = a.id) AS locale
          FROM accounts a;

      CREATE VIEW credential_claims AS
        SELECT i.type AS identifier_type, i.value AS identifier_value, i.verified_at AS identifier_verified_at,
               i.created_at AS claimed_at,
               c.id, c.status, c.roles, c.organization_id, c.merchant_id, c.password_hash, c.credential_version,
               c.password_changed_at, c.created_at, c.updated_at, c.locale
          FROM identifiers i
          JOIN account_credentials c ON c.id = i.account_id;

      CREATE VIEW credential_deletion_schedules AS
        SELECT account_id, scheduled_for FROM account_deletion_requests WHERE status = 'CONFIRMED';

      CREATE VIEW account_identifiers AS
        SELECT id, account_id, type, value, verified_at, is_primary, created_at, account_created_at FROM identifiers;

      CREATE VIEW notice_address_books AS
        SELECT a.id AS account_id, p.display_name, s.locale,
               (SELECT u.value FROM identifiers u WHERE u.account_id = a.id AND u.type = 'USERNAME' LIMIT 1) AS username,
               (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.is_primary DESC, i.created_at)
                  FROM identifiers i
                 WHERE i.account_id = a.id AND i.verified_at IS NOT NULL AND i.type IN ('EMAIL', 'PHONE')) AS addresses
          FROM accounts a
          LEFT JOIN profiles p ON p.account_id = a.id
          LEFT JOIN account_settings s ON s.account_id = a.id;

      CREATE VIEW notice_value_owners AS
        SELECT i.type AS value_type, i.value, b.account_id, b.display_name, b.locale, b.username, b.addresses
          FROM identifiers i
          JOIN notice_address_books b ON b.account_id = i.account_id
         WHERE i.verified_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW notice_value_owners;
      DROP VIEW notice_address_books;
      DROP VIEW account_identifiers;
      DROP VIEW credential_deletion_schedules;
      DROP VIEW credential_claims;
      DROP VIEW account_credentials;
    `);
  }
}
