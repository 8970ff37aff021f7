import { createDecipheriv, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  extractCode,
  gql,
  GqlResponse,
  hasExternalDatabase,
  ME,
  signIn,
  signUp,
  sleep,
  startStack,
  stopAllApps,
  strongPassword,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';
import { REQUEST_PASSWORD_RESET, RESEND_OTP, RESET_PASSWORD, signUpVerified, VERIFY_RESET_CODE, wrongCode } from './support/flows';
import { totpAt } from './support/totp';

// Contract README: Second factor (TOTP, code by email / SMS, recovery codes, the second step),
// Abuse limits (wrong second-step codes share the account's sign-in budget), Errors
// (SECOND_FACTOR_REQUIRED, SECOND_FACTOR_ALREADY_ENABLED), SECOND_FACTOR_REQUIRED_ROLES.

jest.setTimeout(180_000);

const PAIR = `accessToken refreshToken sessionId account { id }`;
const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${PAIR} } }`;
const BEGIN = `mutation Begin($input: BeginTotpEnrollmentInput!) { beginTotpEnrollment(input: $input) { enrollmentId otpauthUri secret expiresAt } }`;
/** What BEGIN returns. */
type Begun = { beginTotpEnrollment: { enrollmentId: string; otpauthUri: string; secret: string; expiresAt: string } };
const CONFIRM = `mutation Confirm($input: ConfirmTotpEnrollmentInput!) { confirmTotpEnrollment(input: $input) { codes generatedAt } }`;
const ENABLE_CODE = `mutation Enable($input: EnableCodeSecondFactorInput!) { enableCodeSecondFactor(input: $input) { codes generatedAt } }`;
const DISABLE = `mutation Disable($input: DisableSecondFactorInput!) { disableSecondFactor(input: $input) { id secondFactor { enabled methods recoveryCodesRemaining } } }`;
const REGENERATE = `mutation Regenerate($input: RegenerateRecoveryCodesInput!) { regenerateRecoveryCodes(input: $input) { codes generatedAt } }`;
const COMPLETE = `mutation Complete($input: CompleteSignInInput!) { completeSignIn(input: $input) { ${PAIR} } }`;
const REQUEST_CODE = `mutation RequestCode($input: RequestSecondFactorCodeInput!) {
  requestSecondFactorCode(input: $input) { challengeId purpose channel destination expiresAt resendAvailableAt attemptsRemaining }
}`;
const STATUS = `query { me { id secondFactor { enabled methods recoveryCodesRemaining } sessions { id authMethods current } } }`;
const SIGN_IN_CODE = `mutation Req($input: RequestSignInCodeInput!) { requestSignInCode(input: $input) { challengeId channel } }`;
const SIGN_IN_WITH_CODE = `mutation WithCode($input: SubmitOtpInput!) { signInWithCode(input: $input) { ${PAIR} } }`;
const RESET_2FA = `mutation Reset($id: ID!, $reason: String!) { resetSecondFactor(accountId: $id, reason: $reason) { id secondFactor { enabled } } }`;

interface Status {
  enabled: boolean;
  methods: string[];
  recoveryCodesRemaining: number;
}

const ADMIN_USERNAME = uniqueUsername('adm');
const ADMIN_PASSWORD = strongPassword();
/** 64 hex digits: the raw AES-256 key (so the PostgreSQL test can open what the service sealed). */
const SECRETS_KEY = randomBytes(32).toString('hex');

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({
    name: 'second-factor',
    env: {
      BCRYPT_COST: '4',
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '100',
      ADMIN_USERNAME,
      ADMIN_PASSWORD,
      SECRETS_ENCRYPTION_KEY: SECRETS_KEY,
    },
  });
}, 90_000);

afterAll(async () => {
  expectNoInternalLeaks();
  await stack?.stop();
  await stopAllApps();
});

/** The TOTP code of `secret` at now + offsetSteps × 30 s (otplib: SHA-1, 6 digits, 30 s). */
const totp = (secret: string, offsetSteps = 0) => totpAt(secret, Math.floor(Date.now() / 1000) + offsetSteps * 30);

/** Waits out the last 4 s of a 30 s step, so a code generated now is judged in the same step. */
/** Waits, if need be, for a TOTP step with at least `left` seconds to run (codes computed now stay codes of this step). */
async function awayFromStepEdge(left = 4): Promise<void> {
  const into = (Date.now() / 1000) % 30;
  if (into > 30 - left) await sleep((30 - into + 0.5) * 1000);
}

const status = async (token: string) =>
  expectOk(await gql<{ me: { secondFactor: Status; sessions: Array<{ authMethods: string[]; current: boolean }> } }>(stack.app, STATUS, undefined, { token }))
    .me;
const passwordSignIn = (identifier: string, password: string) => gql(stack.app, SIGN_IN, { input: { identifier, password } });
const complete = (ticket: string, method: string, code: string) =>
  gql<{ completeSignIn: { accessToken: string; sessionId: string } }>(stack.app, COMPLETE, { input: { ticket, method, code } });

/** A right password of an account with a second factor: SECOND_FACTOR_REQUIRED and its extensions. */
function secondStep(res: GqlResponse) {
  const err = expectErrorCode(res, 'SECOND_FACTOR_REQUIRED');
  const ext = err.extensions ?? {};
  expect(typeof ext.ticket).toBe('string');
  expect(ext.ticket.length).toBeGreaterThanOrEqual(40);
  return ext as { ticket: string; methods: string[]; challengeId?: string; destination?: string; expiresAt?: string };
}

async function person() {
  const p = await signUp(stack.app);
  return { ...p, username: p.account.identifiers[0].value, token: p.accessToken };
}

/** Turns TOTP on with a first code one step old (±1 step of drift); returns the secret and the recovery codes. */
async function withTotp(p: { token: string; password: string }) {
  const begun = expectOk(await gql(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token })).beginTotpEnrollment;
  await awayFromStepEdge();
  const codes = expectOk(
    await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: await totp(begun.secret, -1) } }, { token: p.token }),
  ).confirmTotpEnrollment;
  return { secret: begun.secret as string, codes: codes.codes as string[], enrollment: begun };
}

/** RFC 4648 base32 (the `secret` of an enrollment) to its bytes. */
function fromBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    value = ((value << 5) | alphabet.indexOf(ch)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

describe('TOTP', () => {
  it('enrollment shows the secret once; the first code turns TOTP on, returns 10 recovery codes and ends the other sessions', async () => {
    const p = await person();
    const other = await signIn(stack.app, p.username, p.password);
    const begun = expectOk(await gql<Begun>(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token })).beginTotpEnrollment;
    expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect(begun.otpauthUri.startsWith(`otpauth://totp/Gatehouse:${p.username}?`)).toBe(true);
    expect(new URL(begun.otpauthUri).searchParams.get('secret')).toBe(begun.secret);
    expect(new URL(begun.otpauthUri).searchParams.get('issuer')).toBe('Gatehouse');
    expect(new Date(begun.expiresAt).getTime() - Date.now()).toBeGreaterThan(8 * 60_000);
    // Wrong password first: INVALID_CREDENTIALS; a wrong first code: OTP_INVALID.
    expectErrorCode(await gql(stack.app, BEGIN, { input: { currentPassword: 'Wrong-password-1' } }, { token: p.token }), 'INVALID_CREDENTIALS');
    await awayFromStepEdge();
    const wrong = expectErrorCode(
      await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: wrongCode(await totp(begun.secret)) } }, { token: p.token }),
      'OTP_INVALID',
    );
    expect(wrong.extensions?.attemptsRemaining).toBe(4);
    expect((await status(p.token)).secondFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });

    const codes = expectOk(
      await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: await totp(begun.secret) } }, { token: p.token }),
    ).confirmTotpEnrollment;
    expect(codes.codes).toHaveLength(10);
    expect(new Set(codes.codes).size).toBe(10);
    for (const c of codes.codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{2}$/);
    expect((await status(p.token)).secondFactor).toEqual({ enabled: true, methods: ['TOTP', 'RECOVERY_CODE'], recoveryCodesRemaining: 10 });
    // The session that enrolled stays; the one opened with the password alone ends.
    expectErrorCode(await gql(stack.app, ME, undefined, { token: other.accessToken }), 'UNAUTHENTICATED');
    // Already on: enrolling again is refused; the confirmed enrollment cannot be confirmed twice.
    expectErrorCode(await gql(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token }), 'SECOND_FACTOR_ALREADY_ENABLED');
    expectErrorCode(
      await gql(stack.app, ENABLE_CODE, { input: { channel: 'EMAIL', currentPassword: p.password } }, { token: p.token }),
      'SECOND_FACTOR_ALREADY_ENABLED',
    );
  });

  it('a right password answers SECOND_FACTOR_REQUIRED; completeSignIn with a TOTP code returns the session', async () => {
    const p = await person();
    const { secret } = await withTotp(p);
    const step = secondStep(await passwordSignIn(p.username, p.password));
    expect(step.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    expect(step.challengeId).toBeUndefined();
    await awayFromStepEdge();
    const session = expectOk(await complete(step.ticket, 'TOTP', await totp(secret))).completeSignIn;
    const me = await status(session.accessToken);
    expect(me.sessions.find((s) => s.current)?.authMethods).toEqual(['PASSWORD', 'TOTP']);
    // The ticket is single-use.
    expectErrorCode(await complete(step.ticket, 'TOTP', await totp(secret, 1)), 'UNAUTHENTICATED');
  });

  it('a code is accepted once: the same code, or an earlier step, is OTP_INVALID; one step old works, three do not', async () => {
    const p = await person();
    // The whole test in one TOTP step: "one step old" must stay the step enrollment accepted (a wait for a
    // step edge after the enrollment moved it to the enrollment's own step, which was never accepted).
    await awayFromStepEdge(15);
    const { secret } = await withTotp(p); // accepted the step before now
    // Three steps old: outside the ±1 window.
    let step = secondStep(await passwordSignIn(p.username, p.password));
    const old = expectErrorCode(await complete(step.ticket, 'TOTP', await totp(secret, -3)), 'OTP_INVALID');
    expect(old.extensions?.attemptsRemaining).toBe(4);
    // One step old but already accepted at enrollment: a replay.
    expectErrorCode(await complete(step.ticket, 'TOTP', await totp(secret, -1)), 'OTP_INVALID');
    const now = await totp(secret);
    expectOk(await complete(step.ticket, 'TOTP', now));
    // The same code on a fresh ticket: refused (replay), so is the step before it.
    step = secondStep(await passwordSignIn(p.username, p.password));
    expectErrorCode(await complete(step.ticket, 'TOTP', now), 'OTP_INVALID');
    // One step ahead is within the drift window and newer than the last accepted step.
    expectOk(await complete(step.ticket, 'TOTP', await totp(secret, 1)));
  });

  it('wrong codes count against the ticket: attemptsRemaining, then OTP_MAX_ATTEMPTS ends it', async () => {
    const p = await person();
    const { secret } = await withTotp(p);
    const step = secondStep(await passwordSignIn(p.username, p.password));
    await awayFromStepEdge();
    const bad = wrongCode(await totp(secret));
    for (const left of [4, 3, 2, 1]) {
      expect(expectErrorCode(await complete(step.ticket, 'TOTP', bad), 'OTP_INVALID').extensions?.attemptsRemaining).toBe(left);
    }
    expectErrorCode(await complete(step.ticket, 'TOTP', bad), 'OTP_MAX_ATTEMPTS');
    // The ticket is dead, even for the right code.
    expectErrorCode(await complete(step.ticket, 'TOTP', await totp(secret, 1)), 'UNAUTHENTICATED');
  });

  it('wrong second-step codes spend the account sign-in budget: the password then the second step are RATE_LIMITED', async () => {
    const p = await person();
    const { secret } = await withTotp(p);
    // Right passwords in between do not wipe the count of wrong second-step codes.
    const tickets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const step = secondStep(await passwordSignIn(p.username, p.password));
      tickets.push(step.ticket);
      for (let k = 0; k < 5; k++) await complete(step.ticket, 'TOTP', '000000');
    }
    expectErrorCode(await passwordSignIn(p.username, p.password), 'RATE_LIMITED');
    expectErrorCode(await gql(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token }), 'RATE_LIMITED');
    void secret;
  });

  it("unknown tickets and another account's codes: UNAUTHENTICATED and OTP_INVALID", async () => {
    expectErrorCode(await complete('not-a-ticket', 'TOTP', '123456'), 'UNAUTHENTICATED');
    expectErrorCode(await complete('A'.repeat(43), 'TOTP', '123456'), 'UNAUTHENTICATED');
    const alice = await person();
    const bob = await person();
    const a = await withTotp(alice);
    const b = await withTotp(bob);
    const step = secondStep(await passwordSignIn(alice.username, alice.password));
    await awayFromStepEdge();
    // Bob's TOTP code and Bob's recovery code do not open Alice's ticket.
    expectErrorCode(await complete(step.ticket, 'TOTP', await totp(b.secret, 1)), 'OTP_INVALID');
    expectErrorCode(await complete(step.ticket, 'RECOVERY_CODE', b.codes[0]), 'OTP_INVALID');
    // A method the ticket does not offer.
    expectErrorCode(await complete(step.ticket, 'EMAIL', '123456'), 'BAD_USER_INPUT', 'method');
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: step.ticket, channel: 'EMAIL' } }), 'BAD_USER_INPUT', 'channel');
    expectOk(await complete(step.ticket, 'TOTP', await totp(a.secret, 1)));
  });
  it("confirmTotpEnrollment: an unknown enrollment, or another account's with its right code, is NOT_FOUND", async () => {
    const alice = await person();
    const bob = await person();
    const begun = expectOk(await gql<Begun>(stack.app, BEGIN, { input: { currentPassword: alice.password } }, { token: alice.token })).beginTotpEnrollment;
    await awayFromStepEdge();
    const code = await totp(begun.secret);
    expectErrorCode(
      await gql(stack.app, CONFIRM, { input: { enrollmentId: '00000000-0000-4000-8000-000000000000', code } }, { token: alice.token }),
      'NOT_FOUND',
    );
    expectErrorCode(await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code } }, { token: bob.token }), 'NOT_FOUND');
    expect((await status(bob.token)).secondFactor.enabled).toBe(false);
    expect((await status(alice.token)).secondFactor.enabled).toBe(false);
    // Bob's attempt did not use Alice's enrollment up.
    expectOk(await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code } }, { token: alice.token }));
  });

  it('a TOTP account with a verified email and phone is offered TOTP and recovery codes only, after a password or a sign-in code', async () => {
    const email = uniqueEmail('tfo');
    const phone = uniquePhone();
    const p = await signUpVerified(stack, { email, phone });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    const { secret } = await withTotp(p);
    const byPassword = secondStep(await passwordSignIn(username, p.password));
    expect(byPassword.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    expect(byPassword.challengeId).toBeUndefined();
    for (const channel of ['EMAIL', 'SMS']) {
      expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: byPassword.ticket, channel } }), 'BAD_USER_INPUT', 'channel');
      expectErrorCode(await complete(byPassword.ticket, channel, '123456'), 'BAD_USER_INPUT', 'method');
    }
    // A sign-in code by email is the first step; the second is the app.
    const req = expectOk(await gql(stack.app, SIGN_IN_CODE, { input: { identifier: email } })).requestSignInCode;
    const byCode = secondStep(await gql(stack.app, SIGN_IN_WITH_CODE, { input: { challengeId: req.challengeId, code: await stack.smtp.waitForCode(email) } }));
    expect(byCode.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    expect(byCode.challengeId).toBeUndefined();
    await awayFromStepEdge();
    const session = expectOk(await complete(byCode.ticket, 'TOTP', await totp(secret))).completeSignIn;
    expect((await status(session.accessToken)).sessions.find((s) => s.current)?.authMethods).toEqual(['CODE', 'TOTP']);
    // No second-step code ever went out: the phone has its verification code only.
    await sleep(1500);
    expect(stack.sms.messagesTo(phone)).toHaveLength(1);
  });
});

describe('recovery codes', () => {
  it('sign in with a recovery code once; regenerate invalidates the old ones', async () => {
    const p = await person();
    const { codes } = await withTotp(p);
    let step = secondStep(await passwordSignIn(p.username, p.password));
    const session = expectOk(await complete(step.ticket, 'RECOVERY_CODE', codes[0].toUpperCase())).completeSignIn;
    const me = await status(session.accessToken);
    expect(me.sessions.find((s) => s.current)?.authMethods).toEqual(['PASSWORD', 'RECOVERY_CODE']);
    expect(me.secondFactor.recoveryCodesRemaining).toBe(9);
    step = secondStep(await passwordSignIn(p.username, p.password));
    expectErrorCode(await complete(step.ticket, 'RECOVERY_CODE', codes[0]), 'OTP_INVALID');

    const fresh = expectOk(await gql(stack.app, REGENERATE, { input: { currentPassword: p.password } }, { token: p.token })).regenerateRecoveryCodes;
    expect(fresh.codes).toHaveLength(10);
    expectErrorCode(await complete(step.ticket, 'RECOVERY_CODE', codes[1]), 'OTP_INVALID');
    expectOk(await complete(step.ticket, 'RECOVERY_CODE', fresh.codes[1]));
  });

  it('disable needs the password and a TOTP or recovery code; wrong ones are refused', async () => {
    const p = await person();
    const { codes } = await withTotp(p);
    expectErrorCode(await gql(stack.app, DISABLE, { input: { currentPassword: p.password, code: 'zzzz-zzzz-zz' } }, { token: p.token }), 'OTP_INVALID');
    expectErrorCode(
      await gql(stack.app, DISABLE, { input: { currentPassword: 'Wrong-password-1', code: codes[0] } }, { token: p.token }),
      'INVALID_CREDENTIALS',
    );
    const off = expectOk(await gql(stack.app, DISABLE, { input: { currentPassword: p.password, code: codes[0] } }, { token: p.token })).disableSecondFactor;
    expect(off.secondFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });
    // The password alone signs in again.
    expectOk(await passwordSignIn(p.username, p.password));
  });

  it('20 concurrent uses of one recovery code: exactly one succeeds', async () => {
    const p = await person();
    const { codes } = await withTotp(p);
    const tickets: string[] = [];
    for (let i = 0; i < 20; i++) tickets.push(secondStep(await passwordSignIn(p.username, p.password)).ticket);
    const results = await Promise.all(tickets.map((t) => complete(t, 'RECOVERY_CODE', codes[3])));
    const ok = results.filter((r) => !r.errors?.length);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.errors?.length)) expect(['OTP_INVALID', 'RATE_LIMITED']).toContain(r.errors![0].extensions?.code);
    // At least two really raced (the others may meet the account's failure budget first).
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'OTP_INVALID').length).toBeGreaterThanOrEqual(1);
  });
  it('wrong codes at disableSecondFactor spend the account sign-in budget: then disable and the password are RATE_LIMITED', async () => {
    const p = await person();
    const { codes } = await withTotp(p);
    for (let i = 0; i < 10; i++) {
      expectErrorCode(await gql(stack.app, DISABLE, { input: { currentPassword: p.password, code: 'zzzz-zzzz-zz' } }, { token: p.token }), 'OTP_INVALID');
    }
    expectErrorCode(await gql(stack.app, DISABLE, { input: { currentPassword: p.password, code: codes[0] } }, { token: p.token }), 'RATE_LIMITED');
    expectErrorCode(await passwordSignIn(p.username, p.password), 'RATE_LIMITED');
    // Refused before the code was looked at: the factor is on and the recovery code unspent.
    expect((await status(p.token)).secondFactor).toEqual({ enabled: true, methods: ['TOTP', 'RECOVERY_CODE'], recoveryCodesRemaining: 10 });
  });

  it('using a recovery code, regenerating them and turning the factor off each send a security notice (no code in it)', async () => {
    const email = uniqueEmail('tfn');
    const p = await signUpVerified(stack, { email });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    const { codes } = await withTotp(p);
    const notice = (subject: RegExp) => stack.smtp.waitFor((m) => m.to.includes(email) && subject.test(m.subject));
    await notice(/two-step sign-in is now on/i);
    const step = secondStep(await passwordSignIn(username, p.password));
    expectOk(await complete(step.ticket, 'RECOVERY_CODE', codes[0]));
    await notice(/recovery code was used/i);
    const fresh = expectOk(await gql(stack.app, REGENERATE, { input: { currentPassword: p.password } }, { token: p.token })).regenerateRecoveryCodes;
    await notice(/new .*recovery codes were created/i);
    expectOk(await gql(stack.app, DISABLE, { input: { currentPassword: p.password, code: fresh.codes[0] } }, { token: p.token }));
    await notice(/two-step sign-in was turned off/i);
    for (const m of stack.smtp.messagesTo(email)) {
      for (const c of [...codes, ...(fresh.codes as string[])]) expect(`${m.subject}\n${m.text}`.toLowerCase()).not.toContain(c);
    }
  });
});

describe('a code by email / SMS as the second step', () => {
  it('email end to end: the code is sent with SECOND_FACTOR_REQUIRED; resendOtp works; completeSignIn with it', async () => {
    const email = uniqueEmail('tf');
    const p = await signUpVerified(stack, { email });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    // No phone: SMS cannot be turned on.
    expectErrorCode(
      await gql(stack.app, ENABLE_CODE, { input: { channel: 'SMS', currentPassword: p.password } }, { token: p.token }),
      'BAD_USER_INPUT',
      'channel',
    );
    const codes = expectOk(
      await gql(stack.app, ENABLE_CODE, { input: { channel: 'EMAIL', currentPassword: p.password } }, { token: p.token }),
    ).enableCodeSecondFactor;
    expect(codes.codes).toHaveLength(10);
    await stack.smtp.waitFor((m) => m.to.includes(email) && /two-step sign-in is now on/i.test(m.subject));

    const step = secondStep(await passwordSignIn(username, p.password));
    expect(step.methods).toEqual(['EMAIL', 'RECOVERY_CODE']);
    expect(step.challengeId).toBeDefined();
    expect(step.destination).toMatch(/\*\*\*@example\.com$/);
    expect(new Date(step.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    const first = await stack.smtp.waitForCode(email);
    // resendOtp on the SECOND_FACTOR challenge: a new code, the old one dies.
    expectOk(await gql(stack.app, RESEND_OTP, { id: step.challengeId }));
    const second = await stack.smtp.waitForCode(email);
    if (first !== second) expectErrorCode(await complete(step.ticket, 'EMAIL', first), 'OTP_INVALID');
    const session = expectOk(await complete(step.ticket, 'EMAIL', second)).completeSignIn;
    expect((await status(session.accessToken)).sessions.find((s) => s.current)?.authMethods).toEqual(['PASSWORD', 'EMAIL']);

    // requestSecondFactorCode: only on an offered channel.
    const again = secondStep(await passwordSignIn(username, p.password));
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: again.ticket, channel: 'SMS' } }), 'BAD_USER_INPUT', 'channel');
    const challenge = expectOk(await gql(stack.app, REQUEST_CODE, { input: { ticket: again.ticket, channel: 'EMAIL' } })).requestSecondFactorCode;
    expect(challenge.purpose).toBe('SECOND_FACTOR');
    await stack.smtp.waitForCode(email); // the one sent with SECOND_FACTOR_REQUIRED
    const latest = await stack.smtp.waitForCode(email);
    expectOk(await complete(again.ticket, 'EMAIL', latest));
  });

  it('the second step never offers the channel that proved the first (sign-in code by email → recovery code only)', async () => {
    const email = uniqueEmail('tfc');
    const p = await signUpVerified(stack, { email });
    const codes = expectOk(
      await gql(stack.app, ENABLE_CODE, { input: { channel: 'EMAIL', currentPassword: p.password } }, { token: p.token }),
    ).enableCodeSecondFactor;
    await stack.smtp.waitFor((m) => m.to.includes(email) && /two-step/i.test(m.subject));
    const req = expectOk(await gql(stack.app, SIGN_IN_CODE, { input: { identifier: email } })).requestSignInCode;
    const code = await stack.smtp.waitForCode(email);
    const step = secondStep(await gql(stack.app, SIGN_IN_WITH_CODE, { input: { challengeId: req.challengeId, code } }));
    expect(step.methods).toEqual(['RECOVERY_CODE']);
    expect(step.challengeId).toBeUndefined();
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: step.ticket, channel: 'EMAIL' } }), 'BAD_USER_INPUT', 'channel');
    const session = expectOk(await complete(step.ticket, 'RECOVERY_CODE', codes.codes[0])).completeSignIn;
    expect((await status(session.accessToken)).sessions.find((s) => s.current)?.authMethods).toEqual(['CODE', 'RECOVERY_CODE']);
  });

  it('for 24 h after a password reset, the channel that carried the reset code is not offered', async () => {
    const email = uniqueEmail('tfr');
    const phone = uniquePhone();
    const p = await signUpVerified(stack, { email, phone });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    expectOk(await gql(stack.app, ENABLE_CODE, { input: { channel: 'EMAIL', currentPassword: p.password } }, { token: p.token }));
    let step = secondStep(await passwordSignIn(username, p.password));
    expect(step.methods).toEqual(['EMAIL', 'SMS', 'RECOVERY_CODE']);

    const reset = expectOk(await gql(stack.app, REQUEST_PASSWORD_RESET, { input: { identifier: email } })).requestPasswordReset;
    await stack.smtp.waitForCode(email); // the second-step code sent above
    const resetCode = await stack.smtp.waitFor((m) => m.to.includes(email) && /reset/i.test(m.subject));
    const code = extractCode(resetCode.text, 6)!; // the address may hold six digits in a row
    const ticket = expectOk(await gql(stack.app, VERIFY_RESET_CODE, { input: { challengeId: reset.challengeId, code } })).verifyPasswordResetCode;
    const newPassword = strongPassword();
    expectOk(await gql(stack.app, RESET_PASSWORD, { input: { resetToken: ticket.resetToken, newPassword } }));

    step = secondStep(await passwordSignIn(username, newPassword));
    expect(step.methods).toEqual(['SMS', 'RECOVERY_CODE']);
    expect(step.destination).toMatch(/\*\*\*/);
    const sms = await stack.sms.waitForCode(phone);
    expectOk(await complete(step.ticket, 'SMS', sms));
  });
  it('SMS end to end: the code is texted with SECOND_FACTOR_REQUIRED; after a sign-in code by SMS, the email carries the second step', async () => {
    const email = uniqueEmail('tfs');
    const phone = uniquePhone();
    const p = await signUpVerified(stack, { email, phone });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    expectOk(await gql(stack.app, ENABLE_CODE, { input: { channel: 'SMS', currentPassword: p.password } }, { token: p.token }));
    expect((await status(p.token)).secondFactor).toEqual({ enabled: true, methods: ['SMS', 'RECOVERY_CODE'], recoveryCodesRemaining: 10 });

    const step = secondStep(await passwordSignIn(username, p.password));
    expect(step.methods).toEqual(['SMS', 'EMAIL', 'RECOVERY_CODE']);
    expect(step.challengeId).toBeDefined();
    expect(step.destination).toMatch(/\*\*\*/);
    expect(step.destination).not.toMatch(/@/);
    const texted = await stack.sms.waitForCode(phone);
    expectErrorCode(await complete(step.ticket, 'SMS', wrongCode(texted)), 'OTP_INVALID');
    const session = expectOk(await complete(step.ticket, 'SMS', texted)).completeSignIn;
    expect((await status(session.accessToken)).sessions.find((s) => s.current)?.authMethods).toEqual(['PASSWORD', 'SMS']);

    // First step by SMS: the second step is never SMS again, so the email code goes out at once.
    const req = expectOk(await gql(stack.app, SIGN_IN_CODE, { input: { identifier: username, channel: 'SMS' } })).requestSignInCode;
    expect(req.channel).toBe('SMS');
    const byCode = secondStep(await gql(stack.app, SIGN_IN_WITH_CODE, { input: { challengeId: req.challengeId, code: await stack.sms.waitForCode(phone) } }));
    expect(byCode.methods).toEqual(['EMAIL', 'RECOVERY_CODE']);
    expect(byCode.destination).toMatch(/\*\*\*@example\.com$/);
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: byCode.ticket, channel: 'SMS' } }), 'BAD_USER_INPUT', 'channel');
    const mailed = expectOk(await complete(byCode.ticket, 'EMAIL', await stack.smtp.waitForCode(email))).completeSignIn;
    expect((await status(mailed.accessToken)).sessions.find((s) => s.current)?.authMethods).toEqual(['CODE', 'EMAIL']);
  });
});

describe('administration', () => {
  it('resetSecondFactor (ADMIN): removes the factor; NOT_FOUND for an unknown account; FORBIDDEN for others', async () => {
    const p = await person();
    await withTotp(p);
    expectErrorCode(await gql(stack.app, RESET_2FA, { id: p.account.id, reason: 'lost phone' }, { token: p.token }), 'FORBIDDEN');
    const admin = await signIn(stack.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    expectErrorCode(
      await gql(stack.app, RESET_2FA, { id: '00000000-0000-4000-8000-000000000000', reason: 'lost phone' }, { token: admin.accessToken }),
      'NOT_FOUND',
    );
    const reset = expectOk(await gql(stack.app, RESET_2FA, { id: p.account.id, reason: 'lost phone' }, { token: admin.accessToken })).resetSecondFactor;
    expect(reset.secondFactor.enabled).toBe(false);
    expectOk(await passwordSignIn(p.username, p.password));
  });
});

// Expiry without waiting minutes, and what is at rest: SQL on the service's own database. PGlite
// files cannot be opened while the service runs, so these run on PostgreSQL (DATABASE_URL) only.
const onPostgres = hasExternalDatabase() ? describe : describe.skip;
onPostgres('on PostgreSQL: expiry and the stored secret', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: stack.app.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });

  it('a ticket lives 5 minutes; once expired it is UNAUTHENTICATED, even with a right code, and spends nothing', async () => {
    const p = await person();
    const { secret, codes } = await withTotp(p);
    const step = secondStep(await passwordSignIn(p.username, p.password));
    const [row] = (
      await db.query(`SELECT extract(epoch FROM expires_at - created_at)::float8 AS ttl FROM sign_in_tickets WHERE account_id = $1`, [p.account.id])
    ).rows;
    expect(row.ttl).toBeGreaterThan(290);
    expect(row.ttl).toBeLessThanOrEqual(300.5);
    // Live: a wrong code is judged, another channel is refused as such.
    await awayFromStepEdge();
    expect(expectErrorCode(await complete(step.ticket, 'TOTP', wrongCode(await totp(secret))), 'OTP_INVALID').extensions?.attemptsRemaining).toBe(4);
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: step.ticket, channel: 'EMAIL' } }), 'BAD_USER_INPUT', 'channel');

    await db.query(`UPDATE sign_in_tickets SET expires_at = clock_timestamp() - interval '1 second' WHERE account_id = $1`, [p.account.id]);
    const now = await totp(secret);
    expectErrorCode(await complete(step.ticket, 'TOTP', now), 'UNAUTHENTICATED');
    expectErrorCode(await complete(step.ticket, 'RECOVERY_CODE', codes[0]), 'UNAUTHENTICATED');
    expectErrorCode(await gql(stack.app, REQUEST_CODE, { input: { ticket: step.ticket, channel: 'EMAIL' } }), 'UNAUTHENTICATED');
    // The expired ticket used neither the code's time step nor the recovery code: a fresh ticket takes both.
    expect((await status(p.token)).secondFactor.recoveryCodesRemaining).toBe(10);
    expectOk(await complete(secondStep(await passwordSignIn(p.username, p.password)).ticket, 'TOTP', now));
    expectOk(await complete(secondStep(await passwordSignIn(p.username, p.password)).ticket, 'RECOVERY_CODE', codes[0]));
  });

  it('an unconfirmed enrollment expires: then its right code is NOT_FOUND and TOTP stays off; a new enrollment works', async () => {
    const p = await person();
    const begun = expectOk(await gql<Begun>(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token })).beginTotpEnrollment;
    const [row] = (await db.query(`SELECT expires_at FROM totp_enrollments WHERE id = $1`, [begun.enrollmentId])).rows;
    expect(Math.abs(new Date(row.expires_at).getTime() - Date.parse(begun.expiresAt))).toBeLessThan(1000);
    await db.query(`UPDATE totp_enrollments SET expires_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [begun.enrollmentId]);
    await awayFromStepEdge();
    expectErrorCode(
      await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: await totp(begun.secret) } }, { token: p.token }),
      'NOT_FOUND',
    );
    expect((await status(p.token)).secondFactor.enabled).toBe(false);
    expectOk(await passwordSignIn(p.username, p.password));
    const again = expectOk(await gql<Begun>(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token })).beginTotpEnrollment;
    expect(again.secret).not.toBe(begun.secret);
    expectOk(await gql(stack.app, CONFIRM, { input: { enrollmentId: again.enrollmentId, code: await totp(again.secret) } }, { token: p.token }));
  });

  it('the TOTP secret is stored only as AES-256-GCM ciphertext with its key id, pending and enabled, and nowhere in clear', async () => {
    const p = await person();
    const begun = expectOk(await gql<Begun>(stack.app, BEGIN, { input: { currentPassword: p.password } }, { token: p.token })).beginTotpEnrollment;
    const raw = fromBase32(begun.secret);
    expect(raw).toHaveLength(20);
    /** iv (12) ‖ tag (16) ‖ ciphertext, beside the key id; opens only with the key and the account id (libs/second-factor/src/secret-cipher.ts). */
    const expectSealed = (stored: { ciphertext: Buffer; key_id: string }) => {
      const { ciphertext } = stored;
      expect(Buffer.isBuffer(ciphertext)).toBe(true);
      expect(ciphertext).toHaveLength(12 + 16 + raw.length);
      expect(ciphertext.includes(raw)).toBe(false);
      expect(ciphertext.toString('latin1').toUpperCase()).not.toContain(begun.secret);
      expect(stored.key_id).toMatch(/^[0-9a-z]{4,16}$/i);
      expect(SECRETS_KEY).not.toContain(stored.key_id.toLowerCase());
      const open = (context: string) => {
        const decipher = createDecipheriv('aes-256-gcm', Buffer.from(SECRETS_KEY, 'hex'), ciphertext.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(ciphertext.subarray(12, 28));
        return Buffer.concat([decipher.update(ciphertext.subarray(28)), decipher.final()]);
      };
      expect(open(p.account.id).equals(raw)).toBe(true);
      expect(() => open('00000000-0000-4000-8000-000000000000')).toThrow();
    };
    const [pending] = (await db.query(`SELECT secret_ciphertext AS ciphertext, key_id FROM totp_enrollments WHERE id = $1`, [begun.enrollmentId])).rows;
    expectSealed(pending);
    await awayFromStepEdge();
    expectOk(await gql(stack.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: await totp(begun.secret) } }, { token: p.token }));
    const [enabled] = (
      await db.query(`SELECT totp_secret_ciphertext AS ciphertext, totp_key_id AS key_id FROM second_factors WHERE account_id = $1`, [p.account.id])
    ).rows;
    expectSealed(enabled);

    // No column of any table holds the secret as base32 text or as its bytes (hex in JSON).
    const tables = (await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows.map(
      (r) => r.table_name as string,
    );
    expect(tables).toEqual(expect.arrayContaining(['second_factors', 'totp_enrollments', 'outbox_messages']));
    const leaks: string[] = [];
    for (const table of tables) {
      for (const { json } of (await db.query(`SELECT row_to_json(t)::text AS json FROM "${table}" t`)).rows) {
        const text = (json as string).toLowerCase();
        if (text.includes(begun.secret.toLowerCase()) || text.includes(raw.toString('hex'))) leaks.push(table);
      }
    }
    expect(leaks).toEqual([]);
  });
});

describe('metrics', () => {
  it('gatehouse_second_factor_total counts by method and result; the second step counts in gatehouse_sign_ins_total', async () => {
    const text = await (await fetch(`${stack.app.url}/metrics`)).text();
    const count = (name: string, labels: Record<string, string>) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    for (const [method, result] of [
      ['totp', 'enabled'],
      ['totp', 'success'],
      ['totp', 'invalid'],
      ['totp', 'max_attempts'],
      ['recovery_code', 'success'],
      ['recovery_code', 'invalid'],
      ['recovery_code', 'regenerated'],
      ['email', 'enabled'],
      ['email', 'success'],
      ['sms', 'success'],
    ]) {
      expect({ method, result, counted: count('gatehouse_second_factor_total', { method, result }) > 0 }).toEqual({ method, result, counted: true });
    }
    expect(count('gatehouse_sign_ins_total', { result: 'second_factor_required' })).toBeGreaterThan(0);
    expect(count('gatehouse_sign_ins_total', { result: 'success' })).toBeGreaterThan(0);
  });
});

describe('SECOND_FACTOR_REQUIRED_ROLES=ADMIN', () => {
  const username = uniqueUsername('adm');
  const password = strongPassword();
  let forced: TestStack;
  beforeAll(async () => {
    forced = await startStack({
      name: 'second-factor-required',
      env: { BCRYPT_COST: '4', SECOND_FACTOR_REQUIRED_ROLES: 'ADMIN', ADMIN_USERNAME: username, ADMIN_PASSWORD: password },
    });
  }, 120_000);
  afterAll(async () => {
    await forced?.stop();
  });

  it('an admin without a second factor signs in, but only me and the set-up mutations answer until one is on', async () => {
    const admin = expectOk(await gql(forced.app, SIGN_IN, { input: { identifier: username, password } })).signIn;
    const token = admin.accessToken;
    const ACCOUNTS = `query { accounts(first: 1) { edges { node { id } } } }`;
    const blocked = expectErrorCode(await gql(forced.app, ACCOUNTS, undefined, { token }), 'FORBIDDEN');
    expect(blocked.extensions?.reason).toBe('second_factor_setup_required');
    expectErrorCode(await gql(forced.app, `mutation { updateProfile(input: { displayName: "x" }) { id } }`, undefined, { token }), 'FORBIDDEN');
    expectOk(await gql(forced.app, ME, undefined, { token }));
    // An account without the role is not concerned.
    const other = await signUp(forced.app);
    expectOk(await gql(forced.app, `mutation { updateProfile(input: { displayName: "x" }) { id } }`, undefined, { token: other.accessToken }));

    const begun = expectOk(await gql(forced.app, BEGIN, { input: { currentPassword: password } }, { token })).beginTotpEnrollment;
    await awayFromStepEdge();
    expectOk(await gql(forced.app, CONFIRM, { input: { enrollmentId: begun.enrollmentId, code: await totp(begun.secret) } }, { token }));
    expectOk(await gql(forced.app, ACCOUNTS, undefined, { token }));
    const step = secondStep(await gql(forced.app, SIGN_IN, { input: { identifier: username, password } }));
    const session = expectOk(
      await gql(forced.app, COMPLETE, { input: { ticket: step.ticket, method: 'TOTP', code: await totp(begun.secret, 1) } }),
    ).completeSignIn;
    expectOk(await gql(forced.app, ACCOUNTS, undefined, { token: session.accessToken }));
  });
});
