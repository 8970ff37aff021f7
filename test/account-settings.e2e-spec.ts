import {
  Account,
  ACCOUNT_FIELDS,
  AUTH_PAYLOAD_FIELDS,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  GqlOptions,
  IdentifierType,
  ME,
  recordedErrorCount,
  signUp,
  startStack,
  strongPassword,
  TestApp,
  TestStack,
  uniqueUsername,
} from '@app/testing';

// Contract README: updateProfile / updateSettings; Errors (localized messages: the account's
// locale, else Accept-Language, else DEFAULT_LOCALE).

let stack: TestStack;
let app: TestApp;

beforeAll(async () => {
  stack = await startStack({ name: 'account-settings' });
  app = stack.app;
}, 90_000);

const CHANGE_PASSWORD = `mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
const UPDATE_PROFILE = `mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ${ACCOUNT_FIELDS} } }`;
const UPDATE_SETTINGS = `mutation UpdateSettings($input: UpdateSettingsInput!) { updateSettings(input: $input) { ${ACCOUNT_FIELDS} } }`;
const SIGN_IN_TOKEN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { accessToken account { id } } }`;

function trySignIn(identifier: string, password: string, identifierType?: IdentifierType, opts?: GqlOptions) {
  const input: Record<string, unknown> = { identifier, password };
  if (identifierType) input.identifierType = identifierType;
  return gql<{ signIn: { accessToken: string; account: { id: string } } }>(app, SIGN_IN_TOKEN, { input }, opts);
}

async function meOk(token: string): Promise<Account> {
  return expectOk(await gql<{ me: Account }>(app, ME, undefined, { token })).me;
}

const VIETNAMESE_LETTERS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]/i;

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
    const en = expectErrorCode(
      await trySignIn(identifier, 'Wrong-Pass-123', undefined, { headers: { 'accept-language': 'en-US,en;q=0.9' } }),
      'INVALID_CREDENTIALS',
    );
    const vi = expectErrorCode(
      await trySignIn(identifier, 'Wrong-Pass-123', undefined, { headers: { 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' } }),
      'INVALID_CREDENTIALS',
    );
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
