import { existsSync } from 'node:fs';
import { expectOk, gql, signIn, signUp, startApp, TestApp } from '@app/testing';

// Contract README: Configuration ("Invalid configuration stops the boot with a message naming
// the variable"); Running it (data kept across restarts). Also checks the harness itself:
// a failed boot rejects with the service's output, restart keeps the data, stop cleans up.

describe('invalid configuration stops the boot, naming the variable', () => {
  it.each([
    ['JWT_SECRET', 'too-short'],
    ['BCRYPT_COST', 'twelve'],
    ['SIGNUP_REQUIRED_IDENTIFIERS', 'username,fax'],
    ['SMTP_URL', 'not a url'],
    ['DEFAULT_LOCALE', 'fr'],
    ['ACCESS_TOKEN_TTL', 'forever'],
  ])('%s=%s', async (variable, value) => {
    const started = startApp({ name: `bad-${variable}`, env: { [variable]: value } });
    await expect(started).rejects.toThrow(/exited before it was live/);
    await expect(started).rejects.toThrow(new RegExp(variable));
  });
});

describe('restart', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ name: 'boot-restart' });
  }, 90_000);

  it('an account and its token survive a restart of the service', async () => {
    const { account, password, accessToken } = await signUp(app);
    const username = account.identifiers[0].value;
    const pidBefore = app.pid();
    await app.restart();
    expect(app.pid()).not.toBe(pidBefore);
    expect((await signIn(app, username, password)).account.id).toBe(account.id);
    const me = expectOk(await gql<{ me: { id: string } }>(app, `{ me { id } }`, undefined, { token: accessToken })).me;
    expect(me.id).toBe(account.id);
  });

  it('stop() ends the process and removes its data directory', async () => {
    const dir = app.dataDir;
    expect(existsSync(dir)).toBe(true);
    await app.stop();
    expect(app.running()).toBe(false);
    expect(existsSync(dir)).toBe(false);
    await expect(fetch(`${app.url}/health/live`)).rejects.toThrow();
  });
});
