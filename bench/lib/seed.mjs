// Seeds with SQL (generate_series), matching libs/database/src/migrations: organization, account,
// profile, settings, a verified primary username, optionally a verified primary email and some
// unverified emails per account. Password hashes use the app's scheme: bcrypt (cost 10) over
// base64(HMAC-SHA-256(key 'gatehouse/password/v1', NFC(password))) — see
// libs/credentials/src/passwords/password-prehash.ts. One hash is shared by every seeded account
// (a salt per row would cost 100 ms each and change nothing a benchmark measures).
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { BCRYPT_COST, PASSWORD, log } from './common.mjs';

const require = createRequire(import.meta.url);
const bcrypt = require('bcrypt');

export function prehashPassword(password) {
  return createHmac('sha256', 'gatehouse/password/v1').update(password.normalize('NFC'), 'utf8').digest('base64');
}

let cachedHash;
export function passwordHash() {
  cachedHash ??= bcrypt.hashSync(prehashPassword(PASSWORD), BCRYPT_COST);
  return cachedHash;
}

/** Username of seeded account n (1-based): prefix + n zero-padded to 7 digits, e.g. u0000042. */
export const username = (prefix, n) => `${prefix}${String(n).padStart(7, '0')}`;

/**
 * count accounts named prefix0000001…; verifiedEmail: also `<username>@bench.test`, verified and
 * primary; unverifiedEmails: k more per account, `<username>.<k>@bench.test`, unverified.
 */
export async function seedAccounts(client, { prefix, count, verifiedEmail = false, unverifiedEmails = 0, roles = ['OWNER'] }) {
  const t0 = Date.now();
  const hash = passwordHash();
  await client.query('BEGIN');
  await client.query(`CREATE TEMP TABLE seed ON COMMIT DROP AS
    SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS org,
           $1::text || lpad(n::text, 7, '0') AS uname,
           -- creation times spread over a year, uncorrelated with the names (as in real data:
           -- a name prefix does not pick a slice of the created_at order)
           clock_timestamp() - (random() * interval '365 days') AS created
      FROM generate_series(1, $2::int) AS n`, [prefix, count]);
  await client.query(`INSERT INTO organizations (id, name, created_at, updated_at) SELECT org, 'Org ' || uname, created, created FROM seed`);
  await client.query(
    `INSERT INTO accounts (id, organization_id, status, roles, password_hash, created_at, updated_at)
     SELECT id, org, 'ACTIVE', $1::varchar(20)[], $2, created, created FROM seed`,
    [roles, hash],
  );
  await client.query(`INSERT INTO profiles (account_id, display_name) SELECT id, 'Bench ' || n FROM seed`);
  await client.query(`INSERT INTO account_settings (account_id) SELECT id FROM seed`);
  await client.query(`INSERT INTO identifiers (account_id, type, value, verified_at, is_primary, created_at)
    SELECT id, 'USERNAME', uname, created, true, created FROM seed`);
  if (verifiedEmail) {
    await client.query(`INSERT INTO identifiers (account_id, type, value, verified_at, is_primary, created_at)
      SELECT id, 'EMAIL', uname || '@bench.test', created, true, created FROM seed`);
  }
  if (unverifiedEmails > 0) {
    await client.query(
      `INSERT INTO identifiers (account_id, type, value, verified_at, is_primary, created_at)
       SELECT id, 'EMAIL', uname || '.' || k || '@bench.test', NULL, false, created FROM seed, generate_series(1, $1::int) AS k`,
      [unverifiedEmails],
    );
  }
  await client.query('COMMIT');
  await client.query('ANALYZE');
  log(`seeded ${count} accounts (${prefix}…) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Signs in each username once (before measuring) and returns the tokens. */
export async function signInAll(url, usernames, gql) {
  const tokens = [];
  for (let i = 0; i < usernames.length; i += 8) {
    const batch = usernames.slice(i, i + 8);
    const got = await Promise.all(
      batch.map((u) =>
        gql(url, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { identifier: u, password: PASSWORD } }).then(
          (d) => d.signIn.accessToken,
        ),
      ),
    );
    tokens.push(...got);
  }
  return tokens;
}

/**
 * count accounts (prefix…, each with a verified primary email) left exactly as
 * `confirmAccountDeletion` leaves them (libs/account-deletion/src/account-deletion.service.ts),
 * with the grace period (7 days, the default) already over: account PENDING_DELETION with its
 * credential version bumped; the request CONFIRMED with its reason, its (consumed)
 * ACCOUNT_DELETION challenge, confirmed_at and scheduled_for = confirmed_at + 7 days < now; the
 * code mail and the `notice.deletion_scheduled` mail in the outbox, long sent. Due in seeding
 * order, one millisecond apart (the job takes the oldest first).
 */
export async function seedDueDeletions(client, { prefix, count }) {
  await seedAccounts(client, { prefix, count, verifiedEmail: true });
  const t0 = Date.now();
  await client.query('BEGIN');
  await client.query(`CREATE TEMP TABLE due ON COMMIT DROP AS
    SELECT a.id AS account_id, e.value AS email, gen_random_uuid() AS request_id,
           -- a challenge id has the shape of newChallengeId(): 24 URL-safe characters
           substr(md5(a.id::text), 1, 24) AS challenge_id,
           clock_timestamp() - interval '8 days' + make_interval(secs => (row_number() OVER (ORDER BY u.value)) / 1000.0) AS confirmed
      FROM accounts a
      JOIN identifiers u ON u.account_id = a.id AND u.type = 'USERNAME' AND u.value LIKE $1 || '%'
      JOIN identifiers e ON e.account_id = a.id AND e.type = 'EMAIL'`, [prefix]);
  await client.query(`UPDATE accounts a SET status = 'PENDING_DELETION', credential_version = credential_version + 1, updated_at = d.confirmed
                        FROM due d WHERE a.id = d.account_id`);
  await client.query(`INSERT INTO account_deletion_requests (id, account_id, status, reason, challenge_id, requested_at, confirmed_at, scheduled_for)
    SELECT request_id, account_id, 'CONFIRMED', 'Bench reason: not using it any more', challenge_id,
           confirmed - interval '2 minutes', confirmed, confirmed + interval '7 days' FROM due`);
  await client.query(`INSERT INTO otp_challenges (id, purpose, channel, destination, destination_masked, account_id, subject, code_hash, status,
                                                  attempts_remaining, locale, recipient_name, expires_at, resend_available_at, created_at, consumed_at)
    SELECT challenge_id, 'ACCOUNT_DELETION', 'EMAIL', email, left(email, 1) || '***@bench.test', account_id,
           jsonb_build_object('requestId', request_id), md5(challenge_id) || md5(email), 'CONSUMED',
           5, 'en', 'Bench', confirmed + interval '8 minutes', confirmed - interval '1 minute', confirmed - interval '2 minutes', confirmed FROM due`);
  await client.query(`INSERT INTO outbox_messages (account_id, challenge_id, channel, destination, template_key, locale, subject, body_html, body_text,
                                                   status, attempts, expires_at, created_at, sent_at)
    SELECT account_id, challenge_id, 'EMAIL', email, 'otp.account_deletion', 'en', 'Your code', '<p>Your code is 123456</p>', 'Your code is 123456',
           'SENT', 1, confirmed + interval '8 minutes', confirmed - interval '2 minutes', confirmed - interval '2 minutes' FROM due
    UNION ALL
    SELECT account_id, NULL, 'EMAIL', email, 'notice.deletion_scheduled', 'en', 'Deletion scheduled', '<p>Your account will be deleted</p>',
           'Your account will be deleted', 'SENT', 1, NULL, confirmed, confirmed FROM due`);
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM due`);
  await client.query('COMMIT');
  await client.query('VACUUM ANALYZE');
  if (rows[0].n !== count) throw new Error(`seedDueDeletions: ${rows[0].n} due accounts, expected ${count}`);
  log(`scheduled ${count} accounts (${prefix}…) for erasure, due now, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
