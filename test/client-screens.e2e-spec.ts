import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM } from './support/browser';
import { expectOk, gql, REPO_ROOT, signUp, startStack, strongPassword, TestStack, uniqueEmail, uniquePhone, uniqueUsername } from '@app/testing';

// Issue 7: the client screens in a real browser (Debian's chromium driven by playwright-core)
// against the real app, with codes read from the real SMTP / SMS sinks.

const SCREENS_DIR = join(REPO_ROOT, 'test-output', 'screens');

if (!HAS_CHROMIUM) {
  console.warn(`client-screens.e2e-spec: SKIPPED, ${CHROMIUM} is absent (install it with \`apt-get install -y chromium\`).`);
}

const describeInBrowser = HAS_CHROMIUM ? describe : describe.skip;

/**
 * Runs an expression in the page. Written as a string: this file is type-checked with Node's
 * types only (tsconfig.json), where `document` and `sessionStorage` do not exist.
 */
function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}
// The refresh token is the session's only stored part (apps/client/src/session.ts); the access token lives in memory.
const sessionToken = (page: Page) => inPage<string | null>(page, "localStorage.getItem('gatehouse.refresh')");
const pageLang = (page: Page) => inPage<string>(page, 'document.documentElement.lang');

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ name: 'client-screens' });
}, 90_000);

describe('the API serves the built client at /app', () => {
  const get = (path: string, init?: RequestInit) => fetch(`${stack.app.url}${path}`, { redirect: 'manual', ...init });

  it('answers deep links with the HTML, revalidated on every visit and locked to this origin', async () => {
    for (const path of ['/app', '/app/', '/app/sign-up', '/app/sign-in', '/app/verify', '/app/reset-password?x', '/app/reset-password/']) {
      const res = await get(path);
      const html = await res.text();
      expect({ path, status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
        cache: 'no-cache',
      });
      expect(html).toContain('<div id="root"></div>');
      expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    }
  });

  it('serves the hashed assets the HTML names as immutable for a year, and 404s unknown ones', async () => {
    const html = await (await get('/app/sign-in')).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(asset).toMatch(/-[\w-]{8}\.(js|css)$/);
      const res = await get(asset);
      await res.arrayBuffer();
      expect({ asset, status: res.status, cache: res.headers.get('cache-control') }).toEqual({
        asset,
        status: 200,
        cache: 'public, max-age=31536000, immutable',
      });
    }
    for (const path of ['/app/assets/index-nothere1.js', '/app/favicon.ico', '/app/assets/..%2f..%2fapps%2fapi%2fsrc%2fmain.js', '/app/..%2fpackage.json']) {
      const res = await get(path);
      const body = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(body).not.toContain('<div id="root">');
    }
  });

  it('GET / sends a browser to /app/sign-in', async () => {
    const res = await get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app/sign-in');
  });

  it('leaves /graphql, /health and /metrics as they were', async () => {
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(200);
    expect(expectOk(await gql<{ __typename: string }>(stack.app, '{ __typename }')).__typename).toBe('Query');
    const post = await get('/app/sign-in', { method: 'POST' });
    expect(post.status).toBe(404);
  });
});

describeInBrowser('client screens (/app) in Chromium', () => {
  const contexts: Array<{ context: BrowserContext; dir: string }> = [];
  /** Every request a page made outside the app's origin (there must be none). */
  const foreignRequests: string[] = [];

  beforeAll(() => {
    mkdirSync(SCREENS_DIR, { recursive: true });
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map(({ context }) => context.close()));
    for (const { dir } of contexts) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(foreignRequests).toEqual([]);
  });

  /** A fresh browser with its own new profile, a 360 px wide screen and the given browser language. */
  async function openBrowser(locale: 'en-US' | 'vi-VN'): Promise<BrowserContext> {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 360, height: 740 },
      locale,
    });
    context.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(`${stack.app.url}/`) && !url.startsWith('data:')) foreignRequests.push(url);
    });
    contexts.push({ context, dir });
    return context;
  }

  let enBrowser: BrowserContext | undefined;
  let viBrowser: BrowserContext | undefined;
  const en = async () => (enBrowser ??= await openBrowser('en-US'));
  const vi = async () => (viBrowser ??= await openBrowser('vi-VN'));

  /** A new tab, signed out: the session is shared by the browser's tabs, so an earlier test's is forgotten first. */
  async function newTab(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    // A page where the app does not run: a tab that boots it could rotate and store the token again meanwhile.
    await page.goto(`${stack.app.url}/app/config.json`);
    await inPage(page, "localStorage.removeItem('gatehouse.refresh')");
    await page.goto(`${stack.app.url}${path}`);
    await page.locator('h1').first().waitFor();
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    // Let the focus ring and any pending render settle so the picture shows the screen at rest.
    await inPage(page, 'new Promise((done) => requestAnimationFrame(() => done(null)))');
    await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
  }

  async function horizontalOverflow(page: Page): Promise<number> {
    return inPage<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');
  }

  async function signUpInBrowser(page: Page, values: { username: string; email?: string; password: string }): Promise<void> {
    await page.getByLabel('Username').fill(values.username);
    if (values.email) await page.getByLabel('Email').fill(values.email);
    await page.getByLabel('Password', { exact: true }).fill(values.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/app/account');
  }

  it('sign up → verify the email with the code from the SMTP sink → sign in', async () => {
    const context = await en();
    const page = await newTab(context, '/app/sign-up');
    const username = uniqueUsername('ui');
    const email = uniqueEmail('ui');
    const password = strongPassword();

    await signUpInBrowser(page, { username, email, password });
    const emailItem = page.locator('li[data-identifier-type="EMAIL"]');
    await expect(emailItem.textContent()).resolves.toContain(email);
    await expect(emailItem.locator('.badge').textContent()).resolves.toBe('Not verified');
    // The code sign-up sent (payload `verifications`): the form is already there.
    await expect(emailItem.textContent()).resolves.toMatch(/If \S+@example\.com can be added to your account, we sent a code there\./);

    const code = await stack.smtp.waitForCode(email);
    await emailItem.getByLabel('Code').fill(code);
    await emailItem.getByRole('button', { name: 'Verify' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${email} is now verified.` })
      .waitFor();
    await expect(emailItem.locator('.badge').textContent()).resolves.toBe('Verified');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/app/sign-in');
    await expect(sessionToken(page)).resolves.toBeNull();

    // Keyboard only: type, Tab to the password, Enter submits.
    await page.getByLabel('Username, email or phone number').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/app/account');
    await page.getByText(`Signed in as ${username}`).waitFor();
    await expect(page.locator('li[data-identifier-type="EMAIL"] .badge').textContent()).resolves.toBe('Verified');

    // Reloading the signed-in screen: the session survives (the refresh token) and nothing moves
    // while the identifiers load.
    await page.reload();
    await page.locator('li[data-identifier-type="EMAIL"]').waitFor();
    const layoutShift = await inPage<number>(
      page,
      `new Promise((done) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => done(total), 300);
      })`,
    );
    expect(layoutShift).toBeLessThan(0.05);
    await page.close();
  });

  it('a wrong code shows the attempts left, and resend counts down live', async () => {
    const context = await en();
    const page = await newTab(context, '/app/sign-up');
    const email = uniqueEmail('wrong');
    await signUpInBrowser(page, { username: uniqueUsername('wrong'), email, password: strongPassword() });

    const code = await stack.smtp.waitForCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const item = page.locator('li[data-identifier-type="EMAIL"]');
    await item.getByLabel('Code').fill(wrong);
    await item.getByRole('button', { name: 'Verify' }).click();
    const alert = item.getByRole('alert');
    await alert.filter({ hasText: 'That code is not correct. 4 attempts left.' }).waitFor();
    await expect(item.getByLabel('Code').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(item.locator('.badge').textContent()).resolves.toBe('Not verified');

    // The cool-down after sign-up's send: a disabled button with a ticking countdown.
    const resend = item.getByRole('button', { name: /^Resend code in \d+:\d\d$/ });
    await expect(resend.isDisabled()).resolves.toBe(true);
    const before = await resend.textContent();
    await page.waitForTimeout(1_200);
    const after = await item.getByRole('button', { name: /^Resend code/ }).textContent();
    expect(after).not.toBe(before);
    await screenshot(page, 'verify-wrong-code.en');

    // The right code still works afterwards.
    await item.getByLabel('Code').fill(code);
    await item.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('status').filter({ hasText: 'is now verified.' }).waitFor();
    await page.close();
  });

  it('sign-in with an unverified phone verifies it with the SMS code without a session, then signs in', async () => {
    const phone = uniquePhone();
    const { password } = await signUp(stack.app, { phone });
    const code = await stack.sms.waitForCode(phone);

    const page = await newTab(await en(), '/app/sign-in');
    await page.getByLabel('Username, email or phone number').fill(phone);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Verify to finish signing in' }).waitFor();
    await expect(sessionToken(page)).resolves.toBeNull();

    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL('**/app/account');
    await expect(page.locator('li[data-identifier-type="PHONE"] .badge').textContent()).resolves.toBe('Verified');
    await page.close();
  });

  it('forgot password → reset with the emailed code → sign in with the new password (never signed in by the reset)', async () => {
    const email = uniqueEmail('reset');
    const username = uniqueUsername('reset');
    const signedUp = await signUp(stack.app, { username, email });
    const verifyCode = await stack.smtp.waitForCode(email);
    expectOk(
      await gql(stack.app, `mutation V($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { verified } }`, {
        input: { challengeId: signedUp.verifications[0].challengeId, code: verifyCode },
      }),
    );
    const newPassword = strongPassword();

    const page = await newTab(await en(), '/app/sign-in');
    await page.getByLabel('Username, email or phone number').fill(email);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/app/reset-password?identifier=*');
    await expect(page.getByLabel('Username, email or phone number').inputValue()).resolves.toBe(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('heading', { name: 'Enter the code' }).waitFor();
    await screenshot(page, 'reset-password-code.en');

    const code = await stack.smtp.waitForCode(email);
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    // A mismatch is caught here; a refused password comes back as PASSWORD_POLICY.
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(`${newPassword}x`);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords are not the same.' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(username);
    await page.getByLabel('Repeat the new password').fill(username);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'This password is not allowed' }).waitFor();
    await screenshot(page, 'reset-password-policy.en');

    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await screenshot(page, 'reset-password-done.en');
    await expect(sessionToken(page)).resolves.toBeNull();

    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await page.waitForURL('**/app/sign-in?identifier=*');
    await page.getByLabel('Password', { exact: true }).fill(signedUp.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The email, phone number, username or password is not correct.' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/app/account');
    await page.getByText(`Signed in as ${username}`).waitFor();
    await page.close();
  });

  it('shows Vietnamese text for a Vietnamese browser, errors included, and switches to English', async () => {
    const page = await newTab(await vi(), '/app/sign-in');
    await expect(pageLang(page)).resolves.toBe('vi');
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await page.getByLabel('Tên đăng nhập, email hoặc số điện thoại').fill(uniqueUsername('nobody'));
    await page.getByLabel('Mật khẩu', { exact: true }).fill(strongPassword());
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Email, số điện thoại, tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
    await screenshot(page, 'sign-in-error.vi');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(pageLang(page)).resolves.toBe('en');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The email, phone number, username or password is not correct.');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    await page.close();
  });

  for (const lang of ['en', 'vi'] as const) {
    it(`every screen in ${lang} fits a 360 px viewport without horizontal scroll (screenshots in test-output/screens)`, async () => {
      const context = lang === 'en' ? await en() : await vi();
      const page = await newTab(context, '/app/sign-in');
      // The choice is remembered per browser; start from the browser's own language.
      await inPage(page, "localStorage.removeItem('gatehouse.locale')");

      for (const screen of ['sign-in', 'sign-up', 'reset-password'] as const) {
        await page.goto(`${stack.app.url}/app/${screen}`);
        await page.locator('h1').waitFor();
        await expect(pageLang(page)).resolves.toBe(lang);
        expect({ screen, overflow: await horizontalOverflow(page) }).toEqual({ screen, overflow: 0 });
        await screenshot(page, `${screen}.${lang}`);
      }

      // The verify screen with a long email and an open code form.
      await page.goto(`${stack.app.url}/app/sign-up`);
      const email = uniqueEmail(`a-rather-long-mailbox-name-${lang}`);
      await page.locator('#sign-up-username').fill(uniqueUsername(lang));
      await page.locator('#sign-up-email').fill(email);
      await page.locator('#sign-up-password').fill(strongPassword());
      await page.locator('form button[type="submit"]').click();
      await page.waitForURL('**/app/account');
      await page.locator('li[data-identifier-type="EMAIL"] .otp').waitFor();
      expect({ screen: 'verify', overflow: await horizontalOverflow(page) }).toEqual({ screen: 'verify', overflow: 0 });
      await screenshot(page, `verify.${lang}`);
      await stack.smtp.waitForCode(email);
      await page.close();
    });
  }
});
