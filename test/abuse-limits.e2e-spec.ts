import {
  createTestDatabase,
  createTestRedis,
  expectErrorCode,
  expectNoInternalLeaks,
  expectOk,
  gql,
  GqlResponse,
  hasExternalDatabase,
  hasExternalRedis,
  identifierOf,
  ME,
  postRaw,
  recordedErrorCount,
  signIn,
  signUp,
  startApp,
  startStack,
  TestApp,
  TestStack,
  uniqueEmail,
  sleep,
} from '@app/testing';
import { randomBytes } from 'node:crypto';
import { SIGN_IN_TOKEN, signUpVerified, VERIFY_IDENTIFIER } from './support/flows';

// Contract README: Abuse limits (document depth / aliases / size, one sensitive root field,
// batching, CSRF, sign-in failure limits, per-IP limit, shared across instances), Endpoints (the
// GraphQL IDE served locally), Observability (/metrics), health. Issue 6, Tests.

/** IDE on (NODE_ENV=test), default limits. */
let stack: TestStack;
/** IDE off. */
let closed: TestApp;
/** A coarse per-IP limit of 5 root fields per minute. */
let tight: TestApp;
/** NODE_ENV=production, no METRICS_TOKEN, a per-IP limit of 3 requests per minute. */
let production: TestApp;

beforeAll(async () => {
  [stack, closed, tight, production] = await Promise.all([
    startStack({ name: 'limits', startTimeoutMs: 100_000 }),
    startApp({ name: 'limits-no-ide', env: { GRAPHQL_PLAYGROUND: 'false' }, startTimeoutMs: 100_000 }),
    startApp({ name: 'limits-ip', env: { RATE_LIMIT_IP_PER_MINUTE: '5' }, startTimeoutMs: 100_000 }),
    startApp({
      name: 'limits-production',
      env: { NODE_ENV: 'production', RATE_LIMIT_IP_PER_MINUTE: '3', SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      startTimeoutMs: 100_000,
    }),
  ]);
}, 150_000);

function expectRefused(res: GqlResponse, status = 400): void {
  expect({ status: res.status, text: res.text.slice(0, 300) }).toMatchObject({ status });
  expect(res.data ?? null).toBeNull();
}

function expectValidationFailure(res: GqlResponse): void {
  expectRefused(res, 400);
  expect(res.errors?.length ?? 0).toBeGreaterThan(0);
  expect(res.errors!.map((e) => e.extensions?.code)).toContain('GRAPHQL_VALIDATION_FAILED');
}

describe('document limits', () => {
  let token: string;
  beforeAll(async () => {
    token = (await signUp(stack.app, {})).accessToken;
  });

  it('16 aliases are refused (HTTP 400); 15 are fine', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ');
    expectValidationFailure(await gql(stack.app, `query Bomb { ${aliases(16)} }`, undefined, { token }));
    const ok = expectOk(await gql<Record<string, { id: string }>>(stack.app, `query Fine { ${aliases(15)} }`, undefined, { token }));
    expect(Object.keys(ok)).toHaveLength(15);
  });

  it('a document over 2,000 tokens is GRAPHQL_VALIDATION_FAILED (HTTP 400); one just under is parsed', async () => {
    // `query Q { __typename @include(if: true) … }`: 4 tokens + 8 per field.
    const doc = (fields: number) => `query Q { ${Array.from({ length: fields }, () => '__typename @include(if: true)').join(' ')} }`;
    expectValidationFailure(await gql(stack.app, doc(250), undefined, { token })); // 2,004 tokens
    expectOk(await gql(stack.app, doc(245), undefined, { token })); // 1,964 tokens
  });

  it('a 10,000-alias bomb is refused quickly and cleanly', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const res = await gql(stack.app, `query Bomb { ${aliases} }`, undefined, { token });
    expect([400, 413]).toContain(res.status);
    expect(res.data ?? null).toBeNull();
  });

  it('a depth-20 query is refused (HTTP 400) with a clear error', async () => {
    // The schema has no cycle deep enough for 20 valid levels, so the document nests past the
    // schema too; the depth rule must still be the one that speaks. (Introspection is exempt by
    // design: the IDE's own introspection query is deeper than 8.)
    let inner = 'id';
    for (let i = 0; i < 18; i += 1) inner = `organization { ${inner} }`;
    for (const doc of [`query Deep { me { ${inner} } }`, `query DeepFrag { ...F } fragment F on Query { me { ${inner} } }`]) {
      const res = await gql(stack.app, doc, undefined, { token });
      expectValidationFailure(res);
      expect(res.errors!.map((e) => e.message).join(' | ')).toMatch(/depth/i);
    }
    // Depth 8 of valid fields is fine.
    expectOk(await gql(stack.app, `query Ok { me { organization { id } identifiers { id } } }`, undefined, { token }));
  });

  it('a 200 kB body is refused (413 or 400)', async () => {
    const body = JSON.stringify({ query: `query Pad($p: String) { __typename }`, variables: { p: 'x'.repeat(200 * 1024) } });
    const res = await postRaw(stack.app, body, { 'content-type': 'application/json' });
    expect([400, 413]).toContain(res.status);
    expect(res.data ?? null).toBeNull();
    // Answered like every other error (issue 19): a GraphQL error with extensions.code.
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const doc = `query Big { __typename } # ${'y'.repeat(200 * 1024)}`;
    const res2 = await gql(stack.app, doc);
    expect([400, 413]).toContain(res2.status);
  });

  it('malformed JSON is a GraphQL error with extensions.code (HTTP 400), logged at warn without a stack', async () => {
    const res = await postRaw(stack.app, '{"query": "{ __typename }"', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toEqual(expect.any(String));
    await sleep(200);
    const lines = stack.app
      .logs()
      .split('\n')
      .filter((l) => l.includes('refused request body'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('"level":40') && !l.includes('    at '))).toBe(true);
  });

  it('a batched array is refused (HTTP 400)', async () => {
    const res = await postRaw(stack.app, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), {
      'content-type': 'application/json',
    });
    expectRefused(res, 400);
    const one = await postRaw(stack.app, JSON.stringify([{ query: '{ __typename }' }]), { 'content-type': 'application/json' });
    expectRefused(one, 400);
  });

  it('a sign-in plus a second root field is refused (HTTP 400) and judges no password', async () => {
    const p = await signUp(stack.app, {});
    const username = identifierOf(p.account, 'USERNAME')!.value;
    const doc = `mutation Two($i: SignInInput!) { signIn(input: $i) { accessToken } updateProfile(input: { displayName: "x" }) { id } }`;
    const res = await gql(stack.app, doc, { i: { identifier: username, password: p.password } }, { token: p.accessToken });
    expectValidationFailure(res);
    const twoSignIns = `mutation Two($i: SignInInput!) { a: signIn(input: $i) { accessToken } b: signIn(input: $i) { accessToken } }`;
    expectValidationFailure(await gql(stack.app, twoSignIns, { i: { identifier: username, password: 'wrong-password-1' } }));
    expectValidationFailure(await gql(stack.app, `${twoSignIns.replace('Two', 'Three')}`, { i: { identifier: username, password: 'wrong-password-2' } }));
  });

  it('a text/plain POST is refused (HTTP 400, CSRF prevention)', async () => {
    const p = await signUp(stack.app, {});
    const body = JSON.stringify({ query: `mutation { updateProfile(input: { displayName: "csrf" }) { id } }` });
    const res = await postRaw(stack.app, body, { 'content-type': 'text/plain', authorization: `Bearer ${p.accessToken}` });
    expectRefused(res, 400);
    const form = await postRaw(stack.app, `query=${encodeURIComponent('{ __typename }')}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([400, 415]).toContain(form.status);
    const me = await gql<{ me: { profile: { displayName: string | null } } }>(stack.app, `query { me { profile { displayName } } }`, undefined, {
      token: p.accessToken,
    });
    expect(expectOk(me).me.profile.displayName).not.toBe('csrf');
  });

  it('a mutation over GET is refused (HTTP 405)', async () => {
    const p = await signUp(stack.app, {});
    const url = `${stack.app.graphqlUrl}?query=${encodeURIComponent('mutation { updateProfile(input: { displayName: "via-get" }) { id } }')}`;
    const res = await fetch(url, { headers: { accept: 'application/json', authorization: `Bearer ${p.accessToken}`, 'apollo-require-preflight': 'true' } });
    await res.text();
    expect(res.status).toBe(405);
    const me = expectOk(
      await gql<{ me: { profile: { displayName: string | null } } }>(stack.app, `query { me { profile { displayName } } }`, undefined, {
        token: p.accessToken,
      }),
    );
    expect(me.me.profile.displayName).not.toBe('via-get');
  });
});

describe('sign-in failure limits', () => {
  it('30 failed sign-ins for one identifier (concurrent, any spelling): exactly 10 judged, then RATE_LIMITED with retryAfterSeconds', async () => {
    const p = await signUp(stack.app, {});
    const username = identifierOf(p.account, 'USERNAME')!.value;
    const spellings = [username, username.toUpperCase(), ` ${username} `];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: spellings[i % 3], password: `wrong-${i}-password` } })),
    );
    const codes = answers.map((r) => r.errors?.[0]?.extensions?.code);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
    for (const r of answers.filter((a) => a.errors?.[0]?.extensions?.code === 'RATE_LIMITED')) {
      const seconds = r.errors![0].extensions!.retryAfterSeconds;
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(15 * 60);
    }
    // The limit holds for the right password too, until the window passes.
    expectErrorCode(await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: username, password: p.password } }), 'RATE_LIMITED');
  });

  it('one IP: 100 failures across many identifiers (each under its own 10) are judged, then RATE_LIMITED', async () => {
    // An app of its own: the other tests' failures from 127.0.0.1 would count against this budget.
    const own = await startApp({ name: 'limits-signin-ip' });
    try {
      const tag = randomBytes(3).toString('hex');
      const codes: string[] = [];
      const retryAfter: number[] = [];
      // 12 unknown identifiers × 10 wrong passwords: no identifier reaches its own budget of 10
      // before the IP's 100 are spent.
      for (let n = 0; n < 120; n += 1) {
        const res = await gql(own, SIGN_IN_TOKEN, { input: { identifier: `nobody_${tag}_${Math.floor(n / 10)}`, password: `wrong-${n}-password` } });
        codes.push(String(res.errors?.[0]?.extensions?.code));
        if (res.errors?.[0]?.extensions?.code === 'RATE_LIMITED') retryAfter.push(Number(res.errors[0].extensions.retryAfterSeconds));
      }
      expect(codes.slice(0, 100)).toEqual(Array(100).fill('INVALID_CREDENTIALS'));
      expect(codes.slice(100)).toEqual(Array(20).fill('RATE_LIMITED'));
      for (const seconds of retryAfter) {
        expect(seconds).toBeGreaterThan(0);
        expect(seconds).toBeLessThanOrEqual(15 * 60);
      }
    } finally {
      await own.stop();
    }
  });

  it('one identifier limited does not limit another', async () => {
    const p = await signUp(stack.app, {});
    await signIn(stack.app, identifierOf(p.account, 'USERNAME')!.value, p.password);
  });

  (hasExternalRedis() && hasExternalDatabase() ? it : it.skip)(
    'two instances sharing Redis: 30 failed sign-ins spread over both, exactly 10 judged (needs REDIS_URL and DATABASE_URL)',
    async () => {
      const db = await createTestDatabase();
      const redisUrl = await createTestRedis();
      const env = { JWT_SECRET: randomBytes(48).toString('base64') };
      const [one, two] = await Promise.all([
        startApp({ name: 'limits-redis-1', databaseUrl: db.url, redisUrl, env }),
        startApp({ name: 'limits-redis-2', databaseUrl: db.url, redisUrl, env }),
      ]);
      try {
        const p = await signUp(one, {});
        const username = identifierOf(p.account, 'USERNAME')!.value;
        const answers = await Promise.all(
          Array.from({ length: 30 }, (_, i) => gql(i % 2 ? one : two, SIGN_IN_TOKEN, { input: { identifier: username, password: `wrong-${i}-password` } })),
        );
        const codes = answers.map((r) => r.errors?.[0]?.extensions?.code);
        expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
        expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
      } finally {
        await Promise.allSettled([one.stop(), two.stop()]);
        await db.drop();
      }
    },
  );
});

describe('per-IP limit', () => {
  it('with RATE_LIMIT_IP_PER_MINUTE=5 the 6th root field is RATE_LIMITED with retryAfterSeconds', async () => {
    const p = await signUp(tight, {}); // root field 1
    const answers: GqlResponse[] = [];
    for (let i = 0; i < 5; i += 1) answers.push(await gql(tight, ME, undefined, { token: p.accessToken })); // 2..6
    for (const r of answers.slice(0, 4)) expectOk(r);
    const err = expectErrorCode(answers[4], 'RATE_LIMITED');
    expect(err.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Health and metrics are not GraphQL: they still answer.
    expect((await fetch(`${tight.url}/health/live`)).status).toBe(200);
  });

  it('every request counts before its body is read: malformed and oversized bodies spend the budget, then even those are RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i += 1) {
      const malformed = await postRaw(production, '{"query": "{ __typename }"');
      expect({ status: malformed.status, code: malformed.errors?.[0]?.extensions?.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    }
    const huge = JSON.stringify({ query: `query { ${'__typename '.repeat(8_400)} }` }); // ~84 kB, far over 2,000 tokens
    for (const body of [huge, '{"query": "{ __typename }"', JSON.stringify({ query: '{ __typename }' })]) {
      const res = await postRaw(production, body);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const err = expectErrorCode(res, 'RATE_LIMITED');
      expect(err.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      expect(err.extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    expect((await fetch(`${production.url}/health/live`)).status).toBe(200);
  });

  it('/metrics is not served in production without METRICS_TOKEN (404, with or without a bearer)', async () => {
    for (const authorization of [undefined, 'Bearer anything']) {
      const res = await fetch(`${production.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/gatehouse_/);
    }
  });
});

describe('GraphQL IDE', () => {
  it('off: introspection is refused and errors carry no field suggestions', async () => {
    const intro = await gql(closed, `query { __schema { queryType { name } } }`);
    expect(intro.data?.__schema ?? null).toBeNull();
    expect(intro.errors?.length ?? 0).toBeGreaterThan(0);
    const typeIntro = await gql(closed, `query { __type(name: "Account") { fields { name } } }`);
    expect(typeIntro.data?.__type ?? null).toBeNull();
    for (const doc of [`query { mee { id } }`, `query { me { identifers { id } } }`, `mutation { signIm(input: {}) { accessToken } }`]) {
      const res = await gql(closed, doc);
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(/did you mean/i);
    }
    const html = await fetch(closed.graphqlUrl, { headers: { accept: 'text/html' } });
    const text = await html.text();
    expect(text).not.toMatch(/graphiql|graphql-ide/i);
    expect((await fetch(`${closed.url}/graphql-ide/graphiql.js`)).status).not.toBe(200);
  });

  it('on: GET /graphql (text/html) serves a page with only local assets (/graphql-ide/, /favicon.ico), all answering 200', async () => {
    const res = await fetch(stack.app.graphqlUrl, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']\/\//i);
    const refs = [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/(?:graphql-ide\/|favicon\.ico$)/);
      const asset = await fetch(`${stack.app.url}${ref}`);
      const body = await asset.arrayBuffer();
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect(body.byteLength).toBeGreaterThan(0);
    }
    const intro = expectOk(await gql<{ __schema: { queryType: { name: string } } }>(stack.app, `query { __schema { queryType { name } } }`));
    expect(intro.__schema.queryType.name).toBe('Query');
  });
});

describe('metrics and health', () => {
  const SERIES = [
    'gatehouse_otp_sent_total',
    'gatehouse_otp_verifications_total',
    'gatehouse_sign_ins_total',
    'gatehouse_password_resets_total',
    'gatehouse_accounts_erased_total',
    'gatehouse_outbox_pending',
    'gatehouse_graphql_request_duration_seconds',
  ];

  async function metrics(): Promise<string> {
    const res = await fetch(`${stack.app.url}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  }

  /** Sum of the samples of `name` whose labels include every pair in `labels`. */
  function sample(text: string, name: string, labels: Record<string, string> = {}): number {
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
      if (!m || m[1] !== name) continue;
      const pairs = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      if (Object.entries(labels).every(([k, v]) => pairs[k] === v)) sum += Number(m[3]);
    }
    return sum;
  }

  it('/metrics exposes the contract series', async () => {
    const text = await metrics();
    for (const name of SERIES) expect({ name, present: new RegExp(`^# TYPE ${name} `, 'm').test(text) }).toEqual({ name, present: true });
    expect(text).toMatch(/^process_cpu_user_seconds_total/m);
  });

  it('the series move after a sign-up with a code, a verification, sign-ins and a reset request', async () => {
    const before = await metrics();
    const email = uniqueEmail('metrics');
    const p = await signUp(stack.app, { email });
    const code = await stack.smtp.waitForCode(email);
    expectOk(await gql(stack.app, VERIFY_IDENTIFIER, { input: { challengeId: p.verifications[0].challengeId, code } }));
    await signIn(stack.app, email, p.password);
    await gql(stack.app, SIGN_IN_TOKEN, { input: { identifier: email, password: 'definitely-wrong' } });
    const after = await metrics();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('gatehouse_otp_sent_total', { purpose: 'verify_identifier', channel: 'email' })).toBeGreaterThanOrEqual(1);
    expect(moved('gatehouse_otp_verifications_total', { purpose: 'verify_identifier', result: 'success' })).toBe(1);
    expect(moved('gatehouse_sign_ins_total', { result: 'success' })).toBe(1);
    expect(moved('gatehouse_sign_ins_total', { result: 'invalid_credentials' })).toBe(1);
    expect(moved('gatehouse_graphql_request_duration_seconds_count', { operation: 'SignIn' })).toBeGreaterThanOrEqual(2);
    expect(after).toMatch(/^gatehouse_outbox_pending(\{[^}]*\})? \d+/m);
  });

  it('/health/live and /health/ready answer 200', async () => {
    for (const path of ['/health/live', '/health/ready']) {
      const res = await fetch(`${stack.app.url}${path}`);
      await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });
});

describe('error hygiene', () => {
  it('no error response of this file leaked a stack, SQL or ORM internals', async () => {
    await signUpVerified(stack, { email: uniqueEmail('last') });
    expect(recordedErrorCount()).toBeGreaterThan(0);
    expectNoInternalLeaks();
  });
});
