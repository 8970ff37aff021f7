/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM } from './support/browser';
import { gql, expectOk, startApp, TestApp } from '@app/testing';

// The IDE in a real browser (Debian's chromium, driven by playwright-core): every asset comes
// from the app itself, so it works with the internet cut off (contract: Endpoints; issue 6).
const OUT = join(process.cwd(), 'test-output', 'screens');

(HAS_CHROMIUM ? describe : describe.skip)('GraphQL IDE in a browser (skipped without /usr/bin/chromium)', () => {
  jest.setTimeout(120_000);
  let app: TestApp;
  let browser: Browser;
  const ADMIN = { username: 'ide_admin', password: 'ide admin passphrase 42' };

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    app = await startApp({ env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, GRAPHQL_PLAYGROUND: 'true' } });
    for (let i = 0; i < 3; i++) {
      expectOk(
        await gql(app, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`, {
          i: { username: `ide_user_${'abc'[i]}`, password: 'correct horse battery' },
        }),
      );
    }
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads offline, takes a pasted admin token and lists accounts', async () => {
    const token = expectOk(
      await gql<{ signIn: { accessToken: string } }>(app, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
        i: { identifier: ADMIN.username, password: ADMIN.password },
      }),
    ).signIn.accessToken;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const external: string[] = [];
      // "Network cut off": anything not served by the app itself is refused and recorded.
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(app.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        external.push(url);
        return route.abort();
      });
      await page.goto(`${app.url}/graphql`, { waitUntil: 'load' });
      await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });
      // Let the schema load first, so the editor's hints don't race our typing.
      await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 30_000 });

      // Headers tab: paste the bearer token.
      await page.getByText('Headers', { exact: true }).click();
      const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
      await headers.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));

      // Query editor: the accounts query.
      const query = page.locator('.graphiql-query-editor .graphiql-editor').first();
      await query.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('query Accounts { accounts(first: 10) { totalCount edges { node { identifiers { value } } } } }');
      await page.keyboard.press('Escape');
      await page.locator('.graphiql-execute-button').click();

      const response = page.locator('.graphiql-response');
      mkdirSync(OUT, { recursive: true });
      try {
        await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('ide_user_'), null, { timeout: 30_000 });
      } catch (err) {
        await page.screenshot({ path: join(OUT, 'graphql-ide-failure.png') });
        throw new Error(`no accounts in the response: ${(await response.textContent())?.slice(0, 500)} (${(err as Error).message})`, { cause: err });
      }
      const text = (await response.textContent()) ?? '';
      expect(text).toContain('ide_user_a');
      expect(text).toContain('"totalCount": 4');
      expect(external).toEqual([]);

      await page.screenshot({ path: join(OUT, 'graphql-ide-accounts.png') });
    } finally {
      await context.close();
    }
  });

  /** A fresh tab on the IDE (its own storage), once the editor and the schema are there. */
  async function openIde(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${app.url}/graphql`, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 30_000 });
    return page;
  }

  type EditorElement = Element & { CodeMirror: { getValue(): string; setValue(v: string): void } };
  const queryEditor = '.graphiql-query-editor .CodeMirror';
  const headersEditor = '.graphiql-editor-tool .CodeMirror >> nth=-1';
  const editorValue = (page: Page, selector: string) => page.locator(selector).evaluate((el) => (el as unknown as EditorElement).CodeMirror.getValue());

  /** Runs one operation through the IDE's own fetcher (the Authorization header as the IDE sends it). */
  async function run(page: Page, source: string): Promise<string> {
    await page.locator(queryEditor).evaluate((el, doc) => (el as unknown as EditorElement).CodeMirror.setValue(doc), source);
    // GraphiQL reads the operation name on a debounce, and saves the tab (in this tab's sessionStorage) when it has: wait for that.
    await page.waitForFunction((doc) => (sessionStorage.getItem('graphiql:tabState') ?? '').includes(JSON.stringify(doc).slice(1, -1)), source);
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(() => /"(data|errors)"/.test(document.querySelector('.graphiql-response')?.textContent ?? ''), null, { timeout: 30_000 });
    return (await page.locator('.graphiql-response').textContent()) ?? '';
  }

  const adminToken = async () =>
    expectOk(
      await gql<{ signIn: { accessToken: string } }>(app, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
        i: { identifier: ADMIN.username, password: ADMIN.password },
      }),
    ).signIn.accessToken;

  it('loads its own fonts and icon with no content-security-policy error, and /favicon.ico is an icon', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const console: string[] = [];
      const failed: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') console.push(m.text());
      });
      page.on('pageerror', (e) => console.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${app.url}/graphql`, { waitUntil: 'load' });
      await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });
      await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 30_000 });
      await page.evaluate(() => document.fonts.ready);
      expect(console.filter((m) => m.includes('Content Security Policy'))).toEqual([]);
      expect(console).toEqual([]);
      expect(failed).toEqual([]);
      // The fonts graphiql.css brings (as data: URLs) did load.
      expect(await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').length)).toBeGreaterThan(0);
      // The icon the page links decodes as a 16 px image.
      const width = await page.evaluate(async () => {
        const img = new Image();
        img.src = '/favicon.ico';
        await img.decode();
        return img.naturalWidth;
      });
      expect(width).toBe(16);
    } finally {
      await context.close();
    }
    const res = await fetch(`${app.url}/favicon.ico`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 200, type: 'image/x-icon' });
    // An ICO header: reserved 0, type 1 (icon).
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  });

  it('opens on a document whose comment and operations fit at 1280 px, whose opening comment shows the signIn mutation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await openIde(context);
      const text = await editorValue(page, queryEditor);
      expect(text.startsWith('# ')).toBe(true);
      // The opening comment shows the signIn mutation to run first.
      expect(text).toMatch(/^#\s+mutation \{\n#\s+signIn\(input: \{$/m);
      // Nothing runs past the editor's right edge: no horizontal scroll in the query editor.
      const overflow = await page.locator(`${queryEditor} .CodeMirror-scroll`).evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.clientWidth,
        longest: Math.max(...[...el.querySelectorAll('.CodeMirror-line > span')].map((s) => s.getBoundingClientRect().right)),
        right: el.getBoundingClientRect().right,
      }));
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
      expect(overflow.longest).toBeLessThanOrEqual(overflow.right);
      await page.screenshot({ path: join(OUT, 'graphql-ide-start.png') });
    } finally {
      await context.close();
    }
  });

  it('takes a token pasted without "Bearer ", and keeps the header across a reload in the same tab', async () => {
    const token = await adminToken();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await openIde(context);
      await page.getByText('Headers', { exact: true }).click();
      await page.locator(headersEditor).click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(token);
      await page.waitForFunction(
        (t) =>
          (document.querySelectorAll('.graphiql-editor-tool .CodeMirror')[1] as unknown as EditorElement | undefined)?.CodeMirror.getValue().includes(
            `Bearer ${t}`,
          ),
        token,
      );
      expect(JSON.parse(await editorValue(page, headersEditor))).toEqual({ Authorization: `Bearer ${token}` });
      expect(await run(page, '{ accounts(first: 1) { totalCount } }')).toContain('"totalCount"');

      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), null, { timeout: 30_000 });
      expect(JSON.parse(await editorValue(page, headersEditor))).toEqual({ Authorization: `Bearer ${token}` });
      expect(await run(page, '{ accounts(first: 1) { totalCount } }')).toContain('"totalCount"');

      // A JSON header whose value lacks the scheme is completed when sent.
      await page.locator(headersEditor).evaluate((el, t) => (el as unknown as EditorElement).CodeMirror.setValue(JSON.stringify({ Authorization: t })), token);
      expect(await run(page, '{ accounts(first: 1) { totalCount } }')).toContain('"totalCount"');
      // Kept in this tab's sessionStorage only, never in localStorage.
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(token);
    } finally {
      await context.close();
    }
  });

  it('signs in from the panel above the editor, which fills the Authorization header', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await openIde(context);
      await page.getByLabel('Username, email or phone').fill(ADMIN.username);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#ide-status').filter({ hasText: 'Not signed in' }).waitFor();
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#ide-status').filter({ hasText: 'Signed in' }).waitFor();
      await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
      expect(JSON.parse(await editorValue(page, headersEditor)).Authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(await run(page, '{ accounts(first: 1) { totalCount } }')).toContain('"totalCount"');
      await page.screenshot({ path: join(OUT, 'graphql-ide-signed-in.png') });
    } finally {
      await context.close();
    }
  });
});
