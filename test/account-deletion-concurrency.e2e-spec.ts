import {
  CHALLENGE_FIELDS,
  expectOk,
  gql,
  hasExternalDatabase,
  OtpChallenge,
  signIn,
  signUp,
  sleep,
  startStack,
  strongPassword,
  TestStack,
  uniqueEmail,
  uniqueUsername,
} from '@app/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runDeletionJobProcess } from './support/account-deletion';

// Contract README: Account deletion — "Several instances may run the job at once: each account
// is erased exactly once"; "A cancellation racing the job is all-or-nothing". Real concurrency
// needs a real server: PGlite is one session in one process.
const describeOnPostgres = hasExternalDatabase() ? describe : describe.skip;

jest.setTimeout(120_000);

const ADMIN_USERNAME = 'deletion_race_admin';
const ADMIN_PASSWORD = strongPassword();
const PROCESS = `mutation P { processDueAccountDeletions }`;
const REQUEST_CANCEL = `mutation RC($input: CancelAccountDeletionInput!) { requestAccountDeletionCancellation(input: $input) { ${CHALLENGE_FIELDS} } }`;
const CONFIRM_CANCEL = `mutation CC($input: SubmitOtpInput!) { confirmAccountDeletionCancellation(input: $input) { id status } }`;

interface Seeded {
  id: string;
  username: string;
  email: string;
}

describeOnPostgres('account deletion under concurrency (PostgreSQL)', () => {
  let stack: TestStack;
  let db: Client;
  let adminToken: string;
  let password: string;
  let passwordHash: string;

  beforeAll(async () => {
    stack = await startStack({ name: 'deletion-race', env: { DELETION_GRACE_DAYS: '0', ADMIN_USERNAME, ADMIN_PASSWORD } });
    db = new Client({ connectionString: stack.app.databaseUrl });
    await db.connect();
    adminToken = (await signIn(stack.app, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
    // One real hash, made by the service, shared by every seeded account (so they can sign in).
    password = strongPassword();
    const donor = await signUp(stack.app, { password });
    passwordHash = (await db.query(`SELECT password_hash FROM accounts WHERE id = $1`, [donor.account.id])).rows[0].password_hash;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
  });

  function lettersName(): string {
    return `Race ${[...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
  }

  /** N accounts scheduled for erasure (due now), with everything an erasure must remove, seeded in SQL. */
  async function seedDue(n: number): Promise<Seeded[]> {
    const people = Array.from({ length: n }, () => ({ id: randomUUID(), org: randomUUID(), username: uniqueUsername('race'), email: uniqueEmail('race') }));
    const ids = people.map((p) => p.id);
    const orgs = people.map((p) => p.org);
    await db.query('BEGIN');
    try {
      await db.query(`INSERT INTO organizations (id, name) SELECT unnest($1::uuid[]), 'Org of ' || unnest($2::text[])`, [orgs, people.map((p) => p.username)]);
      await db.query(
        `INSERT INTO accounts (id, organization_id, status, roles, password_hash, password_changed_at, credential_version)
         SELECT unnest($1::uuid[]), unnest($2::uuid[]), 'PENDING_DELETION', '{OWNER}', $3, clock_timestamp(), 0`,
        [ids, orgs, passwordHash],
      );
      // Names without digits: codes are read as the first run of digits of the message that greets the person.
      await db.query(`INSERT INTO profiles (account_id, display_name) SELECT unnest($1::uuid[]), unnest($2::text[])`, [ids, people.map(() => lettersName())]);
      await db.query(`INSERT INTO account_settings (account_id) SELECT unnest($1::uuid[])`, [ids]);
      await db.query(
        `INSERT INTO identifiers (account_id, type, value, verified_at, is_primary)
         SELECT unnest($1::uuid[]), 'USERNAME', unnest($2::text[]), clock_timestamp(), true
         UNION ALL
         SELECT unnest($1::uuid[]), 'EMAIL', unnest($3::text[]), clock_timestamp(), true`,
        [ids, people.map((p) => p.username), people.map((p) => p.email)],
      );
      await db.query(
        // Due in seeding order (the job takes the oldest first): person i is due i ms after person 0.
        `INSERT INTO account_deletion_requests (account_id, status, reason, requested_at, confirmed_at, scheduled_for)
         SELECT id, 'CONFIRMED', 'reason of ' || username, clock_timestamp() - interval '2 minutes',
                clock_timestamp() - interval '1 minute', clock_timestamp() - interval '1 minute' + make_interval(secs => (n - 1) / 1000.0)
           FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS t(id, username, n)`,
        [ids, people.map((p) => p.username)],
      );
      // A message already sent to the person: a copy of personal data that must go too.
      await db.query(
        `INSERT INTO outbox_messages (account_id, channel, destination, template_key, locale, subject, body_text, status, sent_at)
         SELECT unnest($1::uuid[]), 'EMAIL', unnest($2::text[]), 'notice.deletion_scheduled', 'en', 'scheduled', 'Hello', 'SENT', clock_timestamp()`,
        [ids, people.map((p) => p.email)],
      );
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK');
      throw err;
    }
    return people.map(({ id, username, email }) => ({ id, username, email }));
  }

  /** Per account: 'erased' (fully), 'active' (fully), or what is inconsistent about it. */
  async function states(people: Seeded[]): Promise<Map<string, string>> {
    const ids = people.map((p) => p.id);
    const rows = (
      await db.query(
        `SELECT a.id, a.status, a.credential_version, a.password_hash IS NOT NULL AS has_hash, a.organization_id,
                array_length(a.roles, 1) AS roles,
                (SELECT count(*) FROM identifiers i WHERE i.account_id = a.id)::int AS identifiers,
                (SELECT count(*) FROM profiles p WHERE p.account_id = a.id)::int AS profiles,
                (SELECT count(*) FROM account_settings s WHERE s.account_id = a.id)::int AS settings,
                (SELECT count(*) FROM otp_challenges c WHERE c.account_id = a.id)::int AS challenges,
                (SELECT count(*) FROM outbox_messages m WHERE m.account_id = a.id AND m.template_key NOT LIKE 'notice.deletion_cancelled')::int AS messages,
                (SELECT string_agg(r.status || ':' || coalesce(r.reason, '-'), ',') FROM account_deletion_requests r WHERE r.account_id = a.id) AS requests
           FROM accounts a WHERE a.id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows;
    const out = new Map<string, string>();
    for (const r of rows) {
      const erased =
        r.status === 'DELETED' &&
        r.credential_version === 1 &&
        !r.has_hash &&
        r.organization_id === null &&
        r.roles === null &&
        r.identifiers === 0 &&
        r.profiles === 0 &&
        r.settings === 0 &&
        r.challenges === 0 &&
        r.messages === 0 &&
        r.requests === 'COMPLETED:-';
      const active = r.status === 'ACTIVE' && r.has_hash && r.identifiers === 2 && r.profiles === 1 && r.settings === 1 && /^CANCELLED:/.test(r.requests);
      out.set(r.id, erased ? 'erased' : active ? 'active' : JSON.stringify(r));
    }
    return out;
  }

  it('two job processes and the admin mutation over 500 due accounts at once: each erased exactly once, all COMPLETED, no errors', async () => {
    const people = await seedDue(500);
    const [one, two, viaApi] = await Promise.all([
      runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000 }),
      runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000 }),
      sleep(200).then(
        async () =>
          expectOk(await gql<{ processDueAccountDeletions: number }>(stack.app, PROCESS, undefined, { token: adminToken })).processDueAccountDeletions,
      ),
    ]);
    for (const run of [one, two]) {
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/"failed":\s*0\b/);
      expect(run.output).not.toMatch(/\bERROR\b/);
    }
    const erasedBy = (output: string) => Number(/"erased":\s*(\d+)/.exec(output)?.[1] ?? NaN);
    // Exactly once: the three totals add up to the number of accounts, and each tombstone's
    // credential version moved by exactly one.
    expect(erasedBy(one.output) + erasedBy(two.output) + viaApi).toBe(500);
    const result = await states(people);
    expect([...result.values()].filter((s) => s !== 'erased')).toEqual([]);
    expect(result.size).toBe(500);
    // The values are free again.
    await signUp(stack.app, { username: people[0].username, email: people[0].email });
  });

  it('a job killed mid-batch, then rerun: everything completes, nothing twice', async () => {
    const people = await seedDue(300);
    let kill: ((signal?: NodeJS.Signals) => void) | undefined;
    const first = runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000, onSpawn: (k) => (kill = k) });
    let ended = false;
    void first.then(() => (ended = true));
    for (;;) {
      if (ended) throw new Error(`the job ended before it could be killed:\n${(await first).output}`);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM account_deletion_requests WHERE status = 'COMPLETED' AND account_id = ANY($1::uuid[])`, [
        people.map((p) => p.id),
      ]);
      if (rows[0].n >= 20) break;
      await sleep(10);
    }
    kill?.('SIGKILL');
    const run1 = await first;
    const completedAtKill: number = (
      await db.query(`SELECT count(*)::int AS n FROM account_deletion_requests WHERE status = 'COMPLETED' AND account_id = ANY($1::uuid[])`, [
        people.map((p) => p.id),
      ])
    ).rows[0].n;
    expect(run1.signal).toBe('SIGKILL');
    expect(completedAtKill).toBeLessThan(300);

    const run2 = await runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000 });
    expect(run2.code).toBe(0);
    expect(Number(/"erased":\s*(\d+)/.exec(run2.output)?.[1])).toBe(300 - completedAtKill);
    const result = await states(people);
    expect([...result.values()].filter((s) => s !== 'erased')).toEqual([]);
  });

  it('cancellation and the job raced for 50 accounts: each ends fully active or fully erased, matching what the person was told', async () => {
    const people = await seedDue(50);
    // Each person asks for a cancellation code first (to the seeded, verified email).
    const challenges = new Map<string, OtpChallenge>();
    const codes = new Map<string, string>();
    await Promise.all(
      people.map(async (p) => {
        const res = expectOk(await gql<{ requestAccountDeletionCancellation: OtpChallenge }>(stack.app, REQUEST_CANCEL, { input: { identifier: p.email } }));
        challenges.set(p.id, res.requestAccountDeletionCancellation);
      }),
    );
    for (const p of people) codes.set(p.id, await stack.smtp.waitForCode(p.email, 20_000));

    // Then everything at once: 50 confirmations, two job processes and the admin mutation. The
    // job erases from the first person on, the confirmations come from the last one back, so
    // they meet somewhere in the middle and both outcomes happen on the same run.
    const confirmations = Promise.all(
      people.map(async (p, i) => {
        await sleep((people.length - 1 - i) * 4);
        return gql(stack.app, CONFIRM_CANCEL, { input: { challengeId: challenges.get(p.id)?.challengeId, code: codes.get(p.id) } });
      }),
    );
    const [answers, j1, j2] = await Promise.all([
      confirmations,
      runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000 }),
      runDeletionJobProcess(stack.app.env, { timeoutMs: 110_000 }),
      gql(stack.app, PROCESS, undefined, { token: adminToken }),
    ]);
    expect(j1.code).toBe(0);
    expect(j2.code).toBe(0);
    // Accounts a confirmation was holding were deferred; a last run settles any still due.
    expect((await runDeletionJobProcess(stack.app.env)).code).toBe(0);

    const result = await states(people);
    let active = 0;
    for (const [i, p] of people.entries()) {
      const answer = answers[i];
      const state = result.get(p.id);
      if (answer.errors?.length) {
        // Refused because the account is gone, not because of the code (no attempt was counted).
        expect(answer.errors[0].extensions).toEqual({ code: 'OTP_INVALID' });
        expect({ id: p.id, state }).toEqual({ id: p.id, state: 'erased' });
      } else {
        expect(answer.data).toMatchObject({ confirmAccountDeletionCancellation: { status: 'CANCELLED' } });
        expect({ id: p.id, state }).toEqual({ id: p.id, state: 'active' });
        active += 1;
      }
    }
    // A kept account works: it signs in with its password.
    const kept = people.find((p) => result.get(p.id) === 'active');
    if (kept) await signIn(stack.app, kept.username, password);
    console.log(`cancel vs job: ${active} kept, ${50 - active} erased`);
  });
});

if (!hasExternalDatabase()) {
  describe('account deletion under concurrency', () => {
    it.skip('needs a PostgreSQL server (DATABASE_URL): PGlite is a single embedded session, so there is no concurrency to test', () => undefined);
  });
}
