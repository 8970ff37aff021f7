import {
  Account,
  AUTH_PAYLOAD_FIELDS,
  AuthPayload,
  decodeJwt,
  expectErrorCode,
  expectErrorCodeIn,
  expectNoInternalLeaks,
  expectOk,
  fullWidth,
  gql,
  GqlOptions,
  identifierOf,
  IdentifierType,
  ME,
  nationalVnPhone,
  recordedErrorCount,
  SIGN_UP,
  signIn,
  signUp,
  SignUpPayload,
  startStack,
  stopAllApps,
  strongPassword,
  TestApp,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
  ACCOUNT_FIELDS,
} from '@app/testing';
import { randomBytes } from 'node:crypto';

// Contract README: Flows → Sign-in, Passwords; Errors (localized messages).

// Per file: Jest 29 ignores a project-level testTimeout.
jest.setTimeout(60_000);

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'sign-in' });
  app = stack.app;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

const SIGN_IN_TOKEN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken account { id } } }`;
const CHANGE_PASSWORD = `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
const UPDATE_PROFILE = `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ${ACCOUNT_FIELDS} } }`;
const UPDATE_SETTINGS = `mutation UpdateSettings($input: UpdateSettingsInput!) { updateSettings(input: $input) { ${ACCOUNT_FIELDS} } }`;

function trySignIn(identifier: string, password: string, identifierType?: IdentifierType, opts?: GqlOptions) {
  const input: Record<string, unknown> = { identifier, password };
  if (identifierType) input.identifierType = identifierType;
  return gql<{ signIn: { accessToken: string; account: { id: string } } }>(app, SIGN_IN_TOKEN, { input }, opts);
}

function trySignUp(input: Record<string, unknown>) {
  return gql<{ signUp: SignUpPayload }>(app, SIGN_UP, { input });
}

async function meOk(token: string): Promise<Account> {
  return expectOk(await gql<{ me: Account }>(app, ME, undefined, { token })).me;
}

const VIETNAMESE_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i;

describe('signIn', () => {
  let person: SignUpPayload & { password: string };
  let username: string;
  let email: string;
  let phone: string;

  beforeAll(async () => {
    username = uniqueUsername('signin');
    email = uniqueEmail('signin');
    phone = uniquePhone();
    person = await signUp(app, { username, email, phone });
  });

  it('by username: returns a working token for the account', async () => {
    const payload = await signIn(app, username, person.password);
    expect(payload.account.id).toBe(person.account.id);
    expect(payload.tokenType).toMatch(/^bearer$/i);
    expect((await meOk(payload.accessToken)).id).toBe(person.account.id);
  });

  it.each([
    ['upper case', (u: string) => u.toUpperCase()],
    ['full-width', (u: string) => fullWidth(u.toUpperCase())],
    ['surrounding spaces', (u: string) => ` ${u}  `],
  ])('by username written in %s (lookups use the normalized value)', async (_label, write) => {
    const payload = await signIn(app, write(username), person.password);
    expect(payload.account.id).toBe(person.account.id);
  });

  it('by an unverified email with the right password: IDENTIFIER_NOT_VERIFIED', async () => {
    expectErrorCode(await trySignIn(email, person.password), 'IDENTIFIER_NOT_VERIFIED');
  });

  it('by an unverified email written in upper case with a full-width ＠: IDENTIFIER_NOT_VERIFIED', async () => {
    const written = email.toUpperCase().replace('@', '＠');
    expectErrorCode(await trySignIn(written, person.password), 'IDENTIFIER_NOT_VERIFIED');
  });

  test.todo('IDENTIFIER_NOT_VERIFIED carries extensions.challengeId of a VERIFY_IDENTIFIER challenge whose code arrives in the sink');

  it('by an unverified email with a wrong password: INVALID_CREDENTIALS', async () => {
    expectErrorCode(await trySignIn(email, `${person.password}-wrong`), 'INVALID_CREDENTIALS');
  });

  it('by an unverified phone written nationally, right password: IDENTIFIER_NOT_VERIFIED; wrong: INVALID_CREDENTIALS', async () => {
    expectErrorCode(await trySignIn(nationalVnPhone(phone), person.password), 'IDENTIFIER_NOT_VERIFIED');
    expectErrorCode(await trySignIn(phone, 'Wrong-Password-123'), 'INVALID_CREDENTIALS');
  });

  it('unknown identifier and wrong password give the same INVALID_CREDENTIALS, with the same message', async () => {
    const unknown = expectErrorCode(await trySignIn(uniqueUsername('ghost'), person.password), 'INVALID_CREDENTIALS');
    const unknownEmail = expectErrorCode(await trySignIn(uniqueEmail('ghost'), person.password), 'INVALID_CREDENTIALS');
    const wrong = expectErrorCode(await trySignIn(username, `${person.password}x`), 'INVALID_CREDENTIALS');
    expect(unknown.message).toBe(wrong.message);
    expect(unknownEmail.message).toBe(wrong.message);
    expect(wrong.message).not.toBe('INVALID_CREDENTIALS');
    expect(wrong.message.length).toBeGreaterThan(0);
  });

  it('a password differing only in case is wrong', async () => {
    const flipped = [...person.password].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    expect(flipped).not.toBe(person.password);
    expectErrorCode(await trySignIn(username, flipped), 'INVALID_CREDENTIALS');
  });

  describe('identifierType overrides the detection', () => {
    it('USERNAME for a username signs in', async () => {
      const payload = await signIn(app, username, person.password, 'USERNAME');
      expect(payload.account.id).toBe(person.account.id);
    });

    it('PHONE for a nationally written phone finds the phone', async () => {
      expectErrorCode(await trySignIn(nationalVnPhone(phone), person.password, 'PHONE'), 'IDENTIFIER_NOT_VERIFIED');
    });

    it.each<[string, () => string, IdentifierType]>([
      ['a username read as EMAIL', () => username, 'EMAIL'],
      ['a username read as PHONE', () => username, 'PHONE'],
      ['an email read as USERNAME', () => email, 'USERNAME'],
    ])('%s does not reach the account', async (_label, identifier, type) => {
      // Detection alone would sign in (username) or answer IDENTIFIER_NOT_VERIFIED (email).
      const res = await trySignIn(identifier(), person.password, type);
      expect(res.data?.signIn ?? null).toBeNull();
      expectErrorCodeIn(res, ['INVALID_CREDENTIALS', 'BAD_USER_INPUT']);
    });
  });
});

describe('password policy', () => {
  const PREFIX72 = randomBytes(54).toString('base64').replace(/[+/]/g, 'k'); // 72 ASCII characters = 72 bytes

  it.each([
    ['7 characters', () => 'Ab1!xyz'],
    ['129 characters', () => `Zq9!${randomBytes(200).toString('hex')}`.slice(0, 129)],
    ['a common password', () => 'password123'],
    ['an empty password', () => ''],
  ])('signUp with %s is PASSWORD_POLICY, and writes nothing', async (_label, password) => {
    const username = uniqueUsername('pol');
    expectErrorCode(await trySignUp({ username, password: password() }), 'PASSWORD_POLICY');
    const ok = await signUp(app, { username });
    expect(identifierOf(ok.account, 'USERNAME')?.value).toBe(username);
  });

  it('a password equal to the username is PASSWORD_POLICY', async () => {
    const username = uniqueUsername('same');
    expect(username.length).toBeGreaterThanOrEqual(8);
    expectErrorCode(await trySignUp({ username, password: username }), 'PASSWORD_POLICY');
  });

  it('a password equal to the email is PASSWORD_POLICY', async () => {
    const email = uniqueEmail('same');
    expectErrorCode(await trySignUp({ username: uniqueUsername(), email, password: email }), 'PASSWORD_POLICY');
  });

  it('a password over 1,024 characters is BAD_USER_INPUT on field password', async () => {
    const username = uniqueUsername('huge');
    const res = await trySignUp({ username, password: `Zq9!${'x'.repeat(1021)}` });
    expectErrorCode(res, 'BAD_USER_INPUT', 'password');
    await signUp(app, { username });
  });

  it('8 and 128 characters are accepted and sign in', async () => {
    for (const password of ['Zq9!mK2#', `Zq9!${randomBytes(100).toString('hex')}`.slice(0, 128)]) {
      const username = uniqueUsername('edge');
      await signUp(app, { username, password });
      expect((await signIn(app, username, password)).account.identifiers[0].value).toBe(username);
    }
  });

  it('an emoji and Vietnamese password works, and every character of it counts', async () => {
    const username = uniqueUsername('viet');
    const password = 'Mật khẩu 🔐 của tôi — đẹp lắm!';
    await signUp(app, { username, password });
    await signIn(app, username, password);
    expectErrorCode(await trySignIn(username, 'Mat khau 🔐 cua toi — dep lam!'), 'INVALID_CREDENTIALS');
    expectErrorCode(await trySignIn(username, 'Mật khẩu 🔒 của tôi — đẹp lắm!'), 'INVALID_CREDENTIALS');
  });

  it.each([
    ['ASCII', PREFIX72, 'aaaaaaaa', 'bbbbbbbb'],
    ['multi-byte (24 × ễ = 72 bytes)', 'ễ'.repeat(24), 'tail-one', 'tail-two'],
  ])('passwords sharing their first 72 bytes (%s) each open only their own account', async (_l, prefix, tailA, tailB) => {
    expect(Buffer.byteLength(prefix)).toBe(72);
    const passwordA = `${prefix}${tailA}`;
    const passwordB = `${prefix}${tailB}`;
    const a = await signUp(app, { password: passwordA });
    const b = await signUp(app, { password: passwordB });
    const nameA = a.account.identifiers[0].value;
    const nameB = b.account.identifiers[0].value;
    expect((await signIn(app, nameA, passwordA)).account.id).toBe(a.account.id);
    expect((await signIn(app, nameB, passwordB)).account.id).toBe(b.account.id);
    expectErrorCode(await trySignIn(nameA, passwordB), 'INVALID_CREDENTIALS');
    expectErrorCode(await trySignIn(nameB, passwordA), 'INVALID_CREDENTIALS');
    expectErrorCode(await trySignIn(nameA, prefix), 'INVALID_CREDENTIALS');
  });
});

describe('changePassword', () => {
  let username: string;
  let password: string;
  let signUpToken: string;

  const change = (token: string | undefined, currentPassword: string, newPassword: string) =>
    gql<{ changePassword: AuthPayload }>(app, CHANGE_PASSWORD, { input: { currentPassword, newPassword } }, { token });

  beforeAll(async () => {
    username = uniqueUsername('chpw');
    const p = await signUp(app, { username });
    password = p.password;
    signUpToken = p.accessToken;
  });

  it('without a token is UNAUTHENTICATED', async () => {
    expectErrorCode(await change(undefined, password, strongPassword()), 'UNAUTHENTICATED');
  });

  it('with a wrong current password is INVALID_CREDENTIALS, even when the new one is bad too', async () => {
    expectErrorCode(await change(signUpToken, `${password}-no`, strongPassword()), 'INVALID_CREDENTIALS');
    expectErrorCode(await change(signUpToken, `${password}-no`, 'short'), 'INVALID_CREDENTIALS');
  });

  it.each([
    ['too short', () => 'Ab1!xyz'],
    ['too long', () => `Zq9!${'y'.repeat(125)}`],
    ['common', () => 'password123'],
    ['equal to the username', () => username],
  ])('a %s new password is PASSWORD_POLICY', async (_label, newPassword) => {
    expectErrorCode(await change(signUpToken, password, newPassword()), 'PASSWORD_POLICY');
  });

  it('a new password over 1,024 characters is BAD_USER_INPUT on field newPassword', async () => {
    expectErrorCode(await change(signUpToken, password, `Zq9!${'y'.repeat(1100)}`), 'BAD_USER_INPUT', 'newPassword');
  });

  it('refused changes left the password and the token as they were', async () => {
    await signIn(app, username, password);
    await meOk(signUpToken);
  });

  it('succeeds with a fresh working token; older tokens and the old password stop working', async () => {
    const older = (await signIn(app, username, password)).accessToken;
    const newPassword = strongPassword();
    const res = await change(older, password, newPassword);
    const payload = expectOk(res).changePassword;
    password = newPassword;
    expect(payload.accessToken).not.toBe(older);
    expect(payload.account.passwordChangedAt).not.toBeNull();

    const mine = await meOk(payload.accessToken);
    expect(mine.passwordChangedAt).not.toBeNull();
    expectErrorCode(await gql(app, ME, undefined, { token: older }), 'UNAUTHENTICATED');
    expectErrorCode(await gql(app, ME, undefined, { token: signUpToken }), 'UNAUTHENTICATED');
    expectErrorCode(await trySignIn(username, password), 'INVALID_CREDENTIALS');
    const again = await signIn(app, username, newPassword);
    await meOk(again.accessToken);
  });

  it('a token issued in the same second as the change is refused, the one the change returns works', async () => {
    // "Before" is tracked exactly, not by whole seconds: try until both tokens share their `iat`.
    let sameSecondSeen = false;
    for (let attempt = 0; attempt < 5 && !sameSecondSeen; attempt += 1) {
      const before = (await signIn(app, username, password)).accessToken;
      const newPassword = strongPassword();
      const after = expectOk(await change(before, password, newPassword)).changePassword.accessToken;
      password = newPassword;
      sameSecondSeen = decodeJwt(before).payload.iat === decodeJwt(after).payload.iat;
      expectErrorCode(await gql(app, ME, undefined, { token: before }), 'UNAUTHENTICATED');
      await meOk(after);
    }
  });
});

describe('profile and settings', () => {
  let token: string;

  beforeAll(async () => {
    token = (await signUp(app)).accessToken;
  });

  it('updateProfile persists and shows in `me`', async () => {
    const profile = { displayName: 'Trần Thị Ánh', firstName: 'Ánh', lastName: 'Trần' };
    const res = await gql<{ updateProfile: Account }>(app, UPDATE_PROFILE, { input: profile }, { token });
    expect(expectOk(res).updateProfile.profile).toEqual(profile);
    expect((await meOk(token)).profile).toEqual(profile);
  });

  it('updateProfile leaves fields that are not given as they were', async () => {
    const res = await gql<{ updateProfile: Account }>(app, UPDATE_PROFILE, { input: { firstName: 'Bích' } }, { token });
    expect(expectOk(res).updateProfile.profile).toEqual({ displayName: 'Trần Thị Ánh', firstName: 'Bích', lastName: 'Trần' });
  });

  it('updateSettings persists and shows in `me`', async () => {
    const input = { locale: 'VI', timezone: 'Asia/Ho_Chi_Minh', emailNotifications: false, smsNotifications: false };
    const res = await gql<{ updateSettings: Account }>(app, UPDATE_SETTINGS, { input }, { token });
    expect(expectOk(res).updateSettings.settings).toEqual(input);
    expect((await meOk(token)).settings).toEqual(input);
    const partial = await gql<{ updateSettings: Account }>(app, UPDATE_SETTINGS, { input: { smsNotifications: true } }, { token });
    expect(expectOk(partial).updateSettings.settings).toEqual({ ...input, smsNotifications: true });
  });

  it('an unknown time zone is BAD_USER_INPUT on field timezone', async () => {
    const res = await gql(app, UPDATE_SETTINGS, { input: { timezone: 'Mars/Olympus_Mons' } }, { token });
    expectErrorCode(res, 'BAD_USER_INPUT', 'timezone');
    expect((await meOk(token)).settings.timezone).toBe('Asia/Ho_Chi_Minh');
  });

  it('updateProfile and updateSettings without a token are UNAUTHENTICATED', async () => {
    expectErrorCode(await gql(app, UPDATE_PROFILE, { input: { displayName: 'x' } }), 'UNAUTHENTICATED');
    expectErrorCode(await gql(app, UPDATE_SETTINGS, { input: { locale: 'EN' } }), 'UNAUTHENTICATED');
  });
});

describe('localized error messages', () => {
  it('an account whose locale is VI gets its errors in Vietnamese', async () => {
    const en = await signUp(app);
    const vi = await signUp(app);
    expectOk(await gql(app, UPDATE_SETTINGS, { input: { locale: 'VI' } }, { token: vi.accessToken }));
    const wrong = { currentPassword: 'Not-The-Password-1', newPassword: strongPassword() };
    const enError = expectErrorCode(await gql(app, CHANGE_PASSWORD, { input: wrong }, { token: en.accessToken }), 'INVALID_CREDENTIALS');
    const viError = expectErrorCode(await gql(app, CHANGE_PASSWORD, { input: wrong }, { token: vi.accessToken }), 'INVALID_CREDENTIALS');
    expect(viError.message).not.toBe(enError.message);
    expect(viError.message).toMatch(VIETNAMESE_LETTERS);
    expect(enError.message).not.toMatch(VIETNAMESE_LETTERS);
  });

  it('Accept-Language: vi localizes an unauthenticated error; en and no header give English', async () => {
    const identifier = uniqueUsername('lang');
    const none = expectErrorCode(await trySignIn(identifier, 'Wrong-Pass-123'), 'INVALID_CREDENTIALS');
    const en = expectErrorCode(await trySignIn(identifier, 'Wrong-Pass-123', undefined, { headers: { 'accept-language': 'en-US,en;q=0.9' } }), 'INVALID_CREDENTIALS');
    const vi = expectErrorCode(await trySignIn(identifier, 'Wrong-Pass-123', undefined, { headers: { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' } }), 'INVALID_CREDENTIALS');
    expect(en.message).toBe(none.message);
    expect(vi.message).not.toBe(en.message);
    expect(vi.message).toMatch(VIETNAMESE_LETTERS);
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
