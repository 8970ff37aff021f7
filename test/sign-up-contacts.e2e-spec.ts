import type { Channel } from '@app/core';
import {
  Account,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  extractCode,
  gql,
  Identifier,
  identifierOf,
  ME,
  nationalVnPhone,
  OtpChallenge,
  recordedErrorCount,
  signUp,
  SignUpPayload,
  startStack,
  TestApp,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';
import { randomBytes } from 'node:crypto';

// Contract README: Flows → Sign-up (a code to each email / phone given); Identifiers (email and
// phone normalization, unverified claims never block, verified values answer like free ones).

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'sign-up-contacts' });
  app = stack.app;
}, 90_000);

const VERIFY_IDENTIFIER = `mutation VerifyIdentifier($input: SubmitOtpInput!) {
  verifyIdentifier(input: $input) { id type value verified verifiedAt primary }
}`;

function challengeFor(p: SignUpPayload, channel: Channel): OtpChallenge {
  const found = p.verifications.find((v) => v.channel === channel);
  if (!found) throw new Error(`no ${channel} challenge in ${JSON.stringify(p.verifications)}`);
  return found;
}

describe('signUp with username, email and phone', () => {
  let payload: SignUpPayload;
  const username = uniqueUsername('full');
  const email = uniqueEmail('Full.Person');
  const phone = uniquePhone();

  beforeAll(async () => {
    // Mixed-case email and a national phone written with spaces: both are stored normalized.
    const national = nationalVnPhone(phone);
    payload = await signUp(app, {
      username,
      email: email.toUpperCase(),
      phone: `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`,
    });
  });

  it('adds the email and the phone, normalized and unverified', () => {
    const account = payload.account;
    expect(account.identifiers).toHaveLength(3);
    expect(identifierOf(account, 'USERNAME')).toMatchObject({ value: username, verified: true, primary: true });
    expect(identifierOf(account, 'EMAIL')).toMatchObject({ value: email.toLowerCase(), verified: false, verifiedAt: null });
    expect(identifierOf(account, 'PHONE')).toMatchObject({ value: phone, verified: false, verifiedAt: null });
  });

  it('returns the verifications as a list', () => {
    expect(Array.isArray(payload.verifications)).toBe(true);
  });

  let emailCode = '';
  let smsCode = '';

  it('sends a VERIFY_IDENTIFIER code to the email and to the phone, listed in verifications', async () => {
    expect(payload.verifications).toHaveLength(2);
    const emailChallenge = challengeFor(payload, 'EMAIL');
    const smsChallenge = challengeFor(payload, 'SMS');
    expect(emailChallenge).toMatchObject({ purpose: 'VERIFY_IDENTIFIER', attemptsRemaining: 5 });
    expect(smsChallenge).toMatchObject({ purpose: 'VERIFY_IDENTIFIER', attemptsRemaining: 5 });
    expect(emailChallenge.challengeId).not.toBe(smsChallenge.challengeId);
    // Masked destinations (j***@example.com, +8490****567): never the whole value.
    expect(emailChallenge.destination).not.toContain(email.split('@')[0].toLowerCase());
    expect(emailChallenge.destination).toMatch(/@example\.com$/);
    expect(smsChallenge.destination).not.toContain(phone.slice(-7));
    emailCode = await stack.smtp.waitForCode(email.toLowerCase());
    smsCode = await stack.sms.waitForCode(phone);
    expect(emailCode).toMatch(/^\d{6}$/);
    expect(smsCode).toMatch(/^\d{6}$/);
  });

  it('those codes verify the email and the phone without a session', async () => {
    for (const [channel, code] of [
      ['EMAIL', emailCode],
      ['SMS', smsCode],
    ] as const) {
      const res = await gql<{ verifyIdentifier: Identifier }>(app, VERIFY_IDENTIFIER, {
        input: { challengeId: challengeFor(payload, channel).challengeId, code },
      });
      expect(expectOk(res).verifyIdentifier).toMatchObject({ verified: true });
    }
    const me = expectOk(await gql<{ me: Account }>(app, ME, undefined, { token: payload.accessToken })).me;
    expect(identifierOf(me, 'EMAIL')).toMatchObject({ value: email.toLowerCase(), verified: true });
    expect(identifierOf(me, 'PHONE')).toMatchObject({ value: phone, verified: true });
  });

  it('signing up with that verified email answers like a free value, sends no code there, and notices the owner', async () => {
    const owner = email.toLowerCase();
    const before = stack.smtp.messagesTo(owner).length;
    const intruder = await signUp(app, { email: owner });
    expect(intruder.verifications).toHaveLength(1);
    const challenge = challengeFor(intruder, 'EMAIL');
    expect(challenge).toMatchObject({ purpose: 'VERIFY_IDENTIFIER', attemptsRemaining: 5 });
    expect(challenge.destination).toMatch(/@example\.com$/);
    const notice = await stack.smtp.waitFor((m) => stack.smtp.messagesTo(owner).indexOf(m) >= before);
    expect(extractCode(notice.text, 6)).toBeUndefined();
    // The challenge can never be confirmed, not even with a code that once was valid for the value.
    for (const code of [emailCode, '000000']) {
      const res = await gql(app, VERIFY_IDENTIFIER, { input: { challengeId: challenge.challengeId, code } });
      expect(res.data?.verifyIdentifier ?? null).toBeNull();
      expect(['OTP_INVALID', 'OTP_MAX_ATTEMPTS']).toContain(res.errors?.[0]?.extensions?.code);
    }
    expect(
      stack.smtp
        .messagesTo(owner)
        .slice(before)
        .filter((m) => extractCode(m.text, 6) !== undefined),
    ).toEqual([]);
  });

  it('NFKC-normalizes a full-width ＠ in the email', async () => {
    const local = `fw.${randomBytes(4).toString('hex')}`;
    const { account } = await signUp(app, { email: `${local}＠Example.COM` });
    expect(identifierOf(account, 'EMAIL')?.value).toBe(`${local}@example.com`);
  });

  it.each([
    ['+84 90-xxx-xxxx', (n: string) => `+84 ${n.slice(3, 5)}-${n.slice(5, 8)}-${n.slice(8)}`],
    ['00 prefix', (n: string) => `00${n.slice(1)}`],
    ['brackets and dashes', (n: string) => `(0${n.slice(3, 5)}) ${n.slice(5, 8)}-${n.slice(8)}`],
    ['E.164', (n: string) => n],
  ])('stores the phone written as %s in E.164', async (_label, write) => {
    const e164 = uniquePhone();
    const { account } = await signUp(app, { phone: write(e164) });
    expect(identifierOf(account, 'PHONE')?.value).toBe(e164);
  });
});

describe('unverified claims never block anyone', () => {
  it('two accounts may claim the same unverified email and phone', async () => {
    const email = uniqueEmail('shared');
    const phone = uniquePhone();
    const a = await signUp(app, { email, phone });
    const b = await signUp(app, { email: email.toUpperCase(), phone: nationalVnPhone(phone) });
    expect(a.account.id).not.toBe(b.account.id);
    for (const p of [a, b]) {
      expect(identifierOf(p.account, 'EMAIL')).toMatchObject({ value: email, verified: false });
      expect(identifierOf(p.account, 'PHONE')).toMatchObject({ value: phone, verified: false });
    }
  });

  it('when one account verifies the shared email, the other claim is dropped and its code is IDENTIFIER_TAKEN', async () => {
    const email = uniqueEmail('race');
    const a = await signUp(app, { email });
    const b = await signUp(app, { email });
    const codes = [await stack.smtp.waitForCode(email), await stack.smtp.waitForCode(email)];
    // Mail order is the outbox's, so find which code is A's (one wrong try at most).
    const aChallenge = challengeFor(a, 'EMAIL').challengeId;
    let first = await gql(app, VERIFY_IDENTIFIER, { input: { challengeId: aChallenge, code: codes[0] } });
    let bCode = codes[1];
    if (first.errors) {
      expectErrorCode(first, 'OTP_INVALID');
      first = await gql(app, VERIFY_IDENTIFIER, { input: { challengeId: aChallenge, code: codes[1] } });
      bCode = codes[0];
    }
    expect(expectOk(first)).toMatchObject({ verifyIdentifier: { verified: true, value: email } });

    const bMe = expectOk(await gql<{ me: Account }>(app, ME, undefined, { token: b.accessToken })).me;
    expect(identifierOf(bMe, 'EMAIL')).toBeUndefined();
    const late = await gql(app, VERIFY_IDENTIFIER, { input: { challengeId: challengeFor(b, 'EMAIL').challengeId, code: bCode } });
    expectErrorCode(late, 'IDENTIFIER_TAKEN');
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
