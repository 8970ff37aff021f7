/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gql, expectOk, startApp, TestApp } from '@app/testing';

// The IDE in a real browser (Debian's chromium, driven by playwright-core): every asset comes
// from the app itself, so it works with the internet cut off (contract: Endpoints; issue 6).
const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const OUT = join(process.cwd(), 'test-output', 'screens');

(haveBrowser ? describe : describe.skip)('GraphQL IDE in a browser (skipped without /usr/bin/chromium)', () => {
  jest.setTimeout(120_000);
  let app: TestApp;
  const ADMIN = { username: 'ide_admin', password: 'ide admin passphrase 42' };

  beforeAll(async () => {
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
    await app?.stop();
  });

  it('loads offline, takes a pasted admin token and lists accounts', async () => {
    const { chromium } = await import('playwright-core');
    const token = expectOk(
      await gql<{ signIn: { accessToken: string } }>(app, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
        i: { identifier: ADMIN.username, password: ADMIN.password },
      }),
    ).signIn.accessToken;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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
      await browser.close();
    }
  });
});
