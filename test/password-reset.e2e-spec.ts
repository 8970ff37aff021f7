import type { Channel } from '@app/core';
import {
  Account,
  expectErrorCode,
  expectErrorCodeIn,
  expectNoInternalLeaks,
  expectOk,
  extractCode,
  gql,
  GqlResponse,
  identifierOf,
  ME,
  OtpChallenge,
  recordedErrorCount,
  signIn,
  signUp,
  sleep,
  startStack,
  strongPassword,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';
import { randomBytes } from 'node:crypto';
import {
  CONFIRM_CHANGE,
  median,
  Person,
  REQUEST_CHANGE,
  REQUEST_PASSWORD_RESET,
  RESET_PASSWORD,
  SIGN_IN_TOKEN,
  signUpVerified,
  VERIFY_RESET_CODE,
  wrongCode,
} from './support/flows';

// Contract README: Password reset (any identifier, decoys for unknown / unverified / disabled,
// single-use reset token that is not a session token), Passwords (policy, revocation), Security
// notices. Issue 4, Tests.

const ADMIN_USERNAME = `admin_${randomBytes(3).toString('hex')}`;
const ADMIN_PASSWORD = strongPassword();

let stack: TestStack;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack({ name: 'password-reset', env: { ADMIN_USERNAME, ADMIN_PASSWORD } });
  adminToken = (await signIn(stack.app, ADMIN_USERNAME, ADMIN_PASSWORD)).accessToken;
}, 90_000);

type Ticket = { resetToken: string; expiresAt: string };

const requestReset = (identifier: string, channel?: Channel, opts: { token?: string } = {}) =>
  gql<{ requestPasswordReset: OtpChallenge }>(stack.app, REQUEST_PASSWORD_RESET, { input: channel ? { identifier, channel } : { identifier } }, opts);
const verifyCode = (challengeId: string, code: string) =>
  gql<{ verifyPasswordResetCode: Ticket }>(stack.app, VERIFY_RESET_CODE, { input: { challengeId, code } });
const reset = (resetToken: string, newPassword: string) =>
  gql<{ resetPassword: { success: boolean } }>(stack.app, RESET_PASSWORD, { input: { resetToken, newPassword } });
const trySignIn = (identifier: string, password: string) => gql(stack.app, SIGN_IN_TOKEN, { input: { identifier, password } });

const SET_STATUS = `mutation SetStatus($id: ID!, $status: AccountStatus!) { setAccountStatus(accountId: $id, status: $status) { id status } }`;

function templateOf(m: { headers: Record<string, string> }): string | undefined {
  return m.headers['x-gatehouse-template'];
}

/** Reads the reset code for a challenge from the sink that matches its channel. */
async function codeFor(challenge: OtpChallenge, person: { email?: string; phone?: string }): Promise<string> {
  return challenge.channel === 'EMAIL' ? stack.smtp.waitForCode(person.email!) : stack.sms.waitForCode(person.phone!);
}

describe.each([
  ['email', 'EMAIL'],
  ['phone', 'SMS'],
  ['username', 'EMAIL'],
] as const)('full reset by %s', (by, expectedChannel) => {
  let person: Person;
  let oldToken: string;
  let ticket: Ticket;
  let newPassword: string;

  beforeAll(async () => {
    person = await signUpVerified(stack, { username: uniqueUsername('rs'), email: uniqueEmail('reset'), phone: uniquePhone() });
    oldToken = (await signIn(stack.app, person.email!, person.password)).accessToken;
  });

  it('sends a PASSWORD_RESET code to the matching verified contact; the code buys a reset token', async () => {
    const identifier = by === 'email' ? person.email!.toUpperCase() : by === 'phone' ? person.phone! : identifierOf(person.account, 'USERNAME')!.value;
    const t0 = Date.now();
    const challenge = expectOk(await requestReset(identifier)).requestPasswordReset;
    expect(challenge).toMatchObject({ purpose: 'PASSWORD_RESET', channel: expectedChannel, attemptsRemaining: 5 });
    expect(new Date(challenge.expiresAt).getTime()).toBeGreaterThan(t0);
    const code = await codeFor(challenge, person);
    const bad = expectErrorCode(await verifyCode(challenge.challengeId, wrongCode(code)), 'OTP_INVALID');
    expect(bad.extensions?.attemptsRemaining).toBe(4);
    ticket = expectOk(await verifyCode(challenge.challengeId, code)).verifyPasswordResetCode;
    expect(ticket.resetToken.length).toBeGreaterThanOrEqual(20);
    const ttl = (new Date(ticket.expiresAt).getTime() - Date.now()) / 60_000;
    expect(ttl).toBeGreaterThan(13);
    expect(ttl).toBeLessThanOrEqual(15.1);
    // The code is single use.
    expectErrorCode(await verifyCode(challenge.challengeId, code), 'OTP_INVALID');
  });

  it('the reset token is not a session token', async () => {
    expectErrorCode(await gql(stack.app, ME, undefined, { token: ticket.resetToken }), 'UNAUTHENTICATED');
  });

  it('a policy-refused new password is PASSWORD_POLICY and does not use the token up', async () => {
    expectErrorCode(await reset(ticket.resetToken, 'short'), 'PASSWORD_POLICY');
    expectErrorCode(await reset(ticket.resetToken, 'password123'), 'PASSWORD_POLICY');
    expectErrorCode(await reset(ticket.resetToken, person.email!), 'PASSWORD_POLICY');
    expectErrorCode(await reset(ticket.resetToken, `Zq9!${'x'.repeat(1100)}`), 'BAD_USER_INPUT', 'newPassword');
  });

  it('resets: answers only success; the new password signs in, the old does not, older tokens are refused', async () => {
    newPassword = strongPassword();
    const res = expectOk(await reset(ticket.resetToken, newPassword));
    expect(res).toEqual({ resetPassword: { success: true } });
    expectErrorCode(await trySignIn(person.email!, person.password), 'INVALID_CREDENTIALS');
    const fresh = await signIn(stack.app, person.email!, newPassword);
    expect(fresh.account.id).toBe(person.account.id);
    expectErrorCode(await gql(stack.app, ME, undefined, { token: oldToken }), 'UNAUTHENTICATED');
    expectErrorCode(await gql(stack.app, ME, undefined, { token: person.token }), 'UNAUTHENTICATED');
    expectOk(await gql(stack.app, ME, undefined, { token: fresh.accessToken }));
  });

  it('the reset token used twice is UNAUTHENTICATED', async () => {
    expectErrorCode(await reset(ticket.resetToken, strongPassword()), 'UNAUTHENTICATED');
    expectErrorCode(await gql(stack.app, ME, undefined, { token: ticket.resetToken }), 'UNAUTHENTICATED');
    await signIn(stack.app, person.email!, newPassword);
  });

  it('the account is told (notice.password_changed, no code)', async () => {
    const notice = await stack.smtp.waitFor((m) => m.to.includes(person.email!) && templateOf(m) === 'notice.password_changed');
    expect(extractCode(notice.text, 6)).toBeUndefined();
  });
});

describe('reset token', () => {
  it('an unknown or malformed reset token is UNAUTHENTICATED', async () => {
    for (const t of [randomBytes(32).toString('base64url'), 'x', 'not a token at all']) {
      expectErrorCode(await reset(t, strongPassword()), 'UNAUTHENTICATED');
    }
  });

  it('8 concurrent resets with one token: exactly one succeeds, the others are UNAUTHENTICATED, only its password works', async () => {
    const person = await signUpVerified(stack, { email: uniqueEmail('race') });
    const challenge = expectOk(await requestReset(person.email!)).requestPasswordReset;
    const { resetToken } = expectOk(await verifyCode(challenge.challengeId, await codeFor(challenge, person))).verifyPasswordResetCode;
    const passwords = Array.from({ length: 8 }, () => strongPassword());
    const answers = await Promise.all(passwords.map((p) => reset(resetToken, p)));
    const winners = passwords.filter((_, i) => answers[i].data?.resetPassword?.success === true);
    expect(winners).toHaveLength(1);
    for (const res of answers.filter((a) => !a.data?.resetPassword)) expectErrorCode(res, 'UNAUTHENTICATED');
    // Every one of the 8 passwords is tried: only the winner's signs in (7 failures stay under the budget of 10).
    const working: string[] = [];
    for (const p of passwords) if (!(await trySignIn(person.email!, p)).errors) working.push(p);
    expect(working).toEqual(winners);
  });

  it('with channel SMS a username reset goes to the phone; with no verified email it goes to the phone anyway', async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('ch'), phone: uniquePhone() });
    const c1 = expectOk(await requestReset(identifierOf(a.account, 'USERNAME')!.value, 'SMS')).requestPasswordReset;
    expect(c1.channel).toBe('SMS');
    await stack.sms.waitForCode(a.phone!);
    const phone = uniquePhone();
    const b = await signUpVerified(stack, { phone });
    const c2 = expectOk(await requestReset(identifierOf(b.account, 'USERNAME')!.value)).requestPasswordReset;
    expect(c2.channel).toBe('SMS');
    await stack.sms.waitForCode(phone);
  });

  it('a reset never goes to an unverified address', async () => {
    const email = uniqueEmail('unv');
    const p = await signUp(stack.app, { email });
    await stack.smtp.waitForCode(email); // the sign-up verification code
    expectOk(await requestReset(email));
    expectOk(await requestReset(identifierOf(p.account, 'USERNAME')!.value));
    await sleep(700);
    expect(stack.smtp.messagesTo(email)).toHaveLength(1);
  });

  it('a password change kills an open reset code', async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('kill') });
    const challenge = expectOk(await requestReset(a.email!)).requestPasswordReset;
    const code = await stack.smtp.waitForCode(a.email!);
    const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }`;
    expectOk(await gql(stack.app, CHANGE, { input: { currentPassword: a.password, newPassword: strongPassword() } }, { token: a.token }));
    expectErrorCode(await verifyCode(challenge.challengeId, code), 'OTP_INVALID');
  });

  it('a pending contact change is dead after a password reset', async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('pend') });
    const target = uniqueEmail('pend-new');
    const change = expectOk(
      await gql<{ requestContactChange: OtpChallenge }>(
        stack.app,
        REQUEST_CHANGE,
        { input: { type: 'EMAIL', newValue: target, currentPassword: a.password } },
        { token: a.token },
      ),
    ).requestContactChange;
    const changeCode = await stack.smtp.waitForCode(target);
    const challenge = expectOk(await requestReset(a.email!)).requestPasswordReset;
    const ticket = expectOk(await verifyCode(challenge.challengeId, await stack.smtp.waitForCode(a.email!))).verifyPasswordResetCode;
    const newPassword = strongPassword();
    expectOk(await reset(ticket.resetToken, newPassword));
    const token = (await signIn(stack.app, a.email!, newPassword)).accessToken;
    expectErrorCode(await gql(stack.app, CONFIRM_CHANGE, { input: { challengeId: change.challengeId, code: changeCode } }, { token }), 'OTP_INVALID');
    const mine = expectOk(await gql<{ me: Account }>(stack.app, ME, undefined, { token })).me;
    expect(mine.identifiers.filter((i) => i.type === 'EMAIL').map((i) => i.value)).toEqual([a.email]);
  });
});

describe('no enumeration', () => {
  const KINDS = ['known', 'unknown', 'unverified', 'disabled'] as const;
  type Kind = (typeof KINDS)[number];
  const emails: Record<Kind, string[]> = { known: [], unknown: [], unverified: [], disabled: [] };
  const sentBefore = new Map<string, number>();
  const answers: Record<Kind, Array<{ res: GqlResponse<{ requestPasswordReset: OtpChallenge }>; t0: number; ms: number }>> = {
    known: [],
    unknown: [],
    unverified: [],
    disabled: [],
  };
  const ROUNDS = 4;

  beforeAll(async () => {
    for (let i = 0; i < ROUNDS; i += 1) {
      // Same local-part length for every kind, so masked destinations can be compared letter for letter.
      const known = await signUpVerified(stack, { email: uniqueEmail('enum') });
      emails.known.push(known.email!);
      emails.unknown.push(uniqueEmail('enum'));
      const unverified = uniqueEmail('enum');
      await signUp(stack.app, { email: unverified });
      await stack.smtp.waitForCode(unverified);
      emails.unverified.push(unverified);
      const disabled = await signUpVerified(stack, { email: uniqueEmail('enum') });
      expectOk(await gql(stack.app, SET_STATUS, { id: disabled.account.id, status: 'BLOCKED' }, { token: adminToken }));
      emails.disabled.push(disabled.email!);
    }
    for (const k of KINDS) for (const e of emails[k]) sentBefore.set(e, stack.smtp.messagesTo(e).length);
    // Interleaved, so drift in machine load hits every kind alike.
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const k of KINDS) {
        const t0 = Date.now();
        const res = await requestReset(emails[k][i]);
        answers[k].push({ res, t0, ms: Date.now() - t0 });
      }
    }
  });

  function normalized(a: { res: GqlResponse<{ requestPasswordReset: OtpChallenge }>; t0: number }) {
    const c = expectOk(a.res).requestPasswordReset;
    return {
      ...c,
      challengeId: c.challengeId.replace(/[A-Za-z0-9_-]/g, 'x'),
      destination: c.destination.replace(/[a-z0-9]/gi, 'x'),
      // Compared as offsets from the request time in the next test.
      expiresAt: typeof c.expiresAt,
      resendAvailableAt: typeof c.resendAvailableAt,
    };
  }

  it('the full JSON differs only in challengeId and masked letters', () => {
    const reference = answers.known[0];
    const keys = Object.keys(reference.res.raw).sort();
    for (const k of KINDS) {
      for (const a of answers[k]) {
        expect(Object.keys(a.res.raw).sort()).toEqual(keys);
        expect(Object.keys(a.res.raw.data.requestPasswordReset).sort()).toEqual(Object.keys(reference.res.raw.data.requestPasswordReset).sort());
        expect({ kind: k, ...normalized(a) }).toEqual({ kind: k, ...normalized(reference) });
        expect(a.res.headers.get('content-length') === null).toBe(reference.res.headers.get('content-length') === null);
      }
    }
  });

  it('expiresAt and resendAvailableAt offsets agree within 2 s', () => {
    const offsets = (field: 'expiresAt' | 'resendAvailableAt') =>
      KINDS.flatMap((k) => answers[k].map((a) => new Date(expectOk(a.res).requestPasswordReset[field]).getTime() - a.t0));
    for (const field of ['expiresAt', 'resendAvailableAt'] as const) {
      const o = offsets(field);
      expect(Math.max(...o) - Math.min(...o)).toBeLessThanOrEqual(2_000);
    }
  });

  it('challenge ids are well-formed alike (length and alphabet)', () => {
    const ids = KINDS.flatMap((k) => answers[k].map((a) => expectOk(a.res).requestPasswordReset.challengeId));
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('latency medians (reported, not asserted)', () => {
    const report = KINDS.map((k) => `${k}=${median(answers[k].map((a) => a.ms)).toFixed(1)}ms`).join(' ');
    console.log(`requestPasswordReset median latency over ${ROUNDS} rounds: ${report}`);
    expect(report).toContain('known=');
  });

  it('only the known address gets a code', async () => {
    await sleep(800);
    for (const e of emails.known) expect(stack.smtp.messagesTo(e).length).toBe(sentBefore.get(e)! + 1);
    for (const k of ['unknown', 'unverified', 'disabled'] as const) {
      for (const e of emails[k]) expect({ e, n: stack.smtp.messagesTo(e).length }).toEqual({ e, n: sentBefore.get(e) });
    }
  });

  it('a wrong code gets the same countdown everywhere, and a second request the same answer', async () => {
    const first: Record<string, unknown> = {};
    const second: Record<string, unknown> = {};
    for (const k of KINDS) {
      const c = expectOk(answers[k][0].res).requestPasswordReset;
      const err = expectErrorCode(await verifyCode(c.challengeId, '000000'), 'OTP_INVALID');
      first[k] = err.extensions?.attemptsRemaining;
      const again = await requestReset(emails[k][0]);
      second[k] = again.errors ? again.errors.map((e) => [e.extensions?.code, typeof e.extensions?.retryAfterSeconds]) : 'ok';
    }
    expect(first).toEqual({ known: 4, unknown: 4, unverified: 4, disabled: 4 });
    expect(second.unknown).toEqual(second.known);
    expect(second.unverified).toEqual(second.known);
    expect(second.disabled).toEqual(second.known);
  });

  it('unknown usernames and phones are answered in the style of real ones', async () => {
    const withEmail = await signUpVerified(stack, { email: uniqueEmail('style') });
    const realUser = expectOk(await requestReset(identifierOf(withEmail.account, 'USERNAME')!.value)).requestPasswordReset;
    const fakeUser = expectOk(await requestReset(uniqueUsername('ghost'))).requestPasswordReset;
    expect(fakeUser.channel).toBe(realUser.channel);
    expect(fakeUser.destination).toMatch(/^.+@.+\..+$/);
    expect(fakeUser.destination).toContain('*');
    const phone = uniquePhone();
    await signUpVerified(stack, { phone });
    const realPhone = expectOk(await requestReset(phone)).requestPasswordReset;
    const fakePhone = expectOk(await requestReset(uniquePhone())).requestPasswordReset;
    expect(fakePhone.channel).toBe('SMS');
    expect(fakePhone.destination.replace(/\d/g, '#')).toBe(realPhone.destination.replace(/\d/g, '#'));
  });
});

describe('bad input', () => {
  it.each([
    ['an empty identifier', { identifier: '' }],
    ['an identifier of 5,000 characters', { identifier: `${'a'.repeat(5000)}@example.com` }],
    ['an identifier with a zero-width character', { identifier: `ab\u200Bc@example.com` }],
    ['an identifier with a control character', { identifier: `abc\u0007@example.com` }],
    ['a malformed email', { identifier: 'a@@b' }],
  ])('requestPasswordReset with %s is BAD_USER_INPUT', async (_l, input) => {
    const res = await gql(stack.app, REQUEST_PASSWORD_RESET, { input });
    expectErrorCode(res, 'BAD_USER_INPUT');
  });

  it('requestPasswordReset with an unknown channel or a missing identifier is refused before it runs', async () => {
    for (const input of [{ identifier: 'someone@example.com', channel: 'PIGEON' }, { channel: 'EMAIL' }, { identifier: 42 }]) {
      const res = await gql(stack.app, REQUEST_PASSWORD_RESET, { input });
      expect(res.status).toBe(400);
      expectErrorCodeIn(res, ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it.each([
    ['an empty challenge id', '', '123456'],
    ['a challenge id of 5,000 characters', 'x'.repeat(5000), '123456'],
    ['an empty code', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', ''],
    ['letters as the code', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', 'abcdef'],
    ['a code of 5,000 digits', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', '1'.repeat(5000)],
  ])('verifyPasswordResetCode with %s is refused (BAD_USER_INPUT or OTP_INVALID)', async (_l, challengeId, code) => {
    const res = await verifyCode(challengeId, code);
    expectErrorCodeIn(res, ['BAD_USER_INPUT', 'OTP_INVALID']);
    if (challengeId.length > 1000 || code.length > 1000) expectErrorCode(res, 'BAD_USER_INPUT');
  });

  it('resetPassword with an empty token, a 5,000-character token or a 2,000-character password is refused', async () => {
    expectErrorCodeIn(await reset('', strongPassword()), ['BAD_USER_INPUT', 'UNAUTHENTICATED']);
    expectErrorCode(await reset('t'.repeat(5000), strongPassword()), 'BAD_USER_INPUT');
    expectErrorCode(await reset(randomBytes(32).toString('base64url'), `Zq9!${'x'.repeat(2000)}`), 'BAD_USER_INPUT', 'newPassword');
    const missing = await gql(stack.app, RESET_PASSWORD, { input: { resetToken: 'abc' } });
    expect(missing.status).toBe(400);
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
