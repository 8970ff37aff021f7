import { randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import {
  AuthPayload,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  signIn,
  signUp,
  sleep,
  startStack,
  stopAllApps,
  strongPassword,
  TestApp,
  TestStack,
  uniqueEmail,
  uniqueUsername,
} from '@app/testing';
import { signUpVerified } from './support/flows';

// Contract README: Webhooks (outbox, Standard Webhooks headers and signature, stable id across
// retries, first retry within 30 s, order per account, account.deleted with the tombstone id
// only), Observability (gatehouse_outbox_deliveries_total{kind="webhook"}).

jest.setTimeout(120_000);

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A local receiver: answers `answer()` (200 unless a test says otherwise) and records every request. */
class Receiver {
  readonly requests: Received[] = [];
  answer: (body: string) => number = () => 200;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = this.answer(body);
        this.requests.push({ at: Date.now(), headers: req.headers, body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  delivered(): Array<{ id: string; type: string; data: Record<string, string>; timestamp: string }> {
    return this.requests.filter((r) => r.status === 200).map((r) => ({ id: String(r.headers['webhook-id']), ...JSON.parse(r.body) }));
  }

  forAccount(accountId: string): Received[] {
    return this.requests.filter((r) => JSON.parse(r.body).data?.accountId === accountId);
  }

  async waitFor(pred: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find((r) => r.status === 200 && pred(r));
      if (found) return found;
      if (Date.now() > until) throw new Error(`no webhook matched in ${timeoutMs} ms; got ${this.requests.map((r) => `${r.status} ${r.body}`).join('\n')}`);
      await sleep(50);
    }
  }
}

const typed = (type: string, accountId: string) => (r: Received) => {
  const b = JSON.parse(r.body);
  return b.type === type && b.data?.accountId === accountId;
};

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const ADMIN_USERNAME = `admin_${uniqueUsername('w').slice(-8)}`;
const ADMIN_PASSWORD = strongPassword();
const SET_STATUS = `mutation S($id: ID!, $status: AccountStatus!, $reason: String) { setAccountStatus(accountId: $id, status: $status, reason: $reason) { id status } }`;
const REVOKE_ALL = `mutation V($id: ID!) { revokeAccountSessions(accountId: $id) }`;

let receiver: Receiver;
let stack: TestStack;
let app: TestApp;
let admin: AuthPayload;

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  stack = await startStack({
    name: 'webhooks',
    env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, METRICS_TOKEN, DELETION_GRACE_DAYS: '0', ADMIN_USERNAME, ADMIN_PASSWORD },
  });
  app = stack.app;
  admin = await signIn(app, ADMIN_USERNAME, ADMIN_PASSWORD);
}, 90_000);

afterAll(async () => {
  expectNoInternalLeaks();
  await stack?.stop();
  await receiver?.stop();
  await stopAllApps();
});

describe('delivery', () => {
  it('the admin bootstrap and a sign-up send account.created, signed per Standard Webhooks (verified with the standardwebhooks package)', async () => {
    await receiver.waitFor(typed('account.created', admin.account.id));
    const p = await signUp(app);
    const got = await receiver.waitFor(typed('account.created', p.account.id));
    const verifier = new Webhook(SECRET);
    const headers = {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    };
    expect(verifier.verify(got.body, headers)).toEqual(JSON.parse(got.body));
    const body = JSON.parse(got.body);
    expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(body.data).toEqual({ accountId: p.account.id });
    expect(Date.parse(body.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(got.headers['content-type']).toMatch(/application\/json/);
    // The signature covers the body and the id: a changed one does not verify.
    expect(() => verifier.verify(got.body.replace(p.account.id, admin.account.id), headers)).toThrow();
    expect(() => verifier.verify(got.body, { ...headers, 'webhook-id': 'other' })).toThrow();
  });

  it('a receiver outage: retried (first retry within 30 s) with the same webhook-id and a fresh valid signature, until a 2xx', async () => {
    let failures = 0;
    receiver.answer = () => (failures++ < 2 ? 500 : 200);
    try {
      const p = await signUp(app);
      await receiver.waitFor(typed('account.created', p.account.id));
      const attempts = receiver.forAccount(p.account.id);
      expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
      expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
      expect(attempts[1].at - attempts[0].at).toBeLessThan(30_000);
      const verifier = new Webhook(SECRET);
      for (const a of attempts) {
        verifier.verify(a.body, {
          'webhook-id': String(a.headers['webhook-id']),
          'webhook-timestamp': String(a.headers['webhook-timestamp']),
          'webhook-signature': String(a.headers['webhook-signature']),
        });
      }
      expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    } finally {
      receiver.answer = () => 200;
    }
  });

  it('in order per account: a later webhook waits while an earlier one of the same account is retrying', async () => {
    const p = await signUp(app);
    await receiver.waitFor(typed('account.created', p.account.id));
    let down = true;
    receiver.answer = (body) => (down && JSON.parse(body).data?.accountId === p.account.id ? 503 : 200);
    try {
      expectOk(await gql(app, SET_STATUS, { id: p.account.id, status: 'BLOCKED', reason: 'r1' }, { token: admin.accessToken }));
      expectOk(await gql(app, SET_STATUS, { id: p.account.id, status: 'ACTIVE' }, { token: admin.accessToken }));
      expectOk(await gql(app, REVOKE_ALL, { id: p.account.id }, { token: admin.accessToken }));
      // Another account's webhooks are not held up by this one's outage.
      const q = await signUp(app);
      await receiver.waitFor(typed('account.created', q.account.id));
      await sleep(2500);
      const during = receiver.forAccount(p.account.id).filter((r) => JSON.parse(r.body).type !== 'account.created');
      expect(during.length).toBeGreaterThanOrEqual(2);
      // Only the first is tried while it fails.
      expect(new Set(during.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(JSON.parse(during[0].body)).toMatchObject({ type: 'account.status_changed', data: { accountId: p.account.id, status: 'BLOCKED' } });
      down = false;
      await receiver.waitFor(typed('account.sessions_revoked', p.account.id));
      const delivered = receiver
        .forAccount(p.account.id)
        .filter((r) => r.status === 200)
        .map((r) => JSON.parse(r.body));
      expect(delivered.map((b) => [b.type, b.data.status ?? null])).toEqual([
        ['account.created', null],
        ['account.status_changed', 'BLOCKED'],
        ['account.status_changed', 'ACTIVE'],
        ['account.sessions_revoked', null],
      ]);
    } finally {
      receiver.answer = () => 200;
    }
  });
});

describe('triggers', () => {
  it('identifier verified, password changed (with sessions revoked), sign-out everywhere', async () => {
    const email = uniqueEmail('hook');
    const p = await signUpVerified(stack, { email });
    await receiver.waitFor(typed('account.identifier_changed', p.account.id));
    const CHANGE = `mutation C($input: ChangePasswordInput!) { changePassword(input: $input) { accessToken } }`;
    const pair = expectOk(await gql(app, CHANGE, { input: { currentPassword: p.password, newPassword: strongPassword() } }, { token: p.token })).changePassword;
    await receiver.waitFor(typed('account.password_changed', p.account.id));
    await receiver.waitFor(typed('account.sessions_revoked', p.account.id));
    expectOk(await gql(app, `mutation { signOutEverywhere }`, undefined, { token: pair.accessToken }));
    const revoked = () => receiver.forAccount(p.account.id).filter((r) => JSON.parse(r.body).type === 'account.sessions_revoked');
    for (const until = Date.now() + 5000; revoked().length < 2 && Date.now() < until;) await sleep(50);
    await sleep(300); // and no third
    expect(revoked()).toHaveLength(2);
  });

  it('deletion: account.deletion_scheduled, and after the job account.deleted with only the tombstone id', async () => {
    const email = uniqueEmail('hookdel');
    const p = await signUpVerified(stack, { email, displayName: 'Hook Person' });
    const REQUEST = `mutation R($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { challengeId } }`;
    const CONFIRM = `mutation C($input: SubmitOtpInput!) { confirmAccountDeletion(input: $input) { id status } }`;
    const c = expectOk(await gql(app, REQUEST, { input: { currentPassword: p.password } }, { token: p.token })).requestAccountDeletion;
    expectOk(await gql(app, CONFIRM, { input: { challengeId: c.challengeId, code: await stack.smtp.waitForCode(email) } }, { token: p.token }));
    await receiver.waitFor(typed('account.deletion_scheduled', p.account.id));
    expect(
      expectOk(await gql(app, `mutation { processDueAccountDeletions }`, undefined, { token: admin.accessToken })).processDueAccountDeletions,
    ).toBeGreaterThanOrEqual(1);
    const deleted = await receiver.waitFor(typed('account.deleted', p.account.id));
    expect(JSON.parse(deleted.body)).toEqual({ type: 'account.deleted', timestamp: expect.any(String), data: { accountId: p.account.id } });
    const types = receiver.forAccount(p.account.id).map((r) => JSON.parse(r.body).type);
    expect(types.indexOf('account.deleted')).toBe(types.length - 1);
  });

  it('a rolled-back sign-up sends nothing', async () => {
    const p = await signUp(app);
    await receiver.waitFor(typed('account.created', p.account.id));
    const before = receiver.requests.length;
    expectErrorCode(
      await gql(app, `mutation S($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, {
        input: { username: p.account.identifiers[0].value, password: strongPassword() },
      }),
      'IDENTIFIER_TAKEN',
    );
    await sleep(500);
    expect(receiver.requests.length).toBe(before);
  });
});

describe('metrics', () => {
  it('/metrics behind METRICS_TOKEN: 401 without it or with another, 200 with Authorization: Bearer', async () => {
    for (const authorization of [undefined, 'Bearer nope', `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
      const res = await fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(await res.text()).not.toMatch(/gatehouse_/);
    }
    const ok = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^# TYPE gatehouse_outbox_deliveries_total counter/m);
  });

  it('gatehouse_outbox_deliveries_total counts webhook deliveries by result', async () => {
    const text = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const count = (result: string) =>
      Number(new RegExp(`gatehouse_outbox_deliveries_total\\{kind="webhook",result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('sent')).toBeGreaterThanOrEqual(receiver.requests.filter((r) => r.status === 200).length - 1);
    expect(count('retried')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/gatehouse_outbox_deliveries_total\{kind="email",result="sent"\} [1-9]/);
  });
});
