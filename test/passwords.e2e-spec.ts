import {
  Account,
  AUTH_PAYLOAD_FIELDS,
  AuthPayload,
  decodeJwt,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  GqlOptions,
  identifierOf,
  IdentifierType,
  ME,
  recordedErrorCount,
  SIGN_UP,
  signIn,
  signUp,
  SignUpPayload,
  startStack,
  strongPassword,
  TestApp,
  TestStack,
  uniqueEmail,
  uniqueUsername,
} from '@app/testing';
import { randomBytes } from 'node:crypto';

// Contract README: Flows → Passwords (8–128 characters, any Unicode, no 72-byte truncation,
// policy, over 1,024 characters → BAD_USER_INPUT), changePassword, exact token revocation.

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'passwords' });
  app = stack.app;
}, 90_000);

const CHANGE_PASSWORD = `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
const SIGN_IN_TOKEN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken account { id } } }`;

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
    const oldPassword = password;
    const older = (await signIn(app, username, oldPassword)).accessToken;
    const newPassword = strongPassword();
    const res = await change(older, oldPassword, newPassword);
    const payload = expectOk(res).changePassword;
    password = newPassword;
    expect(payload.accessToken).not.toBe(older);
    expect(payload.account.passwordChangedAt).not.toBeNull();

    const mine = await meOk(payload.accessToken);
    expect(mine.passwordChangedAt).not.toBeNull();
    expectErrorCode(await gql(app, ME, undefined, { token: older }), 'UNAUTHENTICATED');
    expectErrorCode(await gql(app, ME, undefined, { token: signUpToken }), 'UNAUTHENTICATED');
    expectErrorCode(await trySignIn(username, oldPassword), 'INVALID_CREDENTIALS');
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

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
