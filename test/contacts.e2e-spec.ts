import {
  Account,
  AuthPayload,
  decodeJwt,
  expectErrorCode,
  expectErrorCodeIn,
  expectNoInternalLeaks,
  expectOk,
  extractCode,
  gql,
  Identifier,
  identifierOf,
  ME,
  OtpChallenge,
  recordedErrorCount,
  signIn,
  signUp,
  sleep,
  startStack,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';
import { randomBytes } from 'node:crypto';
import {
  CONFIRM_CHANGE,
  CONFIRM_LINK,
  Person,
  REMOVE_IDENTIFIER,
  REQUEST_CHANGE,
  REQUEST_LINK,
  REQUEST_PASSWORD_RESET,
  SIGN_IN_TOKEN,
  signUpVerified,
  VERIFY_IDENTIFIER,
  wrongCode,
} from './support/flows';

// Contract README: Linking and contact change (re-authentication, at most 5 per type, values
// verified elsewhere answer like free ones), removeIdentifier (LAST_IDENTIFIER), Identifiers
// (pre-hijacking), Security notices. Issue 4, Tests.

let stack: TestStack;
/** Sign-up needs only an email there: accounts without a username exist. */
let emailOnly: TestStack;

beforeAll(async () => {
  [stack, emailOnly] = await Promise.all([
    startStack({ name: 'contacts' }),
    startStack({ name: 'contacts-email-only', env: { SIGNUP_REQUIRED_IDENTIFIERS: 'email' } }),
  ]);
}, 120_000);

type Kind = 'EMAIL' | 'PHONE';

const requestLink = (s: TestStack, token: string | undefined, type: string, value: string, currentPassword: string) =>
  gql<{ requestIdentifierLink: OtpChallenge }>(s.app, REQUEST_LINK, { input: { type, value, currentPassword } }, { token });
const confirmLink = (s: TestStack, token: string | undefined, challengeId: string, code: string) =>
  gql<{ confirmIdentifierLink: Identifier }>(s.app, CONFIRM_LINK, { input: { challengeId, code } }, { token });
const requestChange = (s: TestStack, token: string | undefined, type: string, newValue: string, currentPassword: string) =>
  gql<{ requestContactChange: OtpChallenge }>(s.app, REQUEST_CHANGE, { input: { type, newValue, currentPassword } }, { token });
const confirmChange = (s: TestStack, token: string | undefined, challengeId: string, code: string) =>
  gql<{ confirmContactChange: AuthPayload }>(s.app, CONFIRM_CHANGE, { input: { challengeId, code } }, { token });
const removeIdentifier = (s: TestStack, token: string | undefined, id: string) =>
  gql<{ removeIdentifier: Account }>(s.app, REMOVE_IDENTIFIER, { id }, { token });
const meOf = async (s: TestStack, token: string) => expectOk(await gql<{ me: Account }>(s.app, ME, undefined, { token })).me;

function templateOf(m: { headers: Record<string, string> }): string | undefined {
  return m.headers['x-gatehouse-template'];
}

async function codeAt(s: TestStack, type: Kind, value: string): Promise<string> {
  return type === 'EMAIL' ? s.smtp.waitForCode(value) : s.sms.waitForCode(value);
}

/** Links `value` to the person's account through the whole flow; returns the identifier. */
async function link(s: TestStack, person: Person, type: Kind, value: string): Promise<Identifier> {
  const challenge = expectOk(await requestLink(s, person.token, type, value, person.password)).requestIdentifierLink;
  const code = await codeAt(s, type, value);
  return expectOk(await confirmLink(s, person.token, challenge.challengeId, code)).confirmIdentifierLink;
}

describe('linking', () => {
  let person: Person;

  beforeAll(async () => {
    person = await signUpVerified(stack, { email: uniqueEmail('link') });
  });

  it('without a session is UNAUTHENTICATED', async () => {
    expectErrorCode(await requestLink(stack, undefined, 'EMAIL', uniqueEmail(), person.password), 'UNAUTHENTICATED');
    expectErrorCode(await confirmLink(stack, undefined, randomBytes(24).toString('base64url'), '123456'), 'UNAUTHENTICATED');
  });

  it('a wrong currentPassword is INVALID_CREDENTIALS and sends nothing', async () => {
    const value = uniqueEmail('nolink');
    expectErrorCode(await requestLink(stack, person.token, 'EMAIL', value, `${person.password}x`), 'INVALID_CREDENTIALS');
    // currentPassword is checked before anything else: a bad value does not change the answer.
    expectErrorCode(await requestLink(stack, person.token, 'EMAIL', 'not-an-email', `${person.password}x`), 'INVALID_CREDENTIALS');
    await sleep(300);
    expect(stack.smtp.messagesTo(value)).toHaveLength(0);
  });

  it('links an email and a phone: verified, sign-in works, the account is told', async () => {
    const email = uniqueEmail('linked');
    const phone = uniquePhone();
    const challenge = expectOk(await requestLink(stack, person.token, 'EMAIL', email.toUpperCase(), person.password)).requestIdentifierLink;
    expect(challenge).toMatchObject({ purpose: 'LINK_IDENTIFIER', channel: 'EMAIL', attemptsRemaining: 5 });
    // Nothing is added before the code is confirmed.
    expect((await meOf(stack, person.token)).identifiers.map((i) => i.value)).not.toContain(email);
    const code = await stack.smtp.waitForCode(email);
    const linked = expectOk(await confirmLink(stack, person.token, challenge.challengeId, code)).confirmIdentifierLink;
    expect(linked).toMatchObject({ type: 'EMAIL', value: email, verified: true });
    expect(linked.verifiedAt).not.toBeNull();
    const viaPhone = await link(stack, person, 'PHONE', phone);
    expect(viaPhone).toMatchObject({ type: 'PHONE', value: phone, verified: true });

    const mine = await meOf(stack, person.token);
    expect(
      mine.identifiers
        .filter((i) => i.type === 'EMAIL' && i.verified)
        .map((i) => i.value)
        .sort(),
    ).toEqual([email, person.email].sort());
    for (const id of [email, phone]) expect((await signIn(stack.app, id, person.password)).account.id).toBe(person.account.id);
    const notice = await stack.smtp.waitFor((m) => m.to.includes(person.email!) && templateOf(m) === 'notice.identifier_linked');
    expect(extractCode(notice.text, 6)).toBeUndefined();
  });

  it('a value already verified on this account is BAD_USER_INPUT', async () => {
    expectErrorCode(await requestLink(stack, person.token, 'EMAIL', person.email!.toUpperCase(), person.password), 'BAD_USER_INPUT', 'value');
  });

  it('at most 5 identifiers of a type', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('five') });
    for (let i = 0; i < 4; i += 1) await link(stack, p, 'EMAIL', uniqueEmail(`five${i}`));
    expect((await meOf(stack, p.token)).identifiers.filter((i) => i.type === 'EMAIL')).toHaveLength(5);
    const sixth = uniqueEmail('six');
    expectErrorCode(await requestLink(stack, p.token, 'EMAIL', sixth, p.password), 'BAD_USER_INPUT');
    await sleep(300);
    expect(stack.smtp.messagesTo(sixth)).toHaveLength(0);
    // The limit is per type: a phone can still be linked.
    await link(stack, p, 'PHONE', uniquePhone());
  });

  it('a value verified by another account: same answer shape, no code, the owner gets notice.identifier_in_use, never confirmable', async () => {
    const owner = await signUpVerified(stack, { email: uniqueEmail('owner') });
    const before = stack.smtp.messagesTo(owner.email!).length;
    const free = expectOk(await requestLink(stack, person.token, 'EMAIL', uniqueEmail('owner'), person.password)).requestIdentifierLink;
    const taken = expectOk(await requestLink(stack, person.token, 'EMAIL', owner.email!, person.password)).requestIdentifierLink;
    const shape = (c: OtpChallenge) => ({
      ...c,
      challengeId: c.challengeId.replace(/[\w-]/g, 'x'),
      destination: c.destination.replace(/[a-z0-9]/gi, 'x'),
      expiresAt: typeof c.expiresAt,
      resendAvailableAt: typeof c.resendAvailableAt,
    });
    expect(shape(taken)).toEqual(shape(free));
    const notice = await stack.smtp.waitFor((m) => stack.smtp.messagesTo(owner.email!).indexOf(m) >= before && templateOf(m) === 'notice.identifier_in_use');
    expect(extractCode(notice.text, 6)).toBeUndefined();
    await sleep(300);
    expect(
      stack.smtp
        .messagesTo(owner.email!)
        .slice(before)
        .filter((m) => extractCode(m.text, 6) !== undefined),
    ).toEqual([]);
    const res = await confirmLink(stack, person.token, taken.challengeId, '000000');
    expectErrorCodeIn(res, ['OTP_INVALID']);
    expect(identifierOf(await meOf(stack, owner.token), 'EMAIL')?.value).toBe(owner.email);
  });

  it("another account confirming A's link challenge is OTP_INVALID and costs no attempt", async () => {
    const other = await signUpVerified(stack, { email: uniqueEmail('other') });
    const value = uniqueEmail('cross');
    const challenge = expectOk(await requestLink(stack, person.token, 'EMAIL', value, person.password)).requestIdentifierLink;
    const code = await stack.smtp.waitForCode(value);
    expectErrorCode(await confirmLink(stack, other.token, challenge.challengeId, code), 'OTP_INVALID');
    expect((await meOf(stack, other.token)).identifiers.map((i) => i.value)).not.toContain(value);
    const err = expectErrorCode(await confirmLink(stack, person.token, challenge.challengeId, wrongCode(code)), 'OTP_INVALID');
    expect(err.extensions?.attemptsRemaining).toBe(4);
    expectOk(await confirmLink(stack, person.token, challenge.challengeId, code));
  });
});

describe('re-authentication counts toward the sign-in failure limit', () => {
  it('10 wrong currentPasswords are INVALID_CREDENTIALS, then RATE_LIMITED with retryAfterSeconds', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('brute') });
    const codes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const res = await requestLink(stack, p.token, 'EMAIL', uniqueEmail('b'), `wrong-${i}-${p.password}`);
      codes.push(res.errors?.[0]?.extensions?.code);
      if (i >= 10) expect(expectErrorCode(res, 'RATE_LIMITED').extensions?.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('INVALID_CREDENTIALS'));
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('wrong currentPasswords and wrong sign-ins share one limit: 5 + 5, then sign-in is RATE_LIMITED', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('mixed') });
    const username = identifierOf(p.account, 'USERNAME')!.value;
    for (let i = 0; i < 5; i += 1) {
      expectErrorCode(await requestChange(stack, p.token, 'EMAIL', uniqueEmail('m'), `nope-${i}`), 'INVALID_CREDENTIALS');
    }
    for (let i = 0; i < 5; i += 1) {
      expectErrorCode(await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: username, password: `nope-${i}` } }), 'INVALID_CREDENTIALS');
    }
    const next = await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: username, password: 'nope-again' } });
    expect(expectErrorCode(next, 'RATE_LIMITED').extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('contact change', () => {
  it('changes nothing until confirmed; then replaces the email, returns a fresh working token, frees and tells the old value', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('chg') });
    const oldEmail = p.email!;
    const newEmail = uniqueEmail('chg-new');
    expectErrorCode(await requestChange(stack, p.token, 'EMAIL', newEmail, `${p.password}!`), 'INVALID_CREDENTIALS');
    const challenge = expectOk(await requestChange(stack, p.token, 'EMAIL', newEmail, p.password)).requestContactChange;
    expect(challenge).toMatchObject({ purpose: 'CHANGE_CONTACT', channel: 'EMAIL', attemptsRemaining: 5 });
    const code = await stack.smtp.waitForCode(newEmail);

    // Nothing changed yet.
    const before = await meOf(stack, p.token);
    expect(before.identifiers.filter((i) => i.type === 'EMAIL').map((i) => i.value)).toEqual([oldEmail]);
    expectErrorCode(await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: newEmail, password: p.password } }), 'INVALID_CREDENTIALS');
    await signIn(stack.app, oldEmail, p.password);

    const payload = expectOk(await confirmChange(stack, p.token, challenge.challengeId, code)).confirmContactChange;
    expect(payload.accessToken).not.toBe(p.token);
    expect(decodeJwt(payload.accessToken).payload.sub).toBe(p.account.id);
    const after = await meOf(stack, payload.accessToken);
    const emails = after.identifiers.filter((i) => i.type === 'EMAIL');
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ value: newEmail, verified: true, primary: true });
    expect(payload.account.identifiers.find((i) => i.type === 'EMAIL')?.value).toBe(newEmail);
    expect((await signIn(stack.app, newEmail, p.password)).account.id).toBe(p.account.id);
    expectErrorCode(await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: oldEmail, password: p.password } }), 'INVALID_CREDENTIALS');

    const notice = await stack.smtp.waitFor((m) => m.to.includes(oldEmail) && templateOf(m) === 'notice.contact_changed');
    expect(extractCode(notice.text, 6)).toBeUndefined();
    expect(notice.text).not.toContain(newEmail);

    // The old value is free: another account can verify it (a real code goes out, not a decoy).
    const next = await signUpVerified(stack, { email: oldEmail });
    expect(identifierOf(await meOf(stack, next.token), 'EMAIL')).toMatchObject({ value: oldEmail, verified: true });
  });

  it('changes a phone the account did not have yet: adds it, verified', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('addphone') });
    const phone = uniquePhone();
    const challenge = expectOk(await requestChange(stack, p.token, 'PHONE', phone, p.password)).requestContactChange;
    expect(challenge.channel).toBe('SMS');
    const payload = expectOk(await confirmChange(stack, p.token, challenge.challengeId, await stack.sms.waitForCode(phone))).confirmContactChange;
    expect(identifierOf(await meOf(stack, payload.accessToken), 'PHONE')).toMatchObject({ value: phone, verified: true, primary: true });
  });

  it("another account confirming A's change challenge is OTP_INVALID", async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('ca') });
    const b = await signUpVerified(stack, { email: uniqueEmail('cb') });
    const value = uniqueEmail('cc');
    const challenge = expectOk(await requestChange(stack, a.token, 'EMAIL', value, a.password)).requestContactChange;
    const code = await stack.smtp.waitForCode(value);
    expectErrorCode(await confirmChange(stack, b.token, challenge.challengeId, code), 'OTP_INVALID');
    expect((await meOf(stack, b.token)).identifiers.map((i) => i.value)).not.toContain(value);
    expectOk(await confirmChange(stack, a.token, challenge.challengeId, code));
  });

  it('race: two accounts confirm a change to the same new email at once: one gets it, the other IDENTIFIER_TAKEN', async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('ra'), displayName: 'Racer Alpha' });
    const b = await signUpVerified(stack, { email: uniqueEmail('rb'), displayName: 'Racer Bravo' });
    const target = uniqueEmail('contested');
    // One request at a time, each code read before the next request: a code to a destination not
    // yet verified carries no display name (issue 19), so the order tells whose code is whose.
    const ca = expectOk(await requestChange(stack, a.token, 'EMAIL', target, a.password)).requestContactChange;
    const codeA = (await stack.smtp.waitForCodeMail(target)).code;
    const cb = expectOk(await requestChange(stack, b.token, 'EMAIL', target, b.password)).requestContactChange;
    const codeB = (await stack.smtp.waitForCodeMail(target)).code;
    const [ra, rb] = await Promise.all([confirmChange(stack, a.token, ca.challengeId, codeA), confirmChange(stack, b.token, cb.challengeId, codeB)]);
    const results = [ra, rb];
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expectErrorCode(
      results.find((r) => r.errors)!,
      'IDENTIFIER_TAKEN',
    );
    const winner = winners[0] === ra ? a : b;
    const loser = winners[0] === ra ? b : a;
    expect(identifierOf(await meOf(stack, winners[0].data!.confirmContactChange.accessToken), 'EMAIL')?.value).toBe(target);
    // The loser keeps its old email.
    expect(identifierOf(await meOf(stack, loser.token), 'EMAIL')).toMatchObject({ value: loser.email, verified: true });
    expect((await signIn(stack.app, target, winner.password)).account.id).toBe(winner.account.id);
  });

  it('a value already verified on this account is BAD_USER_INPUT', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('same') });
    expectErrorCode(await requestChange(stack, p.token, 'EMAIL', p.email!, p.password), 'BAD_USER_INPUT', 'newValue');
  });

  it('a value verified by another account answers like a free one and can never be confirmed', async () => {
    const owner = await signUpVerified(stack, { phone: uniquePhone() });
    const p = await signUpVerified(stack, { email: uniqueEmail('want') });
    const before = stack.sms.messagesTo(owner.phone!).length;
    const taken = expectOk(await requestChange(stack, p.token, 'PHONE', owner.phone!, p.password)).requestContactChange;
    const free = expectOk(await requestChange(stack, p.token, 'PHONE', uniquePhone(), p.password)).requestContactChange;
    expect(Object.keys(taken).sort()).toEqual(Object.keys(free).sort());
    expect(taken.channel).toBe(free.channel);
    expect(taken.destination.replace(/\d/g, '#')).toBe(free.destination.replace(/\d/g, '#'));
    const notice = await stack.sms.waitFor((m) => m.to === owner.phone && stack.sms.messagesTo(owner.phone).indexOf(m) >= before);
    expect(notice.template).toBe('notice.identifier_in_use');
    expect(extractCode(notice.text, 6)).toBeUndefined();
    expectErrorCode(await confirmChange(stack, p.token, taken.challengeId, '000000'), 'OTP_INVALID');
  });
});

describe('removeIdentifier', () => {
  it('refuses the last verified identifier (LAST_IDENTIFIER); removes others and tells the account', async () => {
    const email = uniqueEmail('last');
    const p = await signUpVerified(emailOnly, { username: undefined, email });
    expect(identifierOf(p.account, 'USERNAME')).toBeUndefined();
    const emailId = identifierOf(p.account, 'EMAIL')!.id;
    expectErrorCode(await removeIdentifier(emailOnly, p.token, emailId), 'LAST_IDENTIFIER');
    expect(identifierOf(await meOf(emailOnly, p.token), 'EMAIL')).toMatchObject({ value: email, verified: true });

    const phone = uniquePhone();
    const phoneId = (await link(emailOnly, p, 'PHONE', phone)).id;
    const account = expectOk(await removeIdentifier(emailOnly, p.token, emailId)).removeIdentifier;
    expect(account.identifiers.map((i) => i.value)).toEqual([phone]);
    const notice = await Promise.race([
      emailOnly.smtp.waitFor((m) => m.to.includes(email) && templateOf(m) === 'notice.identifier_removed').then((m) => ({ text: m.text })),
      emailOnly.sms.waitFor((m) => m.to === phone && m.template === 'notice.identifier_removed').then((m) => ({ text: m.text })),
    ]);
    expect(extractCode(notice.text, 6)).toBeUndefined();
    expectErrorCode(await removeIdentifier(emailOnly, p.token, phoneId), 'LAST_IDENTIFIER');
    expectErrorCode(await gql(emailOnly.app, SIGN_IN_TOKEN, { input: { identifier: email, password: p.password } }), 'INVALID_CREDENTIALS');
    await signIn(emailOnly.app, phone, p.password);
  });

  it('an account with a username may remove its only email', async () => {
    const p = await signUpVerified(stack, { email: uniqueEmail('rm') });
    const account = expectOk(await removeIdentifier(stack, p.token, identifierOf(p.account, 'EMAIL')!.id)).removeIdentifier;
    expect(identifierOf(account, 'EMAIL')).toBeUndefined();
    await sleep(200);
  });

  it("another account's identifier, an unknown id, or no session: refused, nothing removed", async () => {
    const a = await signUpVerified(stack, { email: uniqueEmail('ra') });
    const b = await signUpVerified(stack, { email: uniqueEmail('rb') });
    const aEmail = identifierOf(a.account, 'EMAIL')!.id;
    expectErrorCodeIn(await removeIdentifier(stack, b.token, aEmail), ['NOT_FOUND', 'BAD_USER_INPUT']);
    expectErrorCodeIn(await removeIdentifier(stack, b.token, '00000000-0000-4000-8000-000000000000'), ['NOT_FOUND', 'BAD_USER_INPUT']);
    expectErrorCodeIn(await removeIdentifier(stack, b.token, 'not-an-id'), ['NOT_FOUND', 'BAD_USER_INPUT']);
    expectErrorCode(await removeIdentifier(stack, b.token, 'x'.repeat(5000)), 'BAD_USER_INPUT');
    expectErrorCode(await removeIdentifier(stack, undefined, aEmail), 'UNAUTHENTICATED');
    expect(identifierOf(await meOf(stack, a.token), 'EMAIL')).toMatchObject({ verified: true });
  });
});

describe('pre-hijacking', () => {
  it("an attacker's unverified claim on the victim's email is dropped; the attacker can never sign in or reset with it", async () => {
    const victimEmail = uniqueEmail('victim');
    const attacker = await signUp(stack.app, { username: uniqueUsername('attacker'), email: victimEmail });
    const attackerCode = await stack.smtp.waitForCode(victimEmail);
    // Before the victim exists, a reset through the unverified email goes nowhere.
    expectOk(await gql(stack.app, REQUEST_PASSWORD_RESET, { input: { identifier: victimEmail } }));
    await sleep(300);
    expect(stack.smtp.messagesTo(victimEmail)).toHaveLength(1);

    const victim = await signUpVerified(stack, { email: victimEmail });
    const attackerMe = await meOf(stack, attacker.accessToken);
    expect(identifierOf(attackerMe, 'EMAIL')).toBeUndefined();
    const late = await gql(stack.app, VERIFY_IDENTIFIER, { input: { challengeId: attacker.verifications[0].challengeId, code: attackerCode } });
    expect(late.data?.verifyIdentifier ?? null).toBeNull();
    expectErrorCodeIn(late, ['IDENTIFIER_TAKEN', 'OTP_INVALID']);
    expectErrorCode(await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: victimEmail, password: attacker.password } }), 'INVALID_CREDENTIALS');
    expect((await signIn(stack.app, victimEmail, victim.password)).account.id).toBe(victim.account.id);

    // A reset by the attacker's username has no verified contact: nothing goes anywhere.
    const sent = stack.smtp.messages().length + stack.sms.messages().length;
    expectOk(await gql(stack.app, REQUEST_PASSWORD_RESET, { input: { identifier: identifierOf(attacker.account, 'USERNAME')!.value } }));
    await sleep(400);
    expect(stack.smtp.messages().length + stack.sms.messages().length).toBe(sent);
    // The attacker cannot re-claim it by linking either: the answer is a decoy that never confirms.
    const relink = expectOk(await requestLink(stack, attacker.accessToken, 'EMAIL', victimEmail, attacker.password)).requestIdentifierLink;
    expectErrorCode(await confirmLink(stack, attacker.accessToken, relink.challengeId, attackerCode), 'OTP_INVALID');
  });
});

describe('bad input on every new mutation', () => {
  let p: Person;
  beforeAll(async () => {
    p = await signUpVerified(stack, { email: uniqueEmail('bad') });
  });

  const VALUES: Array<[string, Kind, string]> = [
    ['an empty email', 'EMAIL', ''],
    ['a malformed email', 'EMAIL', 'nobody@'],
    ['a phone given as an email', 'EMAIL', '+84901234567'],
    ['an email of 300 characters', 'EMAIL', `${'a'.repeat(290)}@example.com`],
    ['a value of 5,000 characters', 'EMAIL', `${'a'.repeat(5000)}@example.com`],
    ['a zero-width character', 'EMAIL', 'zw\u200Bx@example.com'],
    ['a control character', 'EMAIL', 'ctl\u0001x@example.com'],
    ['a quoted local part', 'EMAIL', '"a b"@example.com'],
    ['a malformed phone', 'PHONE', '12'],
    ['letters as a phone', 'PHONE', 'call-me-maybe'],
    ['an email given as a phone', 'PHONE', 'x@example.com'],
  ];

  it.each(VALUES)('requestIdentifierLink with %s is BAD_USER_INPUT on value', async (_l, type, value) => {
    expectErrorCode(await requestLink(stack, p.token, type, value, p.password), 'BAD_USER_INPUT', 'value');
  });

  it.each(VALUES)('requestContactChange with %s is BAD_USER_INPUT on newValue', async (_l, type, value) => {
    expectErrorCode(await requestChange(stack, p.token, type, value, p.password), 'BAD_USER_INPUT', 'newValue');
  });

  it('type USERNAME is refused for linking and contact change', async () => {
    expectErrorCode(await requestLink(stack, p.token, 'USERNAME', uniqueUsername(), p.password), 'BAD_USER_INPUT');
    expectErrorCode(await requestChange(stack, p.token, 'USERNAME', uniqueUsername(), p.password), 'BAD_USER_INPUT');
  });

  it('an unknown type, a missing field or a wrong JSON type is refused before anything runs (HTTP 400)', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [REQUEST_LINK, { input: { type: 'FAX', value: 'x@example.com', currentPassword: p.password } }],
      [REQUEST_LINK, { input: { type: 'EMAIL', currentPassword: p.password } }],
      [REQUEST_LINK, { input: { type: 'EMAIL', value: 12, currentPassword: p.password } }],
      [REQUEST_CHANGE, { input: { type: 'EMAIL', newValue: ['x@example.com'], currentPassword: p.password } }],
      [REQUEST_CHANGE, { input: { type: 'EMAIL', newValue: 'x@example.com' } }],
      [CONFIRM_LINK, { input: { challengeId: 'abc' } }],
      [CONFIRM_CHANGE, { input: { code: '123456' } }],
      [REMOVE_IDENTIFIER, {}],
    ];
    for (const [doc, variables] of cases) {
      const res = await gql(stack.app, doc, variables, { token: p.token });
      expect({ doc: doc.slice(0, 40), status: res.status }).toEqual({ doc: doc.slice(0, 40), status: 400 });
      expectErrorCodeIn(res, ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']);
    }
  });

  it('an oversized currentPassword is BAD_USER_INPUT on currentPassword', async () => {
    expectErrorCode(await requestLink(stack, p.token, 'EMAIL', uniqueEmail(), 'x'.repeat(2000)), 'BAD_USER_INPUT', 'currentPassword');
    expectErrorCode(await requestChange(stack, p.token, 'EMAIL', uniqueEmail(), 'x'.repeat(2000)), 'BAD_USER_INPUT', 'currentPassword');
  });

  it.each([
    ['an empty challenge id', '', '123456'],
    ['a challenge id of 5,000 characters', 'c'.repeat(5000), '123456'],
    ['an unknown challenge id', randomBytes(24).toString('base64url'), '123456'],
    ['an empty code', randomBytes(24).toString('base64url'), ''],
    ['letters as the code', randomBytes(24).toString('base64url'), 'abcdef'],
    ['a code of 5,000 digits', randomBytes(24).toString('base64url'), '9'.repeat(5000)],
  ])('confirmIdentifierLink and confirmContactChange with %s are refused', async (_l, challengeId, code) => {
    for (const res of [await confirmLink(stack, p.token, challengeId, code), await confirmChange(stack, p.token, challengeId, code)]) {
      if (challengeId.length > 1000 || code.length > 1000) expectErrorCode(res, 'BAD_USER_INPUT');
      else expectErrorCodeIn(res, ['BAD_USER_INPUT', 'OTP_INVALID']);
    }
  });

  it('none of the refused requests changed the account or sent anything to it', async () => {
    const mine = await meOf(stack, p.token);
    expect(mine.identifiers.map((i) => i.type).sort()).toEqual(['EMAIL', 'USERNAME']);
    expect((await signIn(stack.app, p.email!, p.password)).account.id).toBe(p.account.id);
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
