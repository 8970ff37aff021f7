/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM } from './support/browser';
import { totpAt } from './support/totp';
import {
  expectOk,
  gql,
  REPO_ROOT,
  signIn,
  signUp,
  startStack,
  stopAllApps,
  strongPassword,
  TestStack,
  uniqueEmail,
  uniquePhone,
  uniqueUsername,
} from '@app/testing';

// The signed-in screens and the session handling of the client (apps/client) in Debian's
// chromium, against the real app. The network outside the app is cut: any other request is
// aborted and recorded, and every test ends by checking there was none.

const SCREENS_DIR = join(REPO_ROOT, 'test-output', 'screens');
const SHOP = 'https://shop.example.com';
const describeInBrowser = HAS_CHROMIUM ? describe : describe.skip;

jest.setTimeout(90_000);

const inPage = <T = unknown>(page: Page, expression: string) => page.evaluate<T>(expression);
const refreshToken = async (page: Page) => {
  const raw = await inPage<string | null>(page, "localStorage.getItem('gatehouse.refresh')");
  return raw ? (JSON.parse(raw) as { refreshToken: string }).refreshToken : null;
};

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ name: 'client-account', env: { CLIENT_RETURN_ORIGINS: SHOP } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await stopAllApps();
});

/**
 * The QR code an element shows, read as a camera would: a screenshot of the element as the page
 * paints it, turned into RGBA pixels by the page (it has the PNG decoder) and decoded here by
 * jsQR, not by the library that drew it.
 */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
  const png = await page.locator(selector).screenshot();
  const image = await page.evaluate(async (base64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${base64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    return { width: canvas.width, height: canvas.height, rgba: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data) };
  }, png.toString('base64'));
  return jsQR(Uint8ClampedArray.from(image.rgba), image.width, image.height)?.data ?? null;
}

/** True when the running API knows this mutation (the second-factor backend may not be merged yet). */
async function hasMutation(name: string): Promise<boolean> {
  const res = await gql<{ __type: { fields: Array<{ name: string }> } }>(stack.app, `{ __type(name: "Mutation") { fields { name } } }`);
  return Boolean(res.data?.__type?.fields.some((f) => f.name === name));
}

it('serves the return origins at /app/config.json', async () => {
  const res = await fetch(`${stack.app.url}/app/config.json`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ returnOrigins: [SHOP] });
});

describeInBrowser('signed-in screens (/app/account) in Chromium', () => {
  let context: BrowserContext;
  let dir: string;
  const foreign: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENS_DIR, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 360, height: 740 },
      locale: 'en-US',
    });
    // The network is cut: only the app's origin answers. The shop is answered here, without a network.
    await context.route(
      (url) => !url.href.startsWith(`${stack.app.url}/`) && url.protocol !== 'data:' && url.protocol !== 'blob:',
      async (route) => {
        const url = route.request().url();
        if (url.startsWith(`${SHOP}/`)) return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Shop</h1>' });
        foreign.push(url);
        return route.abort();
      },
    );
  });

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    expect(foreign).toEqual([]);
    for (const page of context.pages()) await page.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    // A page where the app does not run: a tab that boots it could rotate and store the token again meanwhile.
    await page.goto(`${stack.app.url}/app/config.json`);
    await inPage(page, 'localStorage.clear(); sessionStorage.clear()');
    await page.goto(`${stack.app.url}${path}`);
    await page.locator('h1').first().waitFor();
    return page;
  }

  async function signInInBrowser(page: Page, identifier: string, password: string): Promise<void> {
    await page.getByLabel('Username, email or phone number').fill(identifier);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });

  it('stays signed in across a reload and a second tab, skips sign-in when signed in, and signs out for real in every tab', async () => {
    const { username, password } = { username: uniqueUsername('sess'), password: strongPassword() };
    await signUp(stack.app, { username, password });
    const page = await open('/app/sign-in');
    await signInInBrowser(page, username, password);
    await page.waitForURL('**/app/account');
    await page.getByText(`Signed in as ${username}`).waitFor();
    const token = await refreshToken(page);
    expect(token).toBeTruthy();
    // The access token is never stored.
    expect(await inPage<string>(page, 'JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(/eyJ/);

    await page.reload();
    await page.getByText(`Signed in as ${username}`).waitFor();
    const second = await context.newPage();
    await second.goto(`${stack.app.url}/app/sign-in`);
    await second.waitForURL('**/app/account');
    await second.getByText(`Signed in as ${username}`).waitFor();
    await second.locator('[data-current="true"]').waitFor();

    const current = await refreshToken(second);
    await page.getByRole('button', { name: 'Sign out', exact: true }).last().click();
    await page.waitForURL('**/app/sign-in');
    await second.waitForURL('**/app/sign-in');
    expect(await refreshToken(second)).toBeNull();
    // The server ended the session: its refresh token is refused.
    const res = await gql(stack.app, `mutation R($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, { t: current });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('edits the profile, lists sessions with "This device", signs another one out, and shows a refused new password at its field', async () => {
    const username = uniqueUsername('acct');
    const password = strongPassword();
    await signUp(stack.app, { username, password });
    const other = await signIn(stack.app, username, password);
    const page = await open('/app/sign-in');
    await signInInBrowser(page, username, password);
    await page.waitForURL('**/app/account');

    await page.getByLabel('Display name').fill('Ana Tester');
    await page.getByLabel('First name').fill('Ana');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#profile-status').filter({ hasText: 'Saved.' }).waitFor();
    const me = expectOk(
      await gql<{ me: { profile: { displayName: string; firstName: string } } }>(
        stack.app,
        '{ me { profile { displayName firstName } } }',
        {},
        { token: other.accessToken },
      ),
    );
    expect(me.me.profile).toEqual({ displayName: 'Ana Tester', firstName: 'Ana' });

    const sessions = page.locator('#sessions li');
    // Sign-up's session, the API sign-in's and this browser's.
    await expect(sessions.count()).resolves.toBe(3);
    await expect(page.locator('[data-current="true"]').textContent()).resolves.toContain('This device');
    await page
      .locator(`[data-session-id="${other.sessionId}"]`)
      .getByRole('button', { name: /^Sign out/ })
      .click();
    await page.locator('#sessions-status').filter({ hasText: 'That device was signed out.' }).waitFor();
    const refused = await gql(stack.app, '{ me { id } }', {}, { token: other.accessToken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await page.getByLabel('Current password').first().fill(password);
    await page.getByLabel('New password').fill(username);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#password-new-error').filter({ hasText: 'This password is not allowed' }).waitFor();
    await expect(page.getByLabel('New password').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
  });

  it('deletes the account with a code, shows the date, and cancels the deletion from /app/cancel-deletion', async () => {
    const email = uniqueEmail('del');
    const signedUp = await signUp(stack.app, { email });
    expectOk(
      await gql(stack.app, `mutation V($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { verified } }`, {
        input: { challengeId: signedUp.verifications[0].challengeId, code: await stack.smtp.waitForCode(email) },
      }),
    );
    const page = await open('/app/sign-in');
    await signInInBrowser(page, email, signedUp.password);
    await page.waitForURL('**/app/account');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByLabel('Reason').fill('testing');
    await page.locator('#deletion-password').fill(signedUp.password);
    await page.getByRole('button', { name: 'Send a code' }).click();
    await page.locator('#deletion-otp-code').fill(await stack.smtp.waitForCode(email));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/app/cancel-deletion?scheduled=*');
    await page.getByText('Your account will be deleted on').waitFor();

    // Signing in now explains, and leads to the cancellation.
    await page.goto(`${stack.app.url}/app/sign-in`);
    await signInInBrowser(page, email, signedUp.password);
    await page.getByRole('alert').filter({ hasText: 'scheduled for deletion' }).waitFor();
    await page.getByRole('link', { name: 'Cancel the deletion' }).click();
    await page.waitForURL('**/app/cancel-deletion?identifier=*');
    await expect(page.getByLabel('Email or phone number').inputValue()).resolves.toBe(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.locator('#cancel-otp-code').fill(await stack.smtp.waitForCode(email));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('The deletion is cancelled.').waitFor();
    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await signInInBrowser(page, email, signedUp.password);
    await page.waitForURL('**/app/account');
  });

  it('follows ?return_to= only to a listed origin, with no token in the URL', async () => {
    const username = uniqueUsername('ret');
    const { password } = await signUp(stack.app, { username });
    for (const bad of ['https://evil.example/x', '//evil.example/x', 'javascript:alert(1)', `${SHOP}.evil.example/`]) {
      const page = await open(`/app/sign-in?return_to=${encodeURIComponent(bad)}`);
      await signInInBrowser(page, username, password);
      await page.waitForURL('**/app/account');
      await page.close();
    }
    const page = await open(`/app/sign-in?return_to=${encodeURIComponent(`${SHOP}/cart?x=1`)}`);
    await page.getByText(`After signing in you go back to ${SHOP}.`).waitFor();
    await signInInBrowser(page, username, password);
    await page.waitForURL(`${SHOP}/cart?x=1`);
    expect(page.url()).toBe(`${SHOP}/cart?x=1`);
  });

  it('flags every required field of an empty sign-up form once, each with its own message', async () => {
    const page = await open('/app/sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#sign-up-username-error').filter({ hasText: 'Enter a username.' }).waitFor();
    await expect(page.locator('#sign-up-password-error').textContent()).resolves.toBe('Enter a password.');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Please correct the 2 fields marked below.');
    await expect(page.getByText('Enter a username.').count()).resolves.toBe(1);
    await expect(inPage<string>(page, 'document.activeElement.id')).resolves.toBe('sign-up-username');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#sign-up-password-error').filter({ hasText: 'Use at least 8 characters.' }).waitFor();
    await shot(page, 'sign-up-empty.en');
  });

  it('the "verify to finish signing in" step names where the code went, goes Back, and offers a different account', async () => {
    const phone = uniquePhone();
    const { password } = await signUp(stack.app, { phone });
    await stack.sms.waitForCode(phone);
    const page = await open('/app/sign-in');
    await signInInBrowser(page, phone, password);
    await page.getByRole('heading', { name: 'Verify to finish signing in' }).waitFor();
    // The masked destination the API hands back with IDENTIFIER_NOT_VERIFIED (+8490****567 style).
    await page.getByText(new RegExp(`We sent a code to \\${phone.slice(0, 5)}\\*+${phone.slice(-3)}\\.`)).waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.getByLabel('Username, email or phone number').inputValue()).resolves.toBe(phone);
    await signInInBrowser(page, phone, password);
    await page.getByRole('button', { name: 'Use a different account' }).click();
    await expect(page.getByLabel('Username, email or phone number').inputValue()).resolves.toBe('');
  });

  it('after the last wrong code, clears the field, hides the expiry and moves focus to "Send a new code", which counts down', async () => {
    const email = uniqueEmail('dead');
    await signUp(stack.app, { email });
    const code = await stack.smtp.waitForCode(email);
    const page = await open('/app/sign-in');
    // Signed up in this browser instead, so the account screen holds sign-up's challenge.
    await page.goto(`${stack.app.url}/app/sign-up`);
    const mail = uniqueEmail('dead2');
    await page.getByLabel('Username').fill(uniqueUsername('dead'));
    await page.getByLabel('Email').fill(mail);
    await page.getByLabel('Password', { exact: true }).fill(strongPassword());
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/app/account');
    const real = await stack.smtp.waitForCode(mail);
    const wrong = real === '000000' ? '111111' : '000000';
    const item = page.locator('li[data-identifier-type="EMAIL"]');
    for (let n = 0; n < 5; n++) {
      await item.getByLabel('Code').fill(wrong);
      await item.getByRole('button', { name: 'Verify' }).click();
      await item
        .getByRole('alert')
        .filter({ hasText: n < 4 ? 'attempt' : 'Too many wrong codes' })
        .waitFor();
    }
    await expect(item.getByLabel('Code').inputValue()).resolves.toBe('');
    await expect(item.locator('.otp-sent').textContent()).resolves.not.toContain('valid until');
    // Still inside sign-up's cool-down: the way out counts down, and focus rests on it.
    const restart = item.getByRole('button', { name: /^Send a new code in \d+:\d\d$/ });
    await restart.waitFor();
    const before = await restart.textContent();
    await page.waitForTimeout(1_200);
    expect(await item.getByRole('button', { name: /^Send a new code/ }).textContent()).not.toBe(before);
    await expect(inPage<string>(page, 'document.activeElement.textContent')).resolves.toMatch(/Send a new code/);
    await shot(page, 'verify-dead-code.en');
    expect(code).toBeTruthy();
  });

  it("second step: the authenticator app's QR code decodes to exactly the otpauthUri the API returned (needs the second-factor backend)", async () => {
    if (!(await hasMutation('beginTotpEnrollment'))) {
      console.warn('client-screens-account: SKIPPED second step, the API has no beginTotpEnrollment yet');
      return;
    }
    const username = uniqueUsername('totp');
    const { password } = await signUp(stack.app, { username });
    const page = await open('/app/sign-in');
    await signInInBrowser(page, username, password);
    await page.waitForURL('**/app/account');
    await page.getByRole('button', { name: 'Use an authenticator app' }).click();
    await page.locator('#security-password').fill(password);
    const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('beginTotpEnrollment'));
    await page.getByRole('button', { name: 'Continue' }).click();
    const { otpauthUri } = ((await (await answer).json()) as { data: { beginTotpEnrollment: { otpauthUri: string } } }).data.beginTotpEnrollment;
    await page.locator('#totp-qr').waitFor();
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    // What a phone's camera reads: the picture's pixels, decoded here by another QR library.
    expect(await decodeQr(page, '#totp-qr')).toBe(otpauthUri);
  });

  // The words the tour clicks, per language (fields go by element id).
  const WORDS = {
    en: {
      signIn: 'Sign in',
      setUpApp: 'Use an authenticator app',
      next: 'Continue',
      turnOn: 'Turn on',
      saved: 'I have saved them',
      signOut: 'Sign out',
      withCode: 'Sign in with a code instead',
      sendCode: 'Send code',
      verify: 'Verify',
      deleteStart: 'Delete my account',
      deleteSend: 'Send a code',
    },
    vi: {
      signIn: 'Đăng nhập',
      setUpApp: 'Dùng ứng dụng xác thực',
      next: 'Tiếp tục',
      turnOn: 'Bật',
      saved: 'Tôi đã lưu lại',
      signOut: 'Đăng xuất',
      withCode: 'Đăng nhập bằng mã xác minh',
      sendCode: 'Gửi mã xác minh',
      verify: 'Xác minh',
      deleteStart: 'Xóa tài khoản của tôi',
      deleteSend: 'Gửi mã xác minh',
    },
  };
  for (const lang of ['en', 'vi'] as const) {
    it(`the whole account in ${lang}: home, second step with a readable QR code, sessions, activity, sign-in with a code and the second step, deletion and its cancellation (screenshots)`, async () => {
      const w = WORDS[lang];
      const email = uniqueEmail(`tour-${lang}`);
      const signedUp = await signUp(stack.app, { username: uniqueUsername(`tour_${lang}`), email });
      expectOk(
        await gql(stack.app, `mutation V($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { verified } }`, {
          input: { challengeId: signedUp.verifications[0].challengeId, code: await stack.smtp.waitForCode(email) },
        }),
      );
      await signIn(stack.app, email, signedUp.password);
      const page = await open('/app/sign-in');
      await inPage(page, `localStorage.setItem('gatehouse.locale', '${lang}')`);
      await page.reload();
      await expect(inPage<string>(page, 'document.documentElement.lang')).resolves.toBe(lang);
      await page.locator('#sign-in-identifier').fill(email);
      await page.locator('#sign-in-password').fill(signedUp.password);
      await page.getByRole('button', { name: w.signIn, exact: true }).click();
      await page.waitForURL('**/app/account');
      await page.locator('#security:not([aria-busy])').waitFor();
      await page.locator('#activity:not([aria-busy]) .event').first().waitFor();
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0);
      await shot(page, `account.${lang}`);
      await page.locator('section[aria-labelledby="sessions-title"]').screenshot({ path: join(SCREENS_DIR, `sessions.${lang}.png`) });
      await page.locator('#activity').screenshot({ path: join(SCREENS_DIR, `activity.${lang}.png`) });

      // Second step: the app, its QR code read back, the first code, the recovery codes.
      await page.getByRole('button', { name: w.setUpApp }).click();
      await page.locator('#security-password').fill(signedUp.password);
      const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('beginTotpEnrollment'));
      await page.getByRole('button', { name: w.next }).click();
      const { otpauthUri } = ((await (await answer).json()) as { data: { beginTotpEnrollment: { otpauthUri: string } } }).data.beginTotpEnrollment;
      await page.locator('#totp-qr').waitFor();
      expect(await decodeQr(page, '#totp-qr')).toBe(otpauthUri);
      await page.locator('#security').screenshot({ path: join(SCREENS_DIR, `security-totp.${lang}.png`) });
      const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
      await page.locator('#security-code').fill(await totpAt(secret, Math.floor(Date.now() / 1000)));
      await page.getByRole('button', { name: w.turnOn, exact: true }).click();
      await page.locator('#recovery-codes li').first().waitFor();
      await expect(page.locator('#recovery-codes li').count()).resolves.toBeGreaterThan(0);
      await page.locator('#security').screenshot({ path: join(SCREENS_DIR, `security-recovery-codes.${lang}.png`) });
      await page.getByRole('button', { name: w.saved }).click();

      // Signed out, back in with a code instead of the password, then the second step.
      await page.getByRole('button', { name: w.signOut, exact: true }).last().click();
      await page.waitForURL('**/app/sign-in');
      await page.getByRole('button', { name: w.withCode }).click();
      await page.locator('#sign-in-code-identifier').fill(email);
      await page.getByRole('button', { name: w.sendCode, exact: true }).click();
      const code = await stack.smtp.waitForCode(email);
      await page.locator('#sign-in-code-otp-code').waitFor();
      await shot(page, `sign-in-code.${lang}`);
      await page.locator('#sign-in-code-otp-code').fill(code);
      await page.getByRole('button', { name: w.verify, exact: true }).click();
      await page.locator('#sign-in-second-title').waitFor();
      await shot(page, `sign-in-second-step.${lang}`);
      // One step ahead: the step of the code that turned it on is spent.
      await page.locator('#second-step-code').fill(await totpAt(secret, Math.floor(Date.now() / 1000) + 30));
      await page.getByRole('button', { name: w.verify, exact: true }).click();
      await page.waitForURL('**/app/account');

      // Deletion: reason, password, code; then the date and the way back.
      await page.getByRole('button', { name: w.deleteStart }).click();
      await page.locator('#deletion-reason').fill(lang === 'vi' ? 'Tôi không dùng nữa' : 'I no longer use it');
      await page.locator('#deletion-password').fill(signedUp.password);
      await page.locator('section[aria-labelledby="deletion-title"]').screenshot({ path: join(SCREENS_DIR, `delete-account.${lang}.png`) });
      await page.getByRole('button', { name: w.deleteSend, exact: true }).click();
      await page.locator('#deletion-otp-code').fill(await stack.smtp.waitForCode(email));
      await page.getByRole('button', { name: w.verify, exact: true }).click();
      await page.waitForURL('**/app/cancel-deletion?scheduled=*');
      await page.locator('#cancel-identifier').waitFor();
      await shot(page, `cancel-deletion.${lang}`);
      await page.locator('#cancel-identifier').fill(email);
      await page.getByRole('button', { name: w.sendCode, exact: true }).click();
      await page.locator('#cancel-otp-code').fill(await stack.smtp.waitForCode(email));
      await shot(page, `cancel-deletion-code.${lang}`);
      await page.getByRole('button', { name: w.verify, exact: true }).click();
      await page.getByText(lang === 'vi' ? 'Đã hủy yêu cầu xóa.' : 'The deletion is cancelled.').waitFor();
    });
  }

  it('sign in with a code instead (needs the sign-in-by-code backend)', async () => {
    if (!(await hasMutation('requestSignInCode'))) {
      console.warn('client-screens-account: SKIPPED sign-in by code, the API has no requestSignInCode yet');
      return;
    }
    const email = uniqueEmail('code');
    const signedUp = await signUp(stack.app, { email });
    expectOk(
      await gql(stack.app, `mutation V($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { verified } }`, {
        input: { challengeId: signedUp.verifications[0].challengeId, code: await stack.smtp.waitForCode(email) },
      }),
    );
    const page = await open('/app/sign-in');
    await page.getByRole('button', { name: 'Sign in with a code instead' }).click();
    await page.getByLabel('Username, email or phone number').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('If this account has a verified email or phone, we sent a code there.').waitFor();
    await page.getByRole('textbox', { name: 'Code' }).fill(await stack.smtp.waitForCode(email));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/app/account');
  });
});
