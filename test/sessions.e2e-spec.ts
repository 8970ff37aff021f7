import {
  AuthPayload,
  decodeJwt,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  ME,
  signIn,
  signUp,
  sleep,
  startCluster,
  startStack,
  stopAllApps,
  strongPassword,
  TestApp,
  TestStack,
  uniqueEmail,
  uniqueUsername,
} from '@app/testing';
import { CONFIRM_CHANGE, REQUEST_CHANGE, REQUEST_PASSWORD_RESET, RESET_PASSWORD, signUpVerified, VERIFY_RESET_CODE } from './support/flows';

// Contract README: Sessions (refresh tokens, rotation, reuse window, theft, sign-out, expiry,
// 50 live sessions), Abuse limits (refreshSession 60 per session per minute), Observability
// (gatehouse_sessions_refreshed_total). Issue 17.

jest.setTimeout(120_000);

const PAIR = `accessToken tokenType expiresAt refreshToken refreshTokenExpiresAt sessionId account { id }`;
const REFRESH = `mutation Refresh($t: String!) { refreshSession(refreshToken: $t) { ${PAIR} } }`;
const SIGN_OUT = `mutation { signOut }`;
const REVOKE = `mutation Revoke($id: ID!) { revokeSession(sessionId: $id) }`;
const EVERYWHERE = `mutation { signOutEverywhere }`;
const SESSIONS = `query { me { id sessions { id createdAt lastUsedAt expiresAt authMethods ip userAgent current } } }`;
const CHANGE_PASSWORD = `mutation Change($input: ChangePasswordInput!) { changePassword(input: $input) { ${PAIR} } }`;
const REQUEST_DELETION = `mutation R($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { challengeId } }`;
const CONFIRM_DELETION = `mutation C($input: SubmitOtpInput!) { confirmAccountDeletion(input: $input) { status } }`;
const REQUEST_CANCEL = `mutation RC($input: CancelAccountDeletionInput!) { requestAccountDeletionCancellation(input: $input) { challengeId } }`;
const CONFIRM_CANCEL = `mutation CC($input: SubmitOtpInput!) { confirmAccountDeletionCancellation(input: $input) { status } }`;
const SET_STATUS = `mutation S($id: ID!, $status: AccountStatus!) { setAccountStatus(accountId: $id, status: $status, reason: "test") { status } }`;

interface SessionView {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  authMethods: string[];
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

const ADMIN_USERNAME = `admin_${uniqueUsername('a').slice(-8)}`;
const ADMIN_PASSWORD = strongPassword();

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'sessions', env: { REFRESH_TOKEN_REUSE_SECONDS: '2', ADMIN_USERNAME, ADMIN_PASSWORD } });
  app = stack.app;
}, 90_000);

afterAll(async () => {
  expectNoInternalLeaks();
  await stack?.stop();
  await stopAllApps();
});

const refresh = (token: unknown, target: TestApp = app) => gql<{ refreshSession: AuthPayload }>(target, REFRESH, { t: token });
const meWith = (token: string, target: TestApp = app) => gql(target, ME, undefined, { token });
const sessionsOf = async (token: string) => expectOk(await gql<{ me: { sessions: SessionView[] } }>(app, SESSIONS, undefined, { token })).me.sessions;

async function person() {
  const p = await signUp(app);
  return { ...p, username: p.account.identifiers[0].value };
}

async function expectDead(pair: { accessToken: string; refreshToken: string }) {
  expectErrorCode(await meWith(pair.accessToken), 'UNAUTHENTICATED');
  expectErrorCode(await refresh(pair.refreshToken), 'UNAUTHENTICATED');
}

describe('every authentication returns a session', () => {
  it('sign-up: an opaque refresh token of 256 bits, the session id, and a sid claim', async () => {
    const p = await person();
    expect(p.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(p.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwt(p.accessToken).payload.sid).toBe(p.sessionId);
    expect(Date.parse(p.refreshTokenExpiresAt)).toBeGreaterThan(Date.parse(p.expiresAt));
    const sessions = await sessionsOf(p.accessToken);
    expect(sessions).toEqual([expect.objectContaining({ id: p.sessionId, current: true, authMethods: ['PASSWORD'] })]);
  });

  it('sign-in: a new session, listed most recently used first with the IP and the user agent (cut to 256)', async () => {
    const p = await person();
    const ua = `TestBrowser/1.0 ${'x'.repeat(400)}`;
    const res = await gql<{ signIn: AuthPayload }>(
      app,
      `mutation S($i: SignInInput!) { signIn(input: $i) { ${PAIR} } }`,
      { i: { identifier: p.username, password: p.password } },
      { headers: { 'user-agent': ua } },
    );
    const second = expectOk(res).signIn;
    expect(second.sessionId).not.toBe(p.sessionId);
    const sessions = await sessionsOf(second.accessToken);
    expect(sessions.map((s) => s.id)).toEqual([second.sessionId, p.sessionId]);
    expect(sessions[0]).toMatchObject({ current: true, userAgent: ua.slice(0, 256), authMethods: ['PASSWORD'] });
    expect(sessions[0].ip).toMatch(/127\.0\.0\.1|::1/);
    expect(sessions[1].current).toBe(false);
    // The same list, seen from the other session, marks the other one current.
    const fromFirst = await sessionsOf(p.accessToken);
    expect(fromFirst.find((s) => s.current)?.id).toBe(p.sessionId);
  });
});

describe('refreshSession', () => {
  it('rotates: a new pair of the same session; the new access token works and carries fresh claims', async () => {
    const p = await person();
    const next = expectOk(await refresh(p.refreshToken)).refreshSession;
    expect(next.sessionId).toBe(p.sessionId);
    expect(next.refreshToken).not.toBe(p.refreshToken);
    expect(next.accessToken).not.toBe(p.accessToken);
    expect(next.account.id).toBe(p.account.id);
    expect(decodeJwt(next.accessToken).payload.sid).toBe(p.sessionId);
    expectOk(await meWith(next.accessToken));
    // The previous access token lives on until it expires (the session is alive).
    expectOk(await meWith(p.accessToken));
    // lastUsedAt moved.
    const [s] = await sessionsOf(next.accessToken);
    expect(Date.parse(s.lastUsedAt)).toBeGreaterThan(Date.parse(s.createdAt));
  });

  it('a rotated token presented again within the window gets the same successor (two tabs)', async () => {
    const p = await person();
    const a = expectOk(await refresh(p.refreshToken)).refreshSession;
    const b = expectOk(await refresh(p.refreshToken)).refreshSession;
    expect(b.refreshToken).toBe(a.refreshToken);
    expect(b.sessionId).toBe(a.sessionId);
    // The successor is still the live token: it rotates once more.
    expectOk(await refresh(a.refreshToken));
  });

  it('10 concurrent refreshes of one token: every answer works and carries the one successor', async () => {
    const p = await person();
    const answers = await Promise.all(Array.from({ length: 10 }, () => refresh(p.refreshToken)));
    const tokens = new Set(answers.map((r) => expectOk(r).refreshSession.refreshToken));
    expect(tokens.size).toBe(1);
    for (const r of answers) expectOk(await meWith(r.data!.refreshSession.accessToken));
    const sessions = await sessionsOf(answers[0].data!.refreshSession.accessToken);
    expect(sessions).toHaveLength(1);
    expectOk(await refresh([...tokens][0]));
  });

  it('reuse after the window is theft: the whole session ends, its access tokens at once', async () => {
    const p = await person();
    const other = await signIn(app, p.username, p.password);
    const next = expectOk(await refresh(p.refreshToken)).refreshSession;
    await sleep(2_500);
    expectErrorCode(await refresh(p.refreshToken), 'UNAUTHENTICATED');
    await expectDead(next);
    expectErrorCode(await meWith(p.accessToken), 'UNAUTHENTICATED');
    // Only that session: another one of the account is untouched.
    expectOk(await meWith(other.accessToken));
  });

  it('unknown, empty, malformed, unicode and wrong-typed tokens are refused cleanly', async () => {
    for (const t of ['', 'x', 'A'.repeat(43), 'é'.repeat(43), 'a'.repeat(500)]) expectErrorCode(await refresh(t), 'UNAUTHENTICATED');
    expectErrorCode(await refresh('a'.repeat(5000)), 'BAD_USER_INPUT');
    const wrongType = await refresh(12345);
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // An access token is not a refresh token.
    const p = await person();
    expectErrorCode(await refresh(p.accessToken), 'UNAUTHENTICATED');
  });

  it('reads the account again: a blocked account cannot refresh', async () => {
    const p = await person();
    const admin = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const block = await gql(
      app,
      `mutation B($id: ID!) { setAccountStatus(accountId: $id, status: BLOCKED, reason: "test") { status } }`,
      { id: p.account.id },
      { token: admin.accessToken },
    );
    expectOk(block);
    await expectDead(p);
    expectOk(
      await gql(
        app,
        `mutation B($id: ID!) { setAccountStatus(accountId: $id, status: ACTIVE) { status } }`,
        { id: p.account.id },
        { token: admin.accessToken },
      ),
    );
    // Block ended the session: reactivation does not bring it back.
    await expectDead(p);
    expectOk(await meWith((await signIn(app, p.username, p.password)).accessToken));
  });

  it('reads the account again: roles, organization and merchant set after sign-in come in the refreshed token', async () => {
    const p = await person();
    const elsewhere = await person();
    const orgId = expectOk(await gql(app, `query { me { organization { id } } }`, undefined, { token: elsewhere.accessToken })).me.organization.id as string;
    const merchantId = '3b0c6a52-7d0e-4f43-9a71-5c2d8e1f6a90';
    const before = decodeJwt(p.accessToken).payload;
    expect(before.org).not.toBe(orgId);
    const admin = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const asAdmin = (doc: string, vars: Record<string, unknown>) => gql(app, doc, vars, { token: admin.accessToken });
    expectOk(await asAdmin(`mutation R($id: ID!) { setAccountRoles(accountId: $id, roles: [OWNER, EMPLOYEE]) { id } }`, { id: p.account.id }));
    expectOk(
      await asAdmin(`mutation O($id: ID!, $org: ID!) { setAccountOrganization(accountId: $id, organizationId: $org) { id } }`, {
        id: p.account.id,
        org: orgId,
      }),
    );
    expectOk(await asAdmin(`mutation M($id: ID!, $m: ID) { setAccountMerchant(accountId: $id, merchantId: $m) { id } }`, { id: p.account.id, m: merchantId }));
    const next = expectOk(await refresh(p.refreshToken)).refreshSession;
    const claims = decodeJwt(next.accessToken).payload;
    expect([...(claims.roles as string[])].sort()).toEqual(['EMPLOYEE', 'OWNER']);
    expect(claims.org).toBe(orgId);
    expect(claims.mch).toBe(merchantId);
    expect(claims.sid).toBe(p.sessionId);
  });

  it('at most 60 per session per minute (RATE_LIMITED with retryAfterSeconds)', async () => {
    const p = await person();
    let token = p.refreshToken;
    for (let i = 0; i < 60; i++) token = expectOk(await refresh(token)).refreshSession.refreshToken;
    const err = expectErrorCode(await refresh(token), 'RATE_LIMITED');
    expect(err.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // Another session of the same account is not limited by it.
    const other = await signIn(app, p.username, p.password);
    expectOk(await refresh(other.refreshToken));
  });
});

describe('ending sessions', () => {
  it('signOut ends the current session only: its access and refresh tokens fail at once', async () => {
    const p = await person();
    const other = await signIn(app, p.username, p.password);
    expect(expectOk(await gql(app, SIGN_OUT, undefined, { token: p.accessToken })).signOut).toBe(true);
    await expectDead(p);
    expectOk(await meWith(other.accessToken));
    expectErrorCode(await gql(app, SIGN_OUT), 'UNAUTHENTICATED');
  });

  it("revokeSession ends one of the account's own; another account's id or a made-up one is NOT_FOUND", async () => {
    const p = await person();
    const other = await signIn(app, p.username, p.password);
    const stranger = await person();
    expectErrorCode(await gql(app, REVOKE, { id: stranger.sessionId }, { token: p.accessToken }), 'NOT_FOUND');
    expectOk(await meWith(stranger.accessToken));
    expectErrorCode(await gql(app, REVOKE, { id: 'not-a-session' }, { token: p.accessToken }), 'NOT_FOUND');
    expect(expectOk(await gql(app, REVOKE, { id: other.sessionId }, { token: p.accessToken })).revokeSession).toBe(true);
    await expectDead(other);
    expectOk(await meWith(p.accessToken));
    expect((await sessionsOf(p.accessToken)).map((s) => s.id)).toEqual([p.sessionId]);
    // Already ended: NOT_FOUND.
    expectErrorCode(await gql(app, REVOKE, { id: other.sessionId }, { token: p.accessToken }), 'NOT_FOUND');
  });

  it('signOutEverywhere ends them all, this one included, and says how many', async () => {
    const p = await person();
    const a = await signIn(app, p.username, p.password);
    const b = await signIn(app, p.username, p.password);
    expect(expectOk(await gql(app, EVERYWHERE, undefined, { token: a.accessToken })).signOutEverywhere).toBe(3);
    for (const s of [p, a, b]) await expectDead(s);
  });

  it('a password change ends every other session and returns a new pair of the current one', async () => {
    const p = await person();
    const other = await signIn(app, p.username, p.password);
    const newPassword = strongPassword();
    const res = await gql<{ changePassword: AuthPayload }>(
      app,
      CHANGE_PASSWORD,
      { input: { currentPassword: p.password, newPassword } },
      { token: p.accessToken },
    );
    const pair = expectOk(res).changePassword;
    expect(pair.sessionId).toBe(p.sessionId);
    await expectDead(other);
    expectOk(await meWith(pair.accessToken));
    // The replaced refresh token has no reuse window: presenting it is reuse, which ends the session.
    expectErrorCode(await refresh(p.refreshToken), 'UNAUTHENTICATED');
    await expectDead(pair);
  });

  it('a password reset ends them all', async () => {
    const email = uniqueEmail('reset');
    const p = await signUpVerified(stack, { email });
    const req = expectOk(await gql(app, REQUEST_PASSWORD_RESET, { input: { identifier: email } })).requestPasswordReset;
    const code = await stack.smtp.waitForCode(email);
    const ticket = expectOk(await gql(app, VERIFY_RESET_CODE, { input: { challengeId: req.challengeId, code } })).verifyPasswordResetCode;
    expectOk(await gql(app, RESET_PASSWORD, { input: { resetToken: ticket.resetToken, newPassword: strongPassword() } }));
    await expectDead(p);
  });

  it('deactivation ends them all: access and refresh tokens fail at once, and reactivation does not bring them back', async () => {
    const p = await person();
    const other = await signIn(app, p.username, p.password);
    const admin = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
    expectOk(await gql(app, SET_STATUS, { id: p.account.id, status: 'DEACTIVATED' }, { token: admin.accessToken }));
    for (const s of [p, other]) await expectDead(s);
    expectOk(await gql(app, SET_STATUS, { id: p.account.id, status: 'ACTIVE' }, { token: admin.accessToken }));
    for (const s of [p, other]) await expectDead(s);
  });

  it('a confirmed deletion ends them all: access and refresh tokens fail at once, and a cancellation does not bring them back', async () => {
    const email = uniqueEmail('deleting');
    const p = await signUpVerified(stack, { email });
    const other = await signIn(app, p.account.identifiers.find((i) => i.type === 'USERNAME')!.value, p.password);
    const opts = { token: p.token };
    const del = expectOk(await gql(app, REQUEST_DELETION, { input: { currentPassword: p.password } }, opts)).requestAccountDeletion;
    expectOk(await gql(app, CONFIRM_DELETION, { input: { challengeId: del.challengeId, code: await stack.smtp.waitForCode(email) } }, opts));
    for (const s of [p, other]) await expectDead(s);
    // ACTIVE again: the sessions stay ended (not merely refused while the account is PENDING_DELETION).
    const cancel = expectOk(await gql(app, REQUEST_CANCEL, { input: { identifier: email } })).requestAccountDeletionCancellation;
    expectOk(await gql(app, CONFIRM_CANCEL, { input: { challengeId: cancel.challengeId, code: await stack.smtp.waitForCode(email) } }));
    for (const s of [p, other]) await expectDead(s);
  });

  it('a contact change returns a new pair of the current session and leaves the others', async () => {
    const email = uniqueEmail('change');
    const p = await signUpVerified(stack, { email });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    const other = await signIn(app, username, p.password);
    const newEmail = uniqueEmail('changed');
    const challenge = expectOk(
      await gql(app, REQUEST_CHANGE, { input: { type: 'EMAIL', newValue: newEmail, currentPassword: p.password } }, { token: p.accessToken }),
    ).requestContactChange;
    const code = await stack.smtp.waitForCode(newEmail);
    const res = await gql(app, CONFIRM_CHANGE, { input: { challengeId: challenge.challengeId, code } }, { token: p.accessToken });
    const pair = expectOk(res).confirmContactChange as AuthPayload;
    expect(pair.sessionId).toBe(p.sessionId);
    expect(pair.refreshToken).not.toBe(p.refreshToken);
    expectOk(await meWith(pair.accessToken));
    expectOk(await refresh(pair.refreshToken));
    expectOk(await meWith(other.accessToken));
  });

  it('an admin ends every session of an account (revokeAccountSessions); others are FORBIDDEN', async () => {
    const p = await person();
    await signIn(app, p.username, p.password);
    const REVOKE_ALL = `mutation R($id: ID!) { revokeAccountSessions(accountId: $id, reason: "lost laptop") }`;
    expectErrorCode(await gql(app, REVOKE_ALL, { id: p.account.id }, { token: p.accessToken }), 'FORBIDDEN');
    const admin = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const before = await gql<{ account: { sessions: SessionView[] } }>(
      app,
      `query A($id: ID!) { account(id: $id) { sessions { id current } } }`,
      { id: p.account.id },
      { token: admin.accessToken },
    );
    expect(expectOk(before).account.sessions).toHaveLength(2);
    expect(expectOk(before).account.sessions.every((s) => !s.current)).toBe(true);
    expect(expectOk(await gql(app, REVOKE_ALL, { id: p.account.id }, { token: admin.accessToken })).revokeAccountSessions).toBe(2);
    await expectDead(p);
    expectErrorCode(await gql(app, REVOKE_ALL, { id: '00000000-0000-4000-8000-000000000000' }, { token: admin.accessToken }), 'NOT_FOUND');
  });

  it('an account keeps at most 50 live sessions: a new one ends the least recently used', async () => {
    const p = await person();
    const pairs: AuthPayload[] = [];
    for (let i = 0; i < 50; i++) pairs.push(await signIn(app, p.username, p.password));
    // p (sign-up) is the least recently used of 51.
    await expectDead(p);
    const sessions = await sessionsOf(pairs[49].accessToken);
    expect(sessions).toHaveLength(50);
    expectOk(await meWith(pairs[0].accessToken));
  });
});

describe('expiry', () => {
  let short: TestStack;
  beforeAll(async () => {
    short = await startStack({ name: 'sessions-expiry', env: { SESSION_IDLE_TTL: '3s', SESSION_TTL: '8s', ACCESS_TOKEN_TTL: '1m' } });
  }, 90_000);
  afterAll(async () => short?.stop());

  it('idle: a session not refreshed within SESSION_IDLE_TTL ends (refresh and access tokens)', async () => {
    const p = await signUp(short.app);
    await sleep(3_500);
    expectErrorCode(await meWith(p.accessToken, short.app), 'UNAUTHENTICATED');
    expectErrorCode(await refresh(p.refreshToken, short.app), 'UNAUTHENTICATED');
  });

  it('absolute: refreshing keeps it alive only until SESSION_TTL; expiresAt says the earlier end', async () => {
    const p = await signUp(short.app);
    const started = Date.now();
    expect(Date.parse(p.refreshTokenExpiresAt) - started).toBeLessThanOrEqual(3_500);
    let token = p.refreshToken;
    let last: AuthPayload | undefined;
    // Refreshes every second for 5 s (idle end: 3 s), well before the absolute end (8 s).
    while (Date.now() - started < 5_000) {
      await sleep(1_000);
      last = expectOk(await refresh(token, short.app)).refreshSession;
      token = last.refreshToken;
    }
    expect(Date.parse(last!.refreshTokenExpiresAt)).toBeLessThanOrEqual(started + 8_000);
    await sleep(Math.max(0, started + 8_300 - Date.now()));
    expectErrorCode(await refresh(token, short.app), 'UNAUTHENTICATED');
    expectErrorCode(await meWith(last!.accessToken, short.app), 'UNAUTHENTICATED');
  });
});

describe('metrics', () => {
  it('gatehouse_sessions_refreshed_total counts results', async () => {
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/gatehouse_sessions_refreshed_total\{result="success"\} [1-9]/);
    expect(text).toMatch(/gatehouse_sessions_refreshed_total\{result="reused"\} [1-9]/);
    expect(text).toMatch(/gatehouse_sessions_refreshed_total\{result="invalid"\} [1-9]/);
  });
});

const onPostgres = process.env.DATABASE_URL && process.env.REDIS_URL ? describe : describe.skip;
onPostgres('two instances on one PostgreSQL and Redis', () => {
  it('a session revoked on one is refused on the other at once; the refresh limit is shared', async () => {
    const cluster = await startCluster({ instances: 2, name: 'sessions-cluster' });
    try {
      const [a, b] = cluster.apps;
      const p = await signUp(a);
      const username = p.account.identifiers[0].value;
      const other = await signIn(b, username, p.password);
      expectOk(await meWith(p.accessToken, b));
      expectOk(await gql(a, SIGN_OUT, undefined, { token: p.accessToken }));
      expectErrorCode(await meWith(p.accessToken, b), 'UNAUTHENTICATED');
      expectErrorCode(await refresh(p.refreshToken, b), 'UNAUTHENTICATED');
      let token = other.refreshToken;
      for (let i = 0; i < 60; i++) token = expectOk(await refresh(token, i % 2 ? a : b)).refreshSession.refreshToken;
      expectErrorCode(await refresh(token, a), 'RATE_LIMITED');
    } finally {
      await cluster.stop();
    }
  });
});
