import {
  CHALLENGE_FIELDS,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  OtpChallenge,
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
import { signUpVerified, wrongCode } from './support/flows';

// Contract README: Sign-in by code (requestSignInCode / signInWithCode, decoys like password
// reset, PENDING_DELETION), SIGN_IN_IDENTIFIERS, SIGN_IN_WITH_CODE, Abuse limits (sign-in by
// code is not behind the sign-in failure budget: it is the way out).

jest.setTimeout(180_000);

const REQUEST = `mutation Req($input: RequestSignInCodeInput!) { requestSignInCode(input: $input) { ${CHALLENGE_FIELDS} } }`;
const WITH_CODE = `mutation WithCode($input: SubmitOtpInput!) { signInWithCode(input: $input) { accessToken sessionId account { id } } }`;
const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken } }`;
const SESSIONS = `query { me { id sessions { authMethods current } } }`;
const REQUEST_DELETION = `mutation R($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { challengeId } }`;
const CONFIRM_DELETION = `mutation C($input: SubmitOtpInput!) { confirmAccountDeletion(input: $input) { status scheduledFor } }`;

const ADMIN_USERNAME = uniqueUsername('adm');
const ADMIN_PASSWORD = strongPassword();

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ name: 'sign-in-by-code', env: { BCRYPT_COST: '4', OTP_RESEND_COOLDOWN_SECONDS: '30', ADMIN_USERNAME, ADMIN_PASSWORD } });
}, 90_000);

afterAll(async () => {
  expectNoInternalLeaks();
  await stack?.stop();
  await stopAllApps();
});

const request = (identifier: string, channel?: string, target = stack) =>
  gql<{ requestSignInCode: OtpChallenge }>(target.app, REQUEST, { input: { identifier, ...(channel ? { channel } : {}) } });
const withCode = (challengeId: string, code: string, target = stack) =>
  gql<{ signInWithCode: { accessToken: string; account: { id: string } } }>(target.app, WITH_CODE, { input: { challengeId, code } });

/** The answer's shape, without the values that differ per request. */
function shape(c: OtpChallenge) {
  return {
    keys: Object.keys(c).sort(),
    purpose: c.purpose,
    channel: c.channel,
    attemptsRemaining: c.attemptsRemaining,
    idLength: c.challengeId.length,
    ttl: Math.round((new Date(c.expiresAt).getTime() - Date.now()) / 60_000),
    cooldown: Math.round((new Date(c.resendAvailableAt).getTime() - Date.now()) / 1000 / 10),
  };
}

describe('sign-in by code', () => {
  it('an email gets a SIGN_IN code; the right code signs in with authMethods [CODE]; a wrong one is OTP_INVALID', async () => {
    const email = uniqueEmail('code');
    const p = await signUpVerified(stack, { email });
    const challenge = expectOk(await request(email.toUpperCase())).requestSignInCode;
    expect(challenge.purpose).toBe('SIGN_IN');
    expect(challenge.channel).toBe('EMAIL');
    expect(challenge.destination).toMatch(/\*\*\*@example\.com$/);
    const code = await stack.smtp.waitForCode(email);
    const wrong = expectErrorCode(await withCode(challenge.challengeId, wrongCode(code)), 'OTP_INVALID');
    expect(wrong.extensions?.attemptsRemaining).toBe(4);
    const session = expectOk(await withCode(challenge.challengeId, code)).signInWithCode;
    expect(session.account.id).toBe(p.account.id);
    const me = expectOk(
      await gql<{ me: { id: string; sessions: Array<{ authMethods: string[]; current: boolean }> } }>(stack.app, SESSIONS, undefined, {
        token: session.accessToken,
      }),
    ).me;
    expect(me.sessions.find((s: { current: boolean }) => s.current)!.authMethods).toEqual(['CODE']);
    // Single use.
    expectErrorCode(await withCode(challenge.challengeId, code), 'OTP_INVALID');
  });

  it('a username sends to the primary verified email; channel SMS picks the phone', async () => {
    const email = uniqueEmail('codeu');
    const phone = uniquePhone();
    const p = await signUpVerified(stack, { email, phone });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    const byEmail = expectOk(await request(username)).requestSignInCode;
    expect(byEmail.channel).toBe('EMAIL');
    expectOk(await withCode(byEmail.challengeId, await stack.smtp.waitForCode(email)));
    const bySms = expectOk(await request(username, 'SMS')).requestSignInCode;
    expect(bySms.channel).toBe('SMS');
    expectOk(await withCode(bySms.challengeId, await stack.sms.waitForCode(phone)));
  });

  it('unknown and unverified values get a decoy of the same shape and nothing is sent (disabled accounts: below)', async () => {
    const email = uniqueEmail('real');
    await signUpVerified(stack, { email });
    const real = expectOk(await request(email)).requestSignInCode;
    await stack.smtp.waitForCode(email);

    const unknown = uniqueEmail('ghost');
    const unverified = uniqueEmail('unverified');
    await signUp(stack.app, { email: unverified });
    await stack.smtp.waitForCode(unverified); // the sign-up's verification code, not a sign-in code
    const decoys = [expectOk(await request(unknown)).requestSignInCode, expectOk(await request(unverified)).requestSignInCode];
    for (const d of decoys) {
      expect(shape(d)).toEqual(shape(real));
      expect(d.destination).toMatch(/\*\*\*@example\.com$/);
    }
    await sleep(1500);
    expect(stack.smtp.messagesTo(unknown)).toHaveLength(0);
    expect(stack.smtp.messagesTo(unverified)).toHaveLength(1);
    // A decoy's code never signs in.
    expectErrorCode(await withCode(decoys[0].challengeId, '123456'), 'OTP_INVALID');
  });

  it.each(['BLOCKED', 'DEACTIVATED'])('a %s account: its verified email gets a decoy of the same shape, nothing is sent', async (status) => {
    const real = uniqueEmail('realb');
    await signUpVerified(stack, { email: real });
    const realChallenge = expectOk(await request(real)).requestSignInCode;
    await stack.smtp.waitForCode(real);
    const email = uniqueEmail('disabled');
    const p = await signUpVerified(stack, { email });
    const admin = await signIn(stack.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    expectOk(
      await gql(
        stack.app,
        `mutation S($id: ID!, $s: AccountStatus!) { setAccountStatus(accountId: $id, status: $s) { status } }`,
        {
          id: p.account.id,
          s: status,
        },
        { token: admin.accessToken },
      ),
    );
    const before = stack.smtp.messagesTo(email).length;
    const decoy = expectOk(await request(email)).requestSignInCode;
    expect(shape(decoy)).toEqual(shape(realChallenge));
    expect(decoy.destination).toMatch(/\*\*\*@example\.com$/);
    await sleep(1500);
    expect(stack.smtp.messagesTo(email)).toHaveLength(before);
    expectErrorCode(await withCode(decoy.challengeId, '123456'), 'OTP_INVALID');
  });

  it('the usual cool-down, for real values and decoys alike', async () => {
    const email = uniqueEmail('cool');
    await signUpVerified(stack, { email });
    expectOk(await request(email));
    const again = expectErrorCode(await request(email), 'OTP_RESEND_COOLDOWN');
    expect(again.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const ghost = uniqueEmail('coolghost');
    expectOk(await request(ghost));
    expect(expectErrorCode(await request(ghost), 'OTP_RESEND_COOLDOWN').extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('is not blocked by a spent sign-in failure budget (it is the way out)', async () => {
    const email = uniqueEmail('locked');
    await signUpVerified(stack, { email });
    for (let i = 0; i < 10; i++)
      expectErrorCode(await gql(stack.app, SIGN_IN, { input: { identifier: email, password: `Wrong-password-${i}` } }), 'INVALID_CREDENTIALS');
    expectErrorCode(await gql(stack.app, SIGN_IN, { input: { identifier: email, password: 'Wrong-password-x' } }), 'RATE_LIMITED');
    const challenge = expectOk(await request(email)).requestSignInCode;
    expectOk(await withCode(challenge.challengeId, await stack.smtp.waitForCode(email)));
  });

  it('a PENDING_DELETION account gets the code; the right code answers ACCOUNT_PENDING_DELETION with scheduledFor', async () => {
    const email = uniqueEmail('pending');
    const p = await signUpVerified(stack, { email });
    const del = expectOk(await gql(stack.app, REQUEST_DELETION, { input: { currentPassword: p.password } }, { token: p.token })).requestAccountDeletion;
    expectOk(
      await gql(stack.app, CONFIRM_DELETION, { input: { challengeId: del.challengeId, code: await stack.smtp.waitForCode(email) } }, { token: p.token }),
    );
    const challenge = expectOk(await request(email)).requestSignInCode;
    const err = expectErrorCode(await withCode(challenge.challengeId, await stack.smtp.waitForCode(email)), 'ACCOUNT_PENDING_DELETION');
    expect(new Date(err.extensions?.scheduledFor).getTime()).toBeGreaterThan(Date.now());
  });
});

describe('SIGN_IN_IDENTIFIERS=email', () => {
  let only: TestStack;
  beforeAll(async () => {
    only = await startStack({ name: 'sign-in-email-only', env: { BCRYPT_COST: '4', SIGN_IN_IDENTIFIERS: 'email' } });
  }, 90_000);
  afterAll(async () => {
    await only?.stop();
  });

  it('a password sign-in by username is INVALID_CREDENTIALS; a code to a phone is a silent decoy; email works both ways', async () => {
    const email = uniqueEmail('only');
    const phone = uniquePhone();
    const p = await signUpVerified(only, { email, phone });
    const username = p.account.identifiers.find((i) => i.type === 'USERNAME')!.value;
    expectErrorCode(await gql(only.app, SIGN_IN, { input: { identifier: username, password: p.password } }), 'INVALID_CREDENTIALS');
    expectOk(await gql(only.app, SIGN_IN, { input: { identifier: email, password: p.password } }));

    const byPhone = expectOk(await request(phone, undefined, only)).requestSignInCode;
    expect(byPhone.channel).toBe('SMS');
    const byEmail = expectOk(await request(email, undefined, only)).requestSignInCode;
    expectOk(await withCode(byEmail.challengeId, await only.smtp.waitForCode(email), only));
    await sleep(1500);
    expect(only.sms.messagesTo(phone)).toHaveLength(1); // the sign-up's verification only
    expectErrorCode(await withCode(byPhone.challengeId, '123456', only), 'OTP_INVALID');
  });
});

describe('SIGN_IN_WITH_CODE=off', () => {
  let off: TestStack;
  beforeAll(async () => {
    off = await startStack({ name: 'sign-in-code-off', env: { BCRYPT_COST: '4', SIGN_IN_WITH_CODE: 'off' } });
  }, 90_000);
  afterAll(async () => {
    await off?.stop();
  });

  it('both mutations are FORBIDDEN with extensions.reason sign_in_with_code_off', async () => {
    const email = uniqueEmail('off');
    await signUpVerified(off, { email });
    const a = expectErrorCode(await request(email, undefined, off), 'FORBIDDEN');
    expect(a.extensions?.reason).toBe('sign_in_with_code_off');
    const b = expectErrorCode(await withCode('x'.repeat(32), '123456', off), 'FORBIDDEN');
    expect(b.extensions?.reason).toBe('sign_in_with_code_off');
  });
});
