/**
 * Which library owns each table and each read model (view) of the schema: the one place that
 * says it (docs/architecture.md shows it; table-owners.spec.ts enforces it). Only the owner's
 * SQL names a table or view; other libraries call the owner's exported service or functions, or
 * read through a view of their own (migration ReadModels). A new table or view gets its line here.
 */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  accounts: 'accounts',
  organizations: 'accounts',
  profiles: 'accounts',
  account_settings: 'accounts',
  identifiers: 'identifiers',
  otp_challenges: 'otp',
  notification_templates: 'notifications',
  mail_settings: 'notifications',
  outbox_messages: 'notifications',
  password_reset_tokens: 'auth',
  sessions: 'credentials',
  refresh_tokens: 'credentials',
  second_factors: 'second-factor',
  totp_enrollments: 'second-factor',
  recovery_codes: 'second-factor',
  sign_in_tickets: 'second-factor',
  security_events: 'security-events',
  account_deletion_requests: 'account-deletion',
  // Read models (views over other owners' tables), owned by the library that reads them.
  account_credentials: 'credentials',
  credential_claims: 'credentials',
  credential_deletion_schedules: 'credentials',
  account_identifiers: 'accounts',
  notice_address_books: 'notifications',
  notice_value_owners: 'notifications',
};
