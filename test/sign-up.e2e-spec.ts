import {
  Account,
  decodeJwt,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  fullWidth,
  gql,
  identifierOf,
  ME,
  recordedErrorCount,
  SIGN_UP,
  signIn,
  signUp,
  SignUpPayload,
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

// Contract README: Flows → Sign-up; Identifiers (username normalization and uniqueness);
// Configuration (SIGNUP_REQUIRED_IDENTIFIERS, ADMIN_USERNAME / ADMIN_PASSWORD).

const ADMIN_USERNAME = `gh_admin_${randomBytes(3).toString('hex')}`;
const ADMIN_PASSWORD = strongPassword();

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'sign-up', env: { ADMIN_USERNAME, ADMIN_PASSWORD } });
  app = stack.app;
}, 90_000);

function withoutUpdatedAt(a: Account): Omit<Account, 'updatedAt'> {
  const { updatedAt: _ignored, ...rest } = a;
  return rest;
}

describe('signUp with a username only (SIGNUP_REQUIRED_IDENTIFIERS=username)', () => {
  let username: string;
  let payload: SignUpPayload;

  beforeAll(async () => {
    username = uniqueUsername('solo');
    payload = await signUp(app, { username });
  });

  it('returns a bearer token for the new account', () => {
    expect(payload.accessToken.split('.')).toHaveLength(3);
    expect(payload.tokenType).toMatch(/^bearer$/i);
    expect(Date.parse(payload.expiresAt)).toBeGreaterThan(Date.now());
    expect(decodeJwt(payload.accessToken).payload.sub).toBe(payload.account.id);
  });

  it('creates an ACTIVE account that owns a new organization, with profile and default settings', () => {
    const account = payload.account;
    expect(account.id).toEqual(expect.any(String));
    expect(account.status).toBe('ACTIVE');
    expect(account.roles).toEqual(['OWNER']);
    expect(account.organization).not.toBeNull();
    expect(account.organization?.id).toEqual(expect.any(String));
    expect(account.organization?.name).toEqual(expect.any(String));
    expect(account.organization?.name.length).toBeGreaterThan(0);
    expect(account.profile).not.toBeNull();
    expect(Object.keys(account.profile).sort()).toEqual(['displayName', 'firstName', 'lastName']);
    expect(account.settings.locale).toBe('EN');
    expect(typeof account.settings.timezone).toBe('string');
    expect(typeof account.settings.emailNotifications).toBe('boolean');
    expect(typeof account.settings.smsNotifications).toBe('boolean');
  });

  it('has exactly one identifier: the username, verified and primary', () => {
    const ids = payload.account.identifiers;
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({ type: 'USERNAME', value: username, verified: true, primary: true });
    expect(ids[0].verifiedAt).not.toBeNull();
  });

  it('sends no verification for a username', () => {
    expect(payload.verifications).toEqual([]);
  });

  it('`me` with the token returns the same account', async () => {
    const res = await gql<{ me: Account }>(app, ME, undefined, { token: payload.accessToken });
    expect(withoutUpdatedAt(expectOk(res).me)).toEqual(withoutUpdatedAt(payload.account));
  });

  it('`me` without a token is UNAUTHENTICATED', async () => {
    const res = await gql(app, ME);
    expectErrorCode(res, 'UNAUTHENTICATED');
  });

  it('stores the username lower-cased', async () => {
    const base = uniqueUsername('mixed');
    const mixed = base.toUpperCase();
    const { account } = await signUp(app, { username: mixed });
    expect(identifierOf(account, 'USERNAME')?.value).toBe(base);
  });

  it('keeps the profile, settings and organization name given at sign-up', async () => {
    const { account, accessToken } = await signUp(app, {
      displayName: 'Ánh Dương',
      firstName: 'Dương',
      lastName: 'Nguyễn',
      locale: 'VI',
      timezone: 'Asia/Ho_Chi_Minh',
      organizationName: 'Phở Hà Nội 24',
    });
    expect(account.profile).toEqual({ displayName: 'Ánh Dương', firstName: 'Dương', lastName: 'Nguyễn' });
    expect(account.settings).toMatchObject({ locale: 'VI', timezone: 'Asia/Ho_Chi_Minh' });
    expect(account.organization?.name).toBe('Phở Hà Nội 24');
    const again = expectOk(await gql<{ me: Account }>(app, ME, undefined, { token: accessToken })).me;
    expect(again.profile).toEqual(account.profile);
    expect(again.settings).toEqual(account.settings);
    expect(again.organization).toEqual(account.organization);
  });

  it('gives every account its own organization', async () => {
    const a = await signUp(app);
    const b = await signUp(app);
    expect(a.account.organization?.id).not.toBe(b.account.organization?.id);
  });
});

describe('username uniqueness', () => {
  const base = `alice_${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    await signUp(app, { username: base });
  });

  it.each([
    ['the same value', () => base],
    ['upper case', () => base.toUpperCase()],
    ['full-width (ＡＬＩＣＥ…)', () => fullWidth(base.toUpperCase())],
    ['surrounding spaces', () => `  ${base}\t`],
  ])('a username differing only by %s is IDENTIFIER_TAKEN', async (_label, value) => {
    const res = await gql(app, SIGN_UP, { input: { username: value(), password: strongPassword() } });
    expectErrorCode(res, 'IDENTIFIER_TAKEN');
  });

  it('20 concurrent sign-ups with one username: exactly one succeeds, 19 get IDENTIFIER_TAKEN', async () => {
    const username = uniqueUsername('race');
    const passwords = Array.from({ length: 20 }, () => strongPassword());
    const results = await Promise.all(passwords.map((password) => gql<{ signUp: SignUpPayload }>(app, SIGN_UP, { input: { username, password } })));
    const winners = results.flatMap((res, i) => (res.data?.signUp ? [{ res, password: passwords[i] }] : []));
    const losers = results.filter((res) => !res.data?.signUp);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const res of losers) expectErrorCode(res, 'IDENTIFIER_TAKEN');

    const winner = winners[0];
    const signedIn = await signIn(app, username, winner.password);
    expect(signedIn.account.id).toBe(winner.res.data?.signUp.account.id);
    const loserPassword = passwords.find((p) => p !== winner.password) as string;
    expectErrorCode(
      await gql(app, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
        i: { identifier: username, password: loserPassword },
      }),
      'INVALID_CREDENTIALS',
    );
  });
});

describe('a refused or failed sign-up leaves nothing behind (one transaction)', () => {
  const COUNT = `query Count { accounts(first: 1) { totalCount } }`;
  const countAccounts = async (target: TestApp, token: string) =>
    expectOk(await gql<{ accounts: { totalCount: number } }>(target, COUNT, undefined, { token })).accounts.totalCount;

  it('three sign-ups refused for a taken username create no account, and their email stays free', async () => {
    const adminToken = (await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
    const taken = uniqueUsername('taken');
    await signUp(app, { username: taken });
    const before = await countAccounts(app, adminToken);

    const emails = [uniqueEmail('refused'), uniqueEmail('refused'), uniqueEmail('refused')];
    for (const email of emails) {
      const res = await gql(app, SIGN_UP, { input: { username: taken, email, password: strongPassword() } });
      expectErrorCode(res, 'IDENTIFIER_TAKEN');
    }
    expect(await countAccounts(app, adminToken)).toBe(before);

    const { account } = await signUp(app, { email: emails[0] });
    expect(identifierOf(account, 'EMAIL')).toMatchObject({ value: emails[0], verified: false });
    expect(await countAccounts(app, adminToken)).toBe(before + 1);
  });

  describe('a fault after the identifiers are written (GATEHOUSE_TEST_FAULT=signup:after-identifiers)', () => {
    let faulty: TestApp;
    const adminUsername = `fault_admin_${randomBytes(3).toString('hex')}`;
    const adminPassword = strongPassword();

    beforeAll(async () => {
      // No admin at first: the boot would create it through the same, failing, sign-up.
      faulty = await startApp({
        name: 'sign-up-fault',
        env: { GATEHOUSE_TEST_FAULT: 'signup:after-identifiers', SMTP_URL: stack.smtp.url, SMS_WEBHOOK_URL: stack.sms.url },
      });
    }, 90_000);

    afterAll(async () => {
      await faulty?.stop();
    });

    it('the failed sign-up is INTERNAL_SERVER_ERROR and leaves no account, identifier or code behind', async () => {
      const username = uniqueUsername('fault');
      const email = uniqueEmail('fault');
      const password = strongPassword();
      const res = await gql(faulty, SIGN_UP, { input: { username, email, password } });
      expectErrorCode(res, 'INTERNAL_SERVER_ERROR');

      await faulty.restart({ GATEHOUSE_TEST_FAULT: '', ADMIN_USERNAME: adminUsername, ADMIN_PASSWORD: adminPassword });
      const adminToken = (await signIn(faulty, adminUsername, adminPassword)).accessToken;
      expect(await countAccounts(faulty, adminToken)).toBe(1);
      expectErrorCode(
        await gql(faulty, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { identifier: username, password } }),
        'INVALID_CREDENTIALS',
      );

      // The username is free, and the one code the email ever gets is the new sign-up's.
      const ok = await signUp(faulty, { username, email });
      expect(identifierOf(ok.account, 'USERNAME')?.value).toBe(username);
      await stack.smtp.waitForCode(email);
      expect(stack.smtp.messagesTo(email)).toHaveLength(1);
      expect(await countAccounts(faulty, adminToken)).toBe(2);
    });
  });
});

describe('SIGNUP_REQUIRED_IDENTIFIERS=email,phone', () => {
  let strict: TestApp;

  beforeAll(async () => {
    strict = await startApp({
      name: 'sign-up-strict',
      env: { SIGNUP_REQUIRED_IDENTIFIERS: 'email,phone', SMTP_URL: stack.smtp.url, SMS_WEBHOOK_URL: stack.sms.url },
    });
  }, 90_000);

  afterAll(async () => {
    await strict?.stop();
  });

  it('refuses a sign-up without email: BAD_USER_INPUT on field email, and writes nothing', async () => {
    const username = uniqueUsername('strict');
    const phone = uniquePhone();
    const res = await gql(strict, SIGN_UP, { input: { username, phone, password: strongPassword() } });
    expectErrorCode(res, 'BAD_USER_INPUT', 'email');
    // Nothing remains: the same username is still free.
    const ok = await signUp(strict, { username, phone, email: uniqueEmail() });
    expect(identifierOf(ok.account, 'USERNAME')?.value).toBe(username);
  });

  it('refuses a sign-up without phone: BAD_USER_INPUT on field phone', async () => {
    const res = await gql(strict, SIGN_UP, {
      input: { username: uniqueUsername(), email: uniqueEmail(), password: strongPassword() },
    });
    expectErrorCode(res, 'BAD_USER_INPUT', 'phone');
  });

  it('accepts email and phone without a username', async () => {
    const email = uniqueEmail('nouser');
    const phone = uniquePhone();
    const { account } = await signUp(strict, { username: undefined, email, phone });
    expect(account.identifiers.map((i) => i.type).sort()).toEqual(['EMAIL', 'PHONE']);
    expect(identifierOf(account, 'EMAIL')).toMatchObject({ value: email, verified: false });
    expect(identifierOf(account, 'PHONE')).toMatchObject({ value: phone, verified: false });
    expect(account.roles).toEqual(['OWNER']);
  });

  it('the default app requires a username: signing up without one is BAD_USER_INPUT on field username', async () => {
    const res = await gql(app, SIGN_UP, { input: { email: uniqueEmail(), password: strongPassword() } });
    expectErrorCode(res, 'BAD_USER_INPUT', 'username');
  });
});

describe('ADMIN bootstrap (ADMIN_USERNAME / ADMIN_PASSWORD)', () => {
  it('the admin created at boot signs in with the ADMIN role', async () => {
    const { account, accessToken } = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
    expect(account.roles).toContain('ADMIN');
    expect(account.status).toBe('ACTIVE');
    expect(identifierOf(account, 'USERNAME')).toMatchObject({ value: ADMIN_USERNAME, verified: true });
    expect(decodeJwt(accessToken).payload.roles).toEqual(expect.arrayContaining(['ADMIN']));
  });

  it('the admin username is taken', async () => {
    const res = await gql(app, SIGN_UP, { input: { username: ADMIN_USERNAME, password: strongPassword() } });
    expectErrorCode(res, 'IDENTIFIER_TAKEN');
  });

  it('a wrong admin password is INVALID_CREDENTIALS', async () => {
    const res = await gql(app, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
      i: { identifier: ADMIN_USERNAME, password: `${ADMIN_PASSWORD}x` },
    });
    expectErrorCode(res, 'INVALID_CREDENTIALS');
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
