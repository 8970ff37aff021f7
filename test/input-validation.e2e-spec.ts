import {
  Account,
  ACCOUNT_FIELDS,
  expectErrorCode,
  expectErrorCodeIn,
  expectNoInternalLeaks,
  expectOk,
  gql,
  GqlResponse,
  identifierOf,
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
  uniquePhone,
  uniqueUsername,
} from '@app/testing';

// Contract README: Identifiers (normalization, refused characters, BAD_USER_INPUT naming the
// field), Passwords (over 1,024 characters), Abuse limits (every string input has a maximum
// length), Errors (GRAPHQL_VALIDATION_FAILED with HTTP 400; no stack or SQL ever).

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'input-validation' });
  app = stack.app;
}, 90_000);

const TEN_KB = 'a'.repeat(10 * 1024);
const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken } }`;
const UPDATE_PROFILE = `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ${ACCOUNT_FIELDS} } }`;
const SCHEMA_ERROR_CODES = ['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'];

const trySignUp = (input: Record<string, unknown>) => gql<{ signUp: SignUpPayload }>(app, SIGN_UP, { input });
const trySignIn = (input: Record<string, unknown>) => gql<{ signIn: { accessToken: string } }>(app, SIGN_IN, { input });

/** A document or its variables refused by the schema: HTTP 400 and one schema error. */
function expectSchemaError(res: GqlResponse): void {
  expect(res.status).toBe(400);
  expectErrorCodeIn(res, SCHEMA_ERROR_CODES);
  expect(res.data ?? null).toBeNull();
}

describe('signUp refuses bad values with BAD_USER_INPUT naming the field, and writes nothing', () => {
  const cases: Array<[string, string, (fresh: { username: string }) => Record<string, unknown>]> = [
    // [label, field, input patch]
    ['empty username', 'username', () => ({ username: '' })],
    ['whitespace-only username', 'username', () => ({ username: ' \t  ' })],
    ['10 kB username', 'username', () => ({ username: TEN_KB })],
    ['2-character username', 'username', () => ({ username: 'ab' })],
    ['33-character username', 'username', () => ({ username: `u${'b'.repeat(32)}` })],
    ['username with a space', 'username', () => ({ username: 'has space' })],
    ['username with a non-ASCII letter', 'username', () => ({ username: 'nguyễn_văn' })],
    ['email-shaped username', 'username', () => ({ username: 'someone@example.com' })],
    ['phone-shaped username', 'username', () => ({ username: '0901234567' })],
    ['E.164-shaped username', 'username', () => ({ username: '+84901234567' })],
    ['username with a zero-width space', 'username', ({ username }) => ({ username: `${username.slice(0, 3)}\u200b${username.slice(3)}` })],
    ['username with a zero-width joiner', 'username', ({ username }) => ({ username: `${username}\u200d` })],
    ['username with a control character', 'username', ({ username }) => ({ username: `${username}\u0007` })],
    ['username with a NUL', 'username', ({ username }) => ({ username: `${username}\u0000` })],
    ['empty email', 'email', () => ({ email: '' })],
    ['whitespace-only email', 'email', () => ({ email: '   ' })],
    ['10 kB email', 'email', () => ({ email: `${TEN_KB}@example.com` })],
    ['email without @', 'email', () => ({ email: 'not-an-email' })],
    ['email without domain', 'email', () => ({ email: 'someone@' })],
    ['email without local part', 'email', () => ({ email: '@example.com' })],
    ['email with a space', 'email', () => ({ email: 'some one@example.com' })],
    ['email with a quoted local part', 'email', () => ({ email: '"some one"@example.com' })],
    ['email of 255 characters', 'email', () => ({ email: `${'e'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(58)}.com` })],
    ['email with a zero-width space', 'email', () => ({ email: `ali\u200bce.${Date.now()}@example.com` })],
    ['empty phone', 'phone', () => ({ phone: '' })],
    ['whitespace-only phone', 'phone', () => ({ phone: '  ' })],
    ['10 kB phone', 'phone', () => ({ phone: '9'.repeat(10 * 1024) })],
    ['2-digit phone', 'phone', () => ({ phone: '12' })],
    ['letters for a phone', 'phone', () => ({ phone: 'call me maybe' })],
    ['too short phone', 'phone', () => ({ phone: '+849012' })],
    ['too long phone', 'phone', () => ({ phone: '+8490123456789012' })],
    ['phone with a zero-width space', 'phone', () => ({ phone: `090\u200b${uniquePhone().slice(5)}` })],
    ['10 kB displayName', 'displayName', () => ({ displayName: TEN_KB })],
    ['10 kB firstName', 'firstName', () => ({ firstName: TEN_KB })],
    ['10 kB lastName', 'lastName', () => ({ lastName: TEN_KB })],
    ['10 kB organizationName', 'organizationName', () => ({ organizationName: TEN_KB })],
    ['unknown timezone', 'timezone', () => ({ timezone: 'Mars/Olympus_Mons' })],
    ['10 kB timezone', 'timezone', () => ({ timezone: TEN_KB })],
    ['password over 1,024 characters', 'password', () => ({ password: `Zq9!${'p'.repeat(1030)}` })],
    ['10 kB password', 'password', () => ({ password: TEN_KB })],
  ];

  it.each(cases)('%s → BAD_USER_INPUT on %s', async (_label, field, patch) => {
    const username = uniqueUsername('bad');
    const input = { username, password: strongPassword(), ...patch({ username }) };
    expectErrorCode(await trySignUp(input), 'BAD_USER_INPUT', field);
    if (field !== 'username') {
      // Nothing was written: the username of the refused sign-up is still free.
      const ok = await signUp(app, { username });
      expect(identifierOf(ok.account, 'USERNAME')?.value).toBe(username);
    }
  });

  it('a refused sign-up with valid email and phone leaves them unclaimed by a half-created account', async () => {
    const username = uniqueUsername('half');
    const email = uniqueEmail('half');
    const phone = uniquePhone();
    expectErrorCode(await trySignUp({ username, email, phone, password: 'short' }), 'PASSWORD_POLICY');
    const ok = await signUp(app, { username, email, phone });
    expect(ok.account.identifiers.map((i) => i.type).sort()).toEqual(['EMAIL', 'PHONE', 'USERNAME']);
  });
});

describe('signUp documents refused by the schema (HTTP 400)', () => {
  it('a number for a String in the document', async () => {
    const username = uniqueUsername('typ');
    expectSchemaError(await gql(app, `mutation { signUp(input: { username: 12345, password: "${strongPassword()}" }) { accessToken } }`));
    await signUp(app, { username });
  });

  it('a number for a String in the variables', async () => {
    expectSchemaError(await trySignUp({ username: 12345, password: strongPassword() }));
  });

  it('a list for a String in the variables', async () => {
    expectSchemaError(await trySignUp({ username: ['a', 'b'], password: strongPassword() }));
  });

  it('a missing required password in the document', async () => {
    expectSchemaError(await gql(app, `mutation { signUp(input: { username: "${uniqueUsername()}" }) { accessToken } }`));
  });

  it('a missing required password in the variables', async () => {
    const username = uniqueUsername('nopw');
    expectSchemaError(await trySignUp({ username }));
    await signUp(app, { username });
  });

  it('a null input', async () => {
    expectSchemaError(await gql(app, SIGN_UP, { input: null }));
  });

  it('no variables at all for a required input', async () => {
    expectSchemaError(await gql(app, SIGN_UP));
  });

  it('an unknown input field (roles) cannot sneak in', async () => {
    const username = uniqueUsername('sneak');
    expectSchemaError(await trySignUp({ username, password: strongPassword(), roles: ['ADMIN'] }));
    const ok = await signUp(app, { username });
    expect(ok.account.roles).toEqual(['OWNER']);
  });

  it('an unknown locale enum value', async () => {
    expectSchemaError(await trySignUp({ username: uniqueUsername(), password: strongPassword(), locale: 'FR' }));
  });
});

describe('signIn refuses bad values', () => {
  let username: string;
  let password: string;

  beforeAll(async () => {
    const p = await signUp(app);
    username = p.account.identifiers[0].value;
    password = p.password;
  });

  it.each([
    ['an empty identifier', ''],
    ['a whitespace-only identifier', '   '],
    ['a 10 kB identifier', TEN_KB],
    ['an identifier with a zero-width space', 'ali\u200bce_name'],
    ['an identifier with a control character', 'alice\u0007name'],
  ])('%s → BAD_USER_INPUT on identifier', async (_label, identifier) => {
    expectErrorCode(await trySignIn({ identifier, password }), 'BAD_USER_INPUT', 'identifier');
  });

  it('the real username with a zero-width space inside is refused, not silently stripped', async () => {
    const res = await trySignIn({ identifier: `${username.slice(0, 2)}\u200b${username.slice(2)}`, password });
    expectErrorCode(res, 'BAD_USER_INPUT', 'identifier');
  });

  it.each([
    ['a malformed email', 'someone@'],
    ['a too short username', 'ab'],
  ])('%s never signs in (BAD_USER_INPUT or INVALID_CREDENTIALS)', async (_label, identifier) => {
    const err = expectErrorCodeIn(await trySignIn({ identifier, password }), ['BAD_USER_INPUT', 'INVALID_CREDENTIALS']);
    if (err.extensions?.code === 'BAD_USER_INPUT') expect(err.extensions.field).toBe('identifier');
  });

  it('an empty password never signs in (INVALID_CREDENTIALS or BAD_USER_INPUT on password)', async () => {
    const err = expectErrorCodeIn(await trySignIn({ identifier: username, password: '' }), ['BAD_USER_INPUT', 'INVALID_CREDENTIALS']);
    if (err.extensions?.code === 'BAD_USER_INPUT') expect(err.extensions.field).toBe('password');
  });

  it.each([
    ['1,025 characters', 'p'.repeat(1025)],
    ['10 kB', TEN_KB],
  ])('a password of %s → BAD_USER_INPUT on password', async (_label, pw) => {
    expectErrorCode(await trySignIn({ identifier: username, password: pw }), 'BAD_USER_INPUT', 'password');
  });

  it('a number for the identifier → HTTP 400', async () => {
    expectSchemaError(await trySignIn({ identifier: 901234567, password }));
  });

  it('an unknown identifierType → HTTP 400', async () => {
    expectSchemaError(await trySignIn({ identifier: username, identifierType: 'NICKNAME', password }));
  });

  it('a missing password → HTTP 400', async () => {
    expectSchemaError(await gql(app, `mutation { signIn(input: { identifier: "${username}" }) { accessToken } }`));
  });

  it('after all of that the account still signs in', async () => {
    await signIn(app, username, password);
  });
});

describe('updateProfile refuses bad values and keeps the profile as it was', () => {
  const baseline = { displayName: 'Lê Văn Tám', firstName: 'Tám', lastName: 'Lê' };
  let token: string;

  beforeAll(async () => {
    token = (await signUp(app, baseline)).accessToken;
  });

  const profileNow = async () => expectOk(await gql<{ me: Account }>(app, ME, undefined, { token })).me.profile;
  const update = (input: unknown) => gql<{ updateProfile: Account }>(app, UPDATE_PROFILE, { input }, { token });

  it.each([
    ['10 kB displayName', 'displayName', { displayName: TEN_KB }],
    ['10 kB firstName', 'firstName', { firstName: TEN_KB }],
    ['10 kB lastName', 'lastName', { lastName: TEN_KB }],
    ['a NUL in displayName', 'displayName', { displayName: 'Lê\u0000Tám' }],
  ])('%s → BAD_USER_INPUT on %s', async (_label, field, input) => {
    expectErrorCode(await update(input), 'BAD_USER_INPUT', field);
    expect(await profileNow()).toEqual(baseline);
  });

  it('a whitespace-only displayName is refused or stored as empty, never as spaces', async () => {
    const res = await update({ displayName: '   ' });
    if (res.errors) {
      expectErrorCode(res, 'BAD_USER_INPUT', 'displayName');
      expect(await profileNow()).toEqual(baseline);
    } else {
      expect([null, '']).toContain(expectOk(res).updateProfile.profile.displayName);
      expectOk(await update({ displayName: baseline.displayName }));
    }
  });

  it('a number for displayName → HTTP 400', async () => {
    expectSchemaError(await update({ displayName: 5 }));
    expect(await profileNow()).toEqual(baseline);
  });

  it('contact fields are not part of UpdateProfileInput → HTTP 400', async () => {
    expectSchemaError(await update({ email: uniqueEmail() }));
    expectSchemaError(await update({ phone: uniquePhone() }));
    const me = expectOk(await gql<{ me: Account }>(app, ME, undefined, { token })).me;
    expect(me.identifiers.map((i) => i.type)).toEqual(['USERNAME']);
  });

  it('a missing input → HTTP 400', async () => {
    expectSchemaError(await gql(app, `mutation { updateProfile { profile { displayName } } }`, undefined, { token }));
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', () => {
    expect(recordedErrorCount()).toBeGreaterThan(20);
    expectNoInternalLeaks();
  });
});
