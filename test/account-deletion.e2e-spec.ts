import {
  CHALLENGE_FIELDS,
  createTestDatabase,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  hasExternalDatabase,
  OtpChallenge,
  recordedErrorCount,
  signIn,
  signUp,
  SignUpPayload,
  sleep,
  startApp,
  startStack,
  strongPassword,
  TestApp,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DeletionRequest, runDeletionJobProcess } from './support/account-deletion';

// Contract README: Flows → Account deletion; Security notices; One-time codes; Errors.
// DELETION_GRACE_DAYS=0: a confirmed deletion is due at once, and the job (admin mutation or
// the standalone `job:deletions` process) erases it.

const ADMIN_USERNAME = 'deletion_admin';
const ADMIN_PASSWORD = strongPassword();

let stack: TestStack;
let app: TestApp;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack({
    name: 'account-deletion',
    env: { DELETION_GRACE_DAYS: '0', ADMIN_USERNAME, ADMIN_PASSWORD },
  });
  app = stack.app;
  adminToken = (await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
}, 90_000);

const REQUEST = `mutation R($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { ${CHALLENGE_FIELDS} } }`;
const REQUEST_FIELDS = `id accountId status reason requestedAt confirmedAt scheduledFor cancelledAt completedAt`;
const CONFIRM = `mutation C($input: SubmitOtpInput!) { confirmAccountDeletion(input: $input) { ${REQUEST_FIELDS} } }`;
const REQUEST_CANCEL = `mutation RC($input: CancelAccountDeletionInput!) { requestAccountDeletionCancellation(input: $input) { ${CHALLENGE_FIELDS} } }`;
const CONFIRM_CANCEL = `mutation CC($input: SubmitOtpInput!) { confirmAccountDeletionCancellation(input: $input) { ${REQUEST_FIELDS} } }`;
const PROCESS = `mutation P { processDueAccountDeletions }`;
const ME_DELETION = `query Me { me { id status deletionRequest { ${REQUEST_FIELDS} } } }`;
const VERIFY = `mutation V($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { id verified } }`;
const SIGN_IN = `mutation S($input: SignInInput!) { signIn(input: $input) { accessToken } }`;

interface Person {
  id: string;
  username: string;
  email?: string;
  phone?: string;
  password: string;
  token: string;
}

/** Signs up and verifies the email / phone given through the codes sign-up sent. */
async function person(opts: { email?: boolean; phone?: boolean; verify?: boolean; displayName?: string } = { email: true }, target = stack): Promise<Person> {
  const username = uniqueUsername('del');
  // Codes are read as the first run of digits in a message that greets the person by name: a
  // name without digits (a username may have some) keeps the code the only candidate.
  const displayName = opts.displayName ?? lettersName();
  const email = opts.email ? uniqueEmail('del') : undefined;
  const phone = opts.phone ? uniquePhone() : undefined;
  const payload: SignUpPayload & { password: string } = await signUp(target.app, { username, email, phone, displayName });
  if (opts.verify !== false) {
    for (const v of payload.verifications) {
      const code = v.channel === 'EMAIL' ? await target.smtp.waitForCode(email as string) : await target.sms.waitForCode(phone as string);
      expectOk(await gql(target.app, VERIFY, { input: { challengeId: v.challengeId, code } }));
    }
  }
  return { id: payload.account.id, username, email, phone, password: payload.password, token: payload.accessToken };
}

function lettersName(): string {
  return `Del ${[...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

function requestDeletion(p: Person, extra: Record<string, unknown> = {}, target: TestApp = app) {
  return gql<{ requestAccountDeletion: OtpChallenge }>(target, REQUEST, { input: { currentPassword: p.password, ...extra } }, { token: p.token });
}

/** request → code from the sink → confirm; returns the CONFIRMED request. */
async function scheduleDeletion(p: Person, target = stack, reason = 'Moving to another service'): Promise<DeletionRequest> {
  const challenge = expectOk(await requestDeletion(p, { reason }, target.app)).requestAccountDeletion;
  const code = await target.smtp.waitForCode(p.email as string);
  const confirmed = expectOk(
    await gql<{ confirmAccountDeletion: DeletionRequest }>(target.app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: p.token }),
  ).confirmAccountDeletion;
  // The notice is on its way before anything erases the account (the job drops unsent mail to it).
  await target.smtp.waitFor((m) => m.to.includes(p.email as string) && /scheduled for deletion/i.test(m.subject));
  return confirmed;
}

async function processDue(): Promise<number> {
  return expectOk(await gql<{ processDueAccountDeletions: number }>(app, PROCESS, undefined, { token: adminToken })).processDueAccountDeletions;
}

function trySignIn(identifier: string, password: string, target: TestApp = app) {
  return gql(target, SIGN_IN, { input: { identifier, password } });
}

function requestCancel(identifier: string, target: TestApp = app) {
  return gql<{ requestAccountDeletionCancellation: OtpChallenge }>(target, REQUEST_CANCEL, { input: { identifier } });
}

/** The shape of an answer, without the values that differ between any two challenges. */
function shapeOf(c: OtpChallenge) {
  return {
    keys: Object.keys(c).sort(),
    purpose: c.purpose,
    channel: c.channel,
    mask: c.destination.replace(/^[^*]*\*+/, '•'),
    attemptsRemaining: c.attemptsRemaining,
    ttlSeconds: Math.round((Date.parse(c.expiresAt) - Date.now()) / 10_000) * 10,
    idLength: c.challengeId.length,
  };
}

describe('full journey: request → confirm → pending → erased', () => {
  let p: Person;
  let scheduled: DeletionRequest;
  let cancelChallenge: OtpChallenge;
  let cancelCode: string;

  beforeAll(async () => {
    p = await person({ email: true, displayName: 'Ngọc Deletion' });
  });

  it('requestAccountDeletion sends an ACCOUNT_DELETION code to the verified email; me.deletionRequest is PENDING', async () => {
    const challenge = expectOk(await requestDeletion(p, { reason: 'Moving to another service' })).requestAccountDeletion;
    expect(challenge).toMatchObject({ purpose: 'ACCOUNT_DELETION', channel: 'EMAIL' });
    expect(challenge.destination).toMatch(/^.\*\*\*@example\.com$/);
    const { code, mail } = await stack.smtp.waitForCodeMail(p.email as string);
    expect(mail.subject).toMatch(/delet/i);
    const me = expectOk(await gql(app, ME_DELETION, undefined, { token: p.token })).me;
    expect(me.deletionRequest).toMatchObject({ status: 'PENDING', reason: 'Moving to another service', accountId: p.id, scheduledFor: null });

    scheduled = expectOk(await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: p.token })).confirmAccountDeletion;
    expect(scheduled).toMatchObject({ status: 'CONFIRMED', accountId: p.id, id: me.deletionRequest.id });
    expect(Math.abs(Date.parse(scheduled.scheduledFor as string) - Date.now())).toBeLessThan(60_000);
    expect(scheduled.confirmedAt).not.toBeNull();
  });

  it('confirmation sends notice.deletion_scheduled with the date, and refuses the old token at once', async () => {
    const notice = await stack.smtp.waitFor((m) => m.to.includes(p.email as string) && /scheduled for deletion/i.test(m.subject));
    expect(notice.text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d/);
    expectErrorCode(await gql(app, ME_DELETION, undefined, { token: p.token }), 'UNAUTHENTICATED');
  });

  it('sign-in answers ACCOUNT_PENDING_DELETION with extensions.scheduledFor (by username and by email)', async () => {
    for (const identifier of [p.username, p.email as string]) {
      const error = expectErrorCode(await trySignIn(identifier, p.password), 'ACCOUNT_PENDING_DELETION');
      expect(error.extensions?.scheduledFor).toBe(new Date(scheduled.scheduledFor as string).toISOString());
    }
    // The wrong password says nothing about the deletion.
    expectErrorCode(await trySignIn(p.username, `${p.password}x`), 'INVALID_CREDENTIALS');
  });

  it('a cancellation code obtained before the erasure is refused after it (OTP_INVALID), like an unknown value', async () => {
    cancelChallenge = expectOk(await requestCancel(p.email as string)).requestAccountDeletionCancellation;
    cancelCode = await stack.smtp.waitForCode(p.email as string);
    expect(await processDue()).toBeGreaterThanOrEqual(1);
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: cancelChallenge.challengeId, code: cancelCode } }), 'OTP_INVALID');
  });

  it('after the erasure: the old password is refused, and the username and email can be registered again', async () => {
    expectErrorCode(await trySignIn(p.username, p.password), 'INVALID_CREDENTIALS');
    expectErrorCode(await trySignIn(p.email as string, p.password), 'INVALID_CREDENTIALS');
    const again = await signUp(app, { username: p.username, email: p.email });
    expect(again.account.id).not.toBe(p.id);
    expect(again.account.identifiers.map((i) => i.value).sort()).toEqual([p.email, p.username].sort());
  });

  it('a second run of the job finds nothing more to do for it', async () => {
    expect(await processDue()).toBe(0);
  });
});

describe('cancellation', () => {
  it('request by email (written differently) → code → confirm: CANCELLED, active again, notice sent, old tokens stay refused', async () => {
    const p = await person({ email: true });
    const scheduled = await scheduleDeletion(p);
    const challenge = expectOk(await requestCancel(`  ${(p.email as string).toUpperCase()} `)).requestAccountDeletionCancellation;
    expect(challenge).toMatchObject({ purpose: 'CANCEL_ACCOUNT_DELETION', channel: 'EMAIL' });
    expect(challenge.destination).toMatch(/^.\*\*\*@example\.com$/);
    const code = await stack.smtp.waitForCode(p.email as string);
    const cancelled = expectOk(await gql(app, CONFIRM_CANCEL, { input: { challengeId: challenge.challengeId, code } })).confirmAccountDeletionCancellation;
    expect(cancelled).toMatchObject({ id: scheduled.id, status: 'CANCELLED', accountId: p.id });
    expect(cancelled.cancelledAt).not.toBeNull();
    await stack.smtp.waitFor((m) => m.to.includes(p.email as string) && /cancel/i.test(m.subject) && !/code/i.test(m.subject));

    const fresh = await signIn(app, p.username, p.password);
    const me = expectOk(await gql(app, ME_DELETION, undefined, { token: fresh.accessToken })).me;
    expect(me).toMatchObject({ status: 'ACTIVE', deletionRequest: null });
    // The token from before the deletion was confirmed does not come back to life.
    expectErrorCode(await gql(app, ME_DELETION, undefined, { token: p.token }), 'UNAUTHENTICATED');
    // The job leaves a cancelled account alone; the code cannot be used twice.
    await processDue();
    expect(expectOk(await gql(app, ME_DELETION, undefined, { token: fresh.accessToken })).me.status).toBe('ACTIVE');
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: challenge.challengeId, code } }), 'OTP_INVALID');
  });

  it('with another account’s session: OTP_INVALID (no attempt spent); with the person’s own stale token: cancelled', async () => {
    const p = await person({ email: true });
    const other = await person({ email: true });
    await scheduleDeletion(p);
    const challenge = expectOk(await requestCancel(p.email as string)).requestAccountDeletionCancellation;
    const code = await stack.smtp.waitForCode(p.email as string);
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: challenge.challengeId, code } }, { token: other.token }), 'OTP_INVALID');
    const cancelled = expectOk(
      await gql(app, CONFIRM_CANCEL, { input: { challengeId: challenge.challengeId, code } }, { token: p.token }),
    ).confirmAccountDeletionCancellation;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', accountId: p.id });
  });

  it('by phone: the code goes by SMS', async () => {
    const p = await person({ phone: true });
    const challenge = expectOk(await requestDeletion(p)).requestAccountDeletion;
    expect(challenge).toMatchObject({ channel: 'SMS', destination: expect.stringMatching(/^\+\d+\*{4}\d{3}$/) });
    const code = await stack.sms.waitForCode(p.phone as string);
    expectOk(await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: p.token }));
    const cancel = expectOk(await requestCancel(p.phone as string)).requestAccountDeletionCancellation;
    expect(cancel).toMatchObject({ channel: 'SMS', purpose: 'CANCEL_ACCOUNT_DELETION' });
    const cancelCode = await stack.sms.waitForCode(p.phone as string);
    expect(
      expectOk(await gql(app, CONFIRM_CANCEL, { input: { challengeId: cancel.challengeId, code: cancelCode } })).confirmAccountDeletionCancellation.status,
    ).toBe('CANCELLED');
    await signIn(app, p.phone as string, p.password);
  });

  it('an unknown email, an active account’s email and a scheduled account’s email all get the same answer; only the last gets a code', async () => {
    const scheduledPerson = await person({ email: true });
    await scheduleDeletion(scheduledPerson);
    const active = await person({ email: true });
    const unknown = uniqueEmail('del');

    const real = expectOk(await requestCancel(scheduledPerson.email as string)).requestAccountDeletionCancellation;
    const forActive = expectOk(await requestCancel(active.email as string)).requestAccountDeletionCancellation;
    const forUnknown = expectOk(await requestCancel(unknown)).requestAccountDeletionCancellation;
    expect(shapeOf(forActive)).toEqual(shapeOf(real));
    expect(shapeOf(forUnknown)).toEqual(shapeOf(real));

    await stack.smtp.waitForCode(scheduledPerson.email as string);
    // Repeating inside the cool-down is refused alike.
    const repeats = await Promise.all([scheduledPerson.email as string, active.email as string, unknown].map((e) => requestCancel(e)));
    for (const r of repeats) expectErrorCode(r, 'OTP_RESEND_COOLDOWN');

    // A decoy can never be confirmed, whatever the code.
    for (const code of ['000000', '123456']) {
      expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: forUnknown.challengeId, code } }), 'OTP_INVALID');
    }
    await sleep(500);
    expect(stack.smtp.messagesTo(unknown)).toHaveLength(0);
    expect(stack.smtp.messagesTo(active.email as string).filter((m) => /cancel/i.test(m.subject))).toHaveLength(0);
    expect(await processDue()).toBeGreaterThanOrEqual(1);
  });

  it('an unknown phone gets a masked phone of the same style; a username is not accepted', async () => {
    const forUnknown = expectOk(await requestCancel(uniquePhone())).requestAccountDeletionCancellation;
    expect(forUnknown).toMatchObject({ channel: 'SMS', purpose: 'CANCEL_ACCOUNT_DELETION', destination: expect.stringMatching(/^\+\d+\*{4}\d{3}$/) });
    expectErrorCode(await requestCancel(uniqueUsername('del')), 'BAD_USER_INPUT', 'identifier');
  });

  it('after the erasure, a cancellation request answers exactly like an unknown value and sends nothing', async () => {
    const p = await person({ email: true });
    await scheduleDeletion(p);
    expect(await processDue()).toBeGreaterThanOrEqual(1);
    const before = stack.smtp.messagesTo(p.email as string).length;
    const after = expectOk(await requestCancel(p.email as string)).requestAccountDeletionCancellation;
    const unknown = expectOk(await requestCancel(uniqueEmail('del'))).requestAccountDeletionCancellation;
    expect(shapeOf(after)).toEqual(shapeOf(unknown));
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: after.challengeId, code: '000000' } }), 'OTP_INVALID');
    await sleep(500);
    expect(stack.smtp.messagesTo(p.email as string)).toHaveLength(before);
  });
});

describe('refusals', () => {
  let a: Person;
  let b: Person;

  beforeAll(async () => {
    [a, b] = await Promise.all([person({ email: true }), person({ email: true })]);
  });

  it('signed out: requestAccountDeletion and confirmAccountDeletion are UNAUTHENTICATED', async () => {
    expectErrorCode(await gql(app, REQUEST, { input: { currentPassword: a.password } }), 'UNAUTHENTICATED');
    expectErrorCode(await gql(app, CONFIRM, { input: { challengeId: 'x'.repeat(32), code: '123456' } }), 'UNAUTHENTICATED');
  });

  it('a wrong password is INVALID_CREDENTIALS before anything else (an over-long reason, a channel with no verified value) and sends nothing', async () => {
    const mails = stack.smtp.messagesTo(a.email as string).length;
    expectErrorCode(await requestDeletion(a, { currentPassword: `${a.password}x` }), 'INVALID_CREDENTIALS');
    expectErrorCode(await requestDeletion(a, { currentPassword: `${a.password}x`, reason: 'r'.repeat(600) }), 'INVALID_CREDENTIALS');
    expectErrorCode(await requestDeletion(a, { currentPassword: `${a.password}x`, channel: 'SMS' }), 'INVALID_CREDENTIALS');
    expectErrorCode(await requestDeletion(a, { reason: 'r'.repeat(501) }), 'BAD_USER_INPUT', 'reason');
    expectErrorCode(await requestDeletion(a, { currentPassword: 'p'.repeat(1025) }), 'BAD_USER_INPUT', 'currentPassword');
    await sleep(300);
    expect(stack.smtp.messagesTo(a.email as string)).toHaveLength(mails);
  });

  it('no verified email or phone: BAD_USER_INPUT on `channel` telling to verify one first', async () => {
    const unverified = await person({ email: true, verify: false });
    const onlyUsername = await person({});
    for (const p of [unverified, onlyUsername]) {
      const error = expectErrorCode(await requestDeletion(p), 'BAD_USER_INPUT', 'channel');
      expect(error.message).toMatch(/verif/i);
    }
    // A channel the account has no verified value for is refused the same way.
    expectErrorCode(await requestDeletion(a, { channel: 'SMS' }), 'BAD_USER_INPUT', 'channel');
  });

  it("another account's challenge: OTP_INVALID without costing an attempt; the owner can still confirm", async () => {
    const challenge = expectOk(await requestDeletion(a)).requestAccountDeletion;
    const code = await stack.smtp.waitForCode(a.email as string);
    expectErrorCode(await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: b.token }), 'OTP_INVALID');
    // Not a cancellation challenge either.
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: challenge.challengeId, code } }), 'OTP_INVALID');
    const wrong = expectErrorCode(
      await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code: code === '000000' ? '111111' : '000000' } }, { token: a.token }),
      'OTP_INVALID',
    );
    expect(wrong.extensions?.attemptsRemaining).toBe(challenge.attemptsRemaining - 1);
    const confirmed = expectOk(await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: a.token })).confirmAccountDeletion;
    expect(confirmed.status).toBe('CONFIRMED');
    // b is untouched.
    expect(expectOk(await gql(app, ME_DELETION, undefined, { token: b.token })).me).toMatchObject({ status: 'ACTIVE', deletionRequest: null });
  });

  it("another purpose's challenge cannot confirm a deletion", async () => {
    const c = await signUp(app, { email: uniqueEmail('del') });
    const verification = c.verifications[0];
    const code = await stack.smtp.waitForCode(c.account.identifiers.find((i) => i.type === 'EMAIL')?.value as string);
    expectErrorCode(await gql(app, CONFIRM, { input: { challengeId: verification.challengeId, code } }, { token: c.accessToken }), 'OTP_INVALID');
    expectErrorCode(await gql(app, CONFIRM_CANCEL, { input: { challengeId: verification.challengeId, code } }), 'OTP_INVALID');
  });

  it("a newer request's challenge replaces the older one: the older code no longer confirms", async () => {
    const c = await person({ email: true, phone: true });
    const byEmail = expectOk(await requestDeletion(c, { channel: 'EMAIL' })).requestAccountDeletion;
    const emailCode = await stack.smtp.waitForCode(c.email as string);
    const bySms = expectOk(await requestDeletion(c, { channel: 'SMS' })).requestAccountDeletion;
    const smsCode = await stack.sms.waitForCode(c.phone as string);
    expectErrorCode(await gql(app, CONFIRM, { input: { challengeId: byEmail.challengeId, code: emailCode } }, { token: c.token }), 'OTP_INVALID');
    expect(
      expectOk(await gql(app, CONFIRM, { input: { challengeId: bySms.challengeId, code: smsCode } }, { token: c.token })).confirmAccountDeletion.status,
    ).toBe('CONFIRMED');
  });

  it('processDueAccountDeletions: UNAUTHENTICATED without a token, FORBIDDEN for a non-admin, an Int for an admin', async () => {
    expectErrorCode(await gql(app, PROCESS), 'UNAUTHENTICATED');
    expectErrorCode(await gql(app, PROCESS, undefined, { token: b.token }), 'FORBIDDEN');
    expect(typeof (await processDue())).toBe('number');
  });

  afterAll(() => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});

/**
 * The in-process cron (DELETION_JOB_CRON every second here) erases a due account by itself. `p` was
 * scheduled on an instance without the cron: with a grace of 0 the cron would otherwise race the
 * "scheduled for deletion" notice (erasure drops the person's unsent mail by design).
 */
async function expectCronErases(p: Person, target: TestStack): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await trySignIn(p.username, p.password, target.app);
    if (res.errors?.[0]?.extensions?.code === 'INVALID_CREDENTIALS') return;
    expectErrorCode(res, 'ACCOUNT_PENDING_DELETION');
    if (Date.now() > deadline) throw new Error('the in-process cron did not erase the due account within 15 s');
    await sleep(250);
  }
}

describe('the job entry points: npm run job:deletions and the in-process cron', () => {
  const EVERY_SECOND = '* * * * * *';

  it('job:deletions erases due accounts, logs its totals and exits 0; the cron of a running instance erases by itself', async () => {
    if (hasExternalDatabase()) {
      // PostgreSQL: the job runs next to the running service, and a second instance with the cron shares its database.
      const p = await person({ email: true });
      await scheduleDeletion(p);
      const run = await runDeletionJobProcess(app.env);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/"erased":\s*[1-9]/);
      expectErrorCode(await trySignIn(p.username, p.password), 'INVALID_CREDENTIALS');
      const q = await person({ email: true });
      await scheduleDeletion(q);
      const withCron = await startApp({
        name: 'deletion-cron',
        databaseUrl: app.databaseUrl,
        env: {
          JWT_SECRET: app.env.JWT_SECRET,
          DELETION_GRACE_DAYS: '0',
          DELETION_JOB_CRON: EVERY_SECOND,
          SMTP_URL: stack.smtp.url,
          SMS_WEBHOOK_URL: stack.sms.url,
        },
      });
      await expectCronErases(q, { ...stack, app: withCron });
      await withCron.stop();
      return;
    }
    // PGlite: one process owns the files, so the service stops while the job runs.
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-deletion-job-'));
    try {
      const sinks = { SMTP_URL: stack.smtp.url, SMS_WEBHOOK_URL: stack.sms.url };
      const own = await startApp({ name: 'deletion-job', dataDir, env: { DELETION_GRACE_DAYS: '0', ...sinks } });
      const p = await person({ email: true }, { ...stack, app: own });
      await scheduleDeletion(p, { ...stack, app: own });
      const env = { ...own.env };
      await own.stop();
      const run = await runDeletionJobProcess(env);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/"erased":\s*1\b/);
      const between = await startApp({ name: 'deletion-between', dataDir, env: { JWT_SECRET: env.JWT_SECRET, DELETION_GRACE_DAYS: '0', ...sinks } });
      expectErrorCode(await trySignIn(p.username, p.password, between), 'INVALID_CREDENTIALS');
      await signUp(between, { username: p.username });
      const q = await person({ email: true }, { ...stack, app: between });
      await scheduleDeletion(q, { ...stack, app: between });
      await between.stop();
      const again = await startApp({
        name: 'deletion-cron',
        dataDir,
        env: { JWT_SECRET: env.JWT_SECRET, DELETION_GRACE_DAYS: '0', DELETION_JOB_CRON: EVERY_SECOND, ...sinks },
      });
      await expectCronErases(q, { ...stack, app: again });
      await again.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

/**
 * Every other test here runs with a grace of 0. A request confirmed with DELETION_GRACE_DAYS=1 is
 * kept through the admin mutation, `job:deletions` and the cron, each of which erases a due
 * account in the same run (so the run really happened). The grace applies at confirmation
 * (`scheduledFor`), so instances on one database with different graces make both kinds.
 */
describe('an account inside its grace period is left alone by every entry point of the job', () => {
  it('processDueAccountDeletions, job:deletions and the cron erase only what is due', async () => {
    const dataDir = hasExternalDatabase() ? undefined : await mkdtemp(join(tmpdir(), 'gatehouse-deletion-grace-'));
    const databaseUrl = hasExternalDatabase() ? (await createTestDatabase()).url : undefined;
    const common = { JWT_SECRET: randomBytes(48).toString('base64'), ADMIN_USERNAME, ADMIN_PASSWORD, SMTP_URL: stack.smtp.url, SMS_WEBHOOK_URL: stack.sms.url };
    // One instance at a time: PGlite files have one owner, and the job runs with the service stopped.
    const boot = (name: string, env: Record<string, string>) => startApp({ name, dataDir, databaseUrl, env: { ...common, ...env } });
    const on = (target: TestApp): TestStack => ({ ...stack, app: target });
    const expectPending = async (p: Person, target: TestApp) => expectErrorCode(await trySignIn(p.username, p.password, target), 'ACCOUNT_PENDING_DELETION');
    const expectErased = async (p: Person, target: TestApp) => expectErrorCode(await trySignIn(p.username, p.password, target), 'INVALID_CREDENTIALS');
    try {
      let current = await boot('deletion-grace', { DELETION_GRACE_DAYS: '1' });
      const waiting = await person({ email: true }, on(current));
      const scheduled = await scheduleDeletion(waiting, on(current));
      expect(Date.parse(scheduled.scheduledFor as string)).toBeGreaterThan(Date.parse(scheduled.confirmedAt as string) + 23 * 3600_000);
      await current.stop();

      // The admin mutation.
      current = await boot('deletion-grace-admin', { DELETION_GRACE_DAYS: '0' });
      const dueForAdmin = await person({ email: true }, on(current));
      await scheduleDeletion(dueForAdmin, on(current));
      const token = (await signIn(current, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
      expect(expectOk(await gql<{ processDueAccountDeletions: number }>(current, PROCESS, undefined, { token })).processDueAccountDeletions).toBe(1);
      await expectErased(dueForAdmin, current);
      await expectPending(waiting, current);

      // npm run job:deletions.
      const dueForJob = await person({ email: true }, on(current));
      await scheduleDeletion(dueForJob, on(current));
      const env = { ...current.env };
      await current.stop();
      const run = await runDeletionJobProcess(env);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/"erased":\s*1\b/);

      // The in-process cron (the due account is scheduled on an instance without it, see expectCronErases).
      current = await boot('deletion-grace-between', { DELETION_GRACE_DAYS: '0' });
      await expectErased(dueForJob, current);
      await expectPending(waiting, current);
      const dueForCron = await person({ email: true }, on(current));
      await scheduleDeletion(dueForCron, on(current));
      await current.stop();
      current = await boot('deletion-grace-cron', { DELETION_GRACE_DAYS: '0', DELETION_JOB_CRON: '* * * * * *' });
      await expectCronErases(dueForCron, on(current));
      await expectPending(waiting, current);
      await current.stop();
    } finally {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('tombstone', () => {
  const maybe = hasExternalDatabase() ? it : it.skip;
  if (!hasExternalDatabase()) {
    it.skip('reads every table directly: PostgreSQL only (DATABASE_URL); PGlite files cannot be opened while the service runs', () => undefined);
  }

  maybe('no username, email, phone, name, password hash or reason remains in any column of any table', async () => {
    const displayName = `Tombstone ${lettersName()}`;
    const p = await person({ email: true, phone: true, displayName });
    const reason = `secret reason ${uniqueUsername('r')}`;
    const challenge = expectOk(await requestDeletion(p, { reason })).requestAccountDeletion;
    const code = await stack.smtp.waitForCode(p.email as string);
    expectOk(await gql(app, CONFIRM, { input: { challengeId: challenge.challengeId, code } }, { token: p.token }));
    expect(await processDue()).toBeGreaterThanOrEqual(1);

    const client = new Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      const [account] = (await client.query(`SELECT status, roles, password_hash, organization_id, merchant_id FROM accounts WHERE id = $1`, [p.id])).rows;
      expect(account).toEqual({ status: 'DELETED', roles: [], password_hash: null, organization_id: null, merchant_id: null });
      const [request] = (await client.query(`SELECT status, reason, completed_at FROM account_deletion_requests WHERE account_id = $1`, [p.id])).rows;
      expect(request).toMatchObject({ status: 'COMPLETED', reason: null });

      const secrets = [p.username, p.email as string, p.phone as string, (p.phone as string).slice(1), displayName, reason];
      const tables = (
        await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
      ).rows.map((r) => r.table_name as string);
      expect(tables).toEqual(expect.arrayContaining(['accounts', 'identifiers', 'profiles', 'otp_challenges', 'outbox_messages', 'account_deletion_requests']));
      const leaks: string[] = [];
      let rowsAboutTheAccount = 0;
      for (const table of tables) {
        const rows = (await client.query(`SELECT row_to_json(t)::text AS json FROM "${table}" t`)).rows.map((r) => r.json as string);
        for (const json of rows) {
          const lower = json.toLowerCase();
          for (const s of secrets) if (lower.includes(s.toLowerCase())) leaks.push(`${table}: ${s}`);
          if (json.includes(p.id)) {
            rowsAboutTheAccount += 1;
            if (/\$2[aby]\$\d\d\$/.test(json)) leaks.push(`${table}: a bcrypt hash`);
          }
        }
      }
      expect(leaks).toEqual([]);
      expect(rowsAboutTheAccount).toBeGreaterThanOrEqual(2); // the tombstone and its COMPLETED request
    } finally {
      await client.end();
    }
  });
});
