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
