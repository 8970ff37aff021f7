// The scenarios of issue 8. Each returns { figures, config, windows, extra }:
//   figures: [{ name, value, unit, ceiling?: { name, value, unit }, ratio?, target?, met? }]
//   windows: every measured window's load record (a run is valid only if none was disturbed).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CONNECTIONS, DURATION_S, PASSWORD, ROOT, WARMUP_S, gql, log, percentile, round, sleep } from './lib/common.mjs';
import { rssMiB, startApp } from './lib/app.mjs';
import { bcryptCeiling, typenameCeiling } from './lib/ceilings.mjs';
import { graphqlLoad } from './lib/load.mjs';
import { startLoadMonitor } from './lib/loadmon.mjs';
import { databaseExists, databaseUrl, freshDatabase, withClient } from './lib/postgres.mjs';
import { seedAccounts, seedDueDeletions, signInAll, username } from './lib/seed.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';

const SIGN_IN = 'mutation SignIn($i: SignInInput!) { signIn(input: $i) { accessToken expiresAt } }';
const ME = 'query Me { me { id status roles identifiers { type value verified } profile { displayName } } }';
const SIGN_UP = 'mutation SignUp($i: SignUpInput!) { signUp(input: $i) { accessToken account { id } } }';

const ratio = (a, b) => (b ? round(a / b, 3) : null);

/** App options shared by every scenario: --instances, --pool, --log-level, --profile. */
function appOptions(opts, extraEnv = {}) {
  const env = { ...extraEnv };
  if (opts.pool) env.DATABASE_POOL_SIZE = String(opts.pool);
  if (opts.logLevel) env.LOG_LEVEL = opts.logLevel;
  const nodeArgs = opts.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(ROOT, 'bench/profiles')] : [];
  return { instances: opts.instances ?? 1, env, nodeArgs };
}

async function withApp(dbUrl, opts, extraEnv, fn) {
  const app = await startApp({ databaseUrl: dbUrl, ...appOptions(opts, extraEnv) });
  try {
    return await fn(app);
  } catch (err) {
    process.stderr.write(`--- service log (tail) ---\n${app.logs().slice(-3000)}\n`);
    throw err;
  } finally {
    await app.stop();
  }
}

function loadFigure(name, run) {
  return { name, value: run.rps, unit: 'req/s', p50: run.latencyMs.p50, p95: run.latencyMs.p95, p99: run.latencyMs.p99, errors: run.errors, sampleError: run.sampleError ?? undefined };
}

/**
 * Wrong answers: more than 1 % fails the scenario; fewer are kept in the result (`errors`,
 * `sampleError`) and make the run invalid (run.mjs), e.g. a pool connection that could not be
 * opened within 3 s on an overloaded machine (SERVICE_UNAVAILABLE).
 */
function assertNoErrors(label, run) {
  if (run.errors > 0) log(`${label}: ${run.errors} wrong answers, e.g. ${run.sampleError}`);
  if (run.errors > 0.01 * (run.ok + run.errors)) throw new Error(`${label}: ${run.errors} wrong answers of ${run.ok + run.errors}, e.g. ${run.sampleError}`);
}

/**
 * A code chain (request → the mail arrives → submit the code), which autocannon cannot express: one
 * client loop per queue in `work` (16), a warm-up then the measured phase, with `{ __typename }`
 * beside it. Issue 21's target: pairs/s ≥ 0.1 × `{ __typename }` of the same run.
 */
async function codeChain(name, label, app, sink, work, steps) {
  const t = await typenameCeiling(app);
  const phase = async (seconds, measure) => {
    const end = Date.now() + seconds * 1000;
    const latencies = [];
    const parts = { request: [], mail: [], verify: [] };
    let pairs = 0;
    let errors = 0;
    let sampleError = null;
    const monitor = measure ? startLoadMonitor() : null;
    const t0 = Date.now();
    await Promise.all(
      work.map(async (queue, k) => {
        while (Date.now() < end && queue.length) {
          const item = queue.shift();
          const s = performance.now();
          try {
            const challengeId = await steps.request(item, k);
            const s1 = performance.now();
            const code = await sink.nextCode(steps.address(item));
            const s2 = performance.now();
            await steps.verify(challengeId, code, k);
            if (measure) {
              pairs += 1;
              const s3 = performance.now();
              latencies.push(s3 - s);
              parts.request.push(s1 - s);
              parts.mail.push(s2 - s1);
              parts.verify.push(s3 - s2);
            }
          } catch (err) {
            errors += 1;
            sampleError ??= String(err.message).slice(0, 300);
          }
        }
      }),
    );
    const seconds_ = (Date.now() - t0) / 1000;
    const load = monitor?.stop();
    latencies.sort((a, b) => a - b);
    const p50 = (xs) => round(percentile([...xs].sort((a, b) => a - b), 50), 1);
    const stepsP50 = { request: p50(parts.request), mail: p50(parts.mail), verify: p50(parts.verify) };
    return { stepsP50Ms: stepsP50, pairsPerSecond: round(pairs / seconds_, 1), pairs, errors, sampleError, seconds: round(seconds_, 2), latencyMs: { p50: round(percentile(latencies, 50), 1), p99: round(percentile(latencies, 99), 1) }, load };
  };
  log(`${name}: warm-up`);
  await phase(WARMUP_S, false);
  log(`${name}: measuring`);
  const run = await phase(DURATION_S, true);
  log(`${name}: steps p50 (ms): ${JSON.stringify(run.stepsP50Ms)}`);
  log(`${name}: ${run.pairsPerSecond} pairs/s, p50 ${run.latencyMs.p50} ms, errors ${run.errors}; others ${run.load.othersPct}%`);
  log(`${name}: CPU of the machine by role (%): ${JSON.stringify(run.load.oursByRole)}`);
  if (run.errors) throw new Error(`${name}: ${run.errors} failed pairs, e.g. ${run.sampleError}`);
  const r = ratio(run.pairsPerSecond, t.rps);
  return {
    figures: [
      { name: label, value: run.pairsPerSecond, unit: 'pairs/s', p50: run.latencyMs.p50, p99: run.latencyMs.p99, ceiling: { name: '__typename', value: t.rps, unit: 'req/s' }, ratio: r, target: '≥ 0.1 × __typename', met: r !== null && r >= 0.1 },
    ],
    windows: [t.load, run.load],
    extra: { typename: t, [name]: run, note: steps.note },
  };
}

export const SCENARIOS = {
  async bcrypt() {
    const c = await bcryptCeiling();
    return {
      figures: [{ name: 'bcrypt compares/s (cost 10, in-process)', value: c.comparesPerSecond, unit: '/s', target: '(the reference)' }],
      windows: [c.load],
      extra: { bcrypt: c },
    };
  },

  async typename(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_typename');
    return withApp(db, opts, {}, async (app) => {
      const t = await typenameCeiling(app);
      assertNoErrors('__typename', t);
      return { figures: [{ ...loadFigure('{ __typename } (framework ceiling)', t), target: '(the reference)' }], windows: [t.load], extra: { typename: t } };
    });
  },

  async signIn(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_signin');
    await withClient(db, async () => undefined);
    return withApp(db, opts, {}, async (app) => {
      await withClient(db, (c) => seedAccounts(c, { prefix: 'si', count: 64 }));
      const ceiling = await bcryptCeiling();
      const bodies = Array.from({ length: 64 }, (_, k) => ({ query: SIGN_IN, variables: { i: { identifier: username('si', k + 1), password: PASSWORD } } }));
      const run = await graphqlLoad({ url: app.url, bodies, label: 'signIn', expect: (b) => b.includes('"accessToken"') });
      assertNoErrors('signIn', run);
      const r = ratio(run.rps, ceiling.comparesPerSecond);
      return {
        figures: [
          { ...loadFigure('signIn', run), ceiling: { name: 'bcrypt', value: ceiling.comparesPerSecond, unit: 'compares/s' }, ratio: r, target: '≥ 0.95 × bcrypt', met: r >= 0.95 },
        ],
        windows: [ceiling.load, run.load],
        extra: { bcrypt: ceiling, signIn: run },
      };
    });
  },

  async me(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_me');
    return withApp(db, opts, {}, async (app) => {
      await withClient(db, (c) => seedAccounts(c, { prefix: 'me', count: 64, verifiedEmail: true }));
      const tokens = await signInAll(app.url, Array.from({ length: 64 }, (_, k) => username('me', k + 1)), gql);
      const t = await typenameCeiling(app);
      assertNoErrors('__typename', t);
      const run = await graphqlLoad({
        url: app.url,
        bodies: tokens.map(() => ({ query: ME })),
        headersFor: (i) => ({ authorization: `Bearer ${tokens[i]}` }),
        label: 'me',
        expect: (b) => b.includes('"me":{"id"'),
      });
      assertNoErrors('me', run);
      const rss = app.servingPids().map((pid) => ({ pid, rssMiB: round(rssMiB(pid)) }));
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      const metric = (name) => {
        const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(metrics);
        return m ? round(Number(m[1]) / 2 ** 20) : null;
      };
      const memory = { heapUsedMiB: metric('nodejs_heap_size_used_bytes'), heapTotalMiB: metric('nodejs_heap_size_total_bytes'), externalMiB: metric('nodejs_external_memory_bytes') };
      log(`me: RSS ${JSON.stringify(rss)}, ${JSON.stringify(memory)}`);
      const maxRss = Math.max(...rss.map((x) => x.rssMiB));
      const r = ratio(run.rps, t.rps);
      return {
        figures: [
          { ...loadFigure('me', run), ceiling: { name: '__typename', value: t.rps, unit: 'req/s' }, ratio: r, target: '≥ 1,500 req/s and ≥ 0.5 × __typename', met: run.rps >= 1500 && r >= 0.5 },
          { name: 'me p99', value: run.latencyMs.p99, unit: 'ms', ceiling: { name: '__typename p99', value: t.latencyMs.p99, unit: 'ms' }, ratio: ratio(run.latencyMs.p99, t.latencyMs.p99), target: '≤ 40 ms', met: run.latencyMs.p99 <= 40 },
          { name: 'resident memory after me (max per process)', value: maxRss, unit: 'MiB', target: '≤ 200 MiB', met: maxRss <= 200 },
        ],
        windows: [t.load, run.load],
        extra: { typename: t, me: run, rss, memory },
      };
    });
  },

  /**
   * Issue 17/21: refreshSession pairs per second next to { __typename }. Each of the 16 client
   * loops holds one session and trades its refresh token for the next one, one after another
   * (a refresh token is single-use, so a loop cannot pipeline). Each session makes at most 60
   * refreshes a minute (contract), so every loop walks through several sessions of its account.
   */
  async refresh(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_refresh');
    return withApp(db, opts, {}, async (app) => {
      const SESSIONS_PER_LOOP = 40;
      await withClient(db, (c) => seedAccounts(c, { prefix: 'rf', count: CONNECTIONS }));
      const names = Array.from({ length: CONNECTIONS }, (_, k) => username('rf', k + 1));
      // Sessions made before the load (sign-in is bcrypt: it would dominate the window otherwise).
      const chains = [];
      for (let round_ = 0; round_ < SESSIONS_PER_LOOP; round_++) {
        const got = await Promise.all(
          names.map((u) => gql(app.url, 'mutation($i: SignInInput!) { signIn(input: $i) { refreshToken } }', { i: { identifier: u, password: PASSWORD } }).then((d) => d.signIn.refreshToken)),
        );
        got.forEach((t, k) => (chains[k] ??= []).push({ token: t, used: 0 }));
      }
      const t = await typenameCeiling(app);
      const REFRESH = 'mutation R($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }';
      const phase = async (seconds, measure) => {
        const end = Date.now() + seconds * 1000;
        const latencies = [];
        let pairs = 0;
        let errors = 0;
        let sampleError = null;
        const monitor = measure ? startLoadMonitor() : null;
        const t0 = Date.now();
        await Promise.all(
          chains.map(async (sessions) => {
            while (Date.now() < end) {
              // 55 per session, under the 60-a-minute limit, then the next session.
              const current = sessions.find((x) => x.used < 55);
              if (!current) break;
              const s = performance.now();
              try {
                const d = await gql(app.url, REFRESH, { t: current.token });
                current.token = d.refreshSession.refreshToken;
                current.used += 1;
                if (measure) {
                  pairs += 1;
                  latencies.push(performance.now() - s);
                }
              } catch (err) {
                errors += 1;
                current.used = 1e9;
                sampleError ??= String(err.message).slice(0, 300);
              }
            }
          }),
        );
        const seconds_ = (Date.now() - t0) / 1000;
        const load = monitor?.stop();
        latencies.sort((a, b) => a - b);
        return { rps: round(pairs / seconds_, 1), pairs, errors, sampleError, seconds: round(seconds_, 2), latencyMs: { p50: round(percentile(latencies, 50), 1), p95: round(percentile(latencies, 95), 1), p99: round(percentile(latencies, 99), 1) }, load };
      };
      log('refresh: warm-up');
      await phase(WARMUP_S, false);
      log('refresh: measuring');
      const run = await phase(DURATION_S, true);
      log(`refresh: ${run.rps} refreshes/s, p99 ${run.latencyMs.p99} ms, errors ${run.errors}; others ${run.load.othersPct}%`);
      if (run.errors) throw new Error(`refresh: ${run.errors} failed refreshes, e.g. ${run.sampleError}`);
      return {
        figures: [
          { name: 'refreshSession (rotation)', value: run.rps, unit: 'refreshes/s', p50: run.latencyMs.p50, p99: run.latencyMs.p99, ceiling: { name: '__typename', value: t.rps, unit: 'req/s' }, ratio: ratio(run.rps, t.rps), target: '≥ 240 refreshes/s', met: run.rps >= 240 },
        ],
        windows: [t.load, run.load],
        extra: { typename: t, refresh: run, note: 'each refresh: one transaction (lock token and session with the account, rotate in one statement, commit)' },
      };
    });
  },

  async signUp(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_signup');
    return withApp(db, opts, {}, async (app) => {
      const ceiling = await bcryptCeiling();
      const tag = Date.now().toString(36);
      // Distinct usernames, never reused within the run (the rotation is far longer than the run).
      const bodies = Array.from({ length: 20_000 }, (_, k) => ({ query: SIGN_UP, variables: { i: { username: `su${tag}x${k}`, password: PASSWORD } } }));
      const run = await graphqlLoad({ url: app.url, bodies, label: 'signUp', expect: (b) => b.includes('"accessToken"') });
      assertNoErrors('signUp', run);
      const r = ratio(run.rps, ceiling.comparesPerSecond);
      return {
        figures: [
          { ...loadFigure('signUp', run), ceiling: { name: 'bcrypt', value: ceiling.comparesPerSecond, unit: 'hashes/s (compare)' }, ratio: r, target: '≥ 0.90 × bcrypt', met: r >= 0.9 },
        ],
        windows: [ceiling.load, run.load],
        extra: { bcrypt: ceiling, signUp: run },
      };
    });
  },

  /** requestIdentifierVerification → code read at the SMTP sink → verifyIdentifier, 16 clients in a loop. */
  /** The code chain on identifier verification: request a code → read the mail → verify, 16 loops. */
  async code(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_code');
    const sink = await startSmtpSink();
    const PER_ACCOUNT = 1000;
    try {
      return await withApp(db, opts, { SMTP_URL: sink.url }, async (app) => {
        await withClient(db, (c) => seedAccounts(c, { prefix: 'oc', count: CONNECTIONS, unverifiedEmails: PER_ACCOUNT }));
        const names = Array.from({ length: CONNECTIONS }, (_, k) => username('oc', k + 1));
        const tokens = await signInAll(app.url, names, gql);
        const work = await withClient(db, async (c) => {
          const { rows } = await c.query(
            `SELECT i.id, i.value, u.value AS uname FROM identifiers i JOIN identifiers u ON u.account_id = i.account_id AND u.type = 'USERNAME'
              WHERE i.type = 'EMAIL' AND i.verified_at IS NULL ORDER BY i.value`,
          );
          return names.map((n) => rows.filter((r) => r.uname === n));
        });
        return codeChain('code', 'code request + read + verify', app, sink, work, {
          request: async (ident, k) =>
            (await gql(app.url, 'mutation R($id: ID!) { requestIdentifierVerification(identifierId: $id) { challengeId } }', { id: ident.id }, tokens[k]))
              .requestIdentifierVerification.challengeId,
          verify: async (challengeId, code, k) => {
            const v = await gql(app.url, 'mutation V($i: SubmitOtpInput!) { verifyIdentifier(input: $i) { verified } }', { i: { challengeId, code } }, tokens[k]);
            if (!v.verifyIdentifier.verified) throw new Error('not verified');
          },
          address: (ident) => ident.value,
          note: 'each pair: 2 GraphQL requests + 1 mail through the outbox and SMTP; one fresh destination per pair (default send limits untouched)',
        });
      });
    } finally {
      await sink.stop();
    }
  },

  /** Sign-in by code, the whole chain: requestSignInCode → read the mail → signInWithCode (a session), 16 loops. */
  async 'code-signin'(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_code_signin');
    const sink = await startSmtpSink();
    const PER_LOOP = 800;
    try {
      return await withApp(db, opts, { SMTP_URL: sink.url }, async (app) => {
        // One account (with a verified email) per pair: the default cool-down and hourly cap per destination stay untouched.
        await withClient(db, (c) => seedAccounts(c, { prefix: 'cs', count: CONNECTIONS * PER_LOOP, verifiedEmail: true }));
        const work = Array.from({ length: CONNECTIONS }, (_, k) =>
          Array.from({ length: PER_LOOP }, (_, i) => `${username('cs', k * PER_LOOP + i + 1)}@bench.test`),
        );
        return codeChain('code-signin', 'sign-in by code: request + read + sign in', app, sink, work, {
          request: async (email) =>
            (await gql(app.url, 'mutation R($i: RequestSignInCodeInput!) { requestSignInCode(input: $i) { challengeId } }', { i: { identifier: email } }))
              .requestSignInCode.challengeId,
          verify: async (challengeId, code) => {
            const s = await gql(app.url, 'mutation S($i: SubmitOtpInput!) { signInWithCode(input: $i) { accessToken refreshToken } }', { i: { challengeId, code } });
            if (!s.signInWithCode.accessToken) throw new Error('no session');
          },
          address: (email) => email,
          note: 'each pair: 2 GraphQL requests + 1 mail through the outbox and SMTP, the second request starts a session; one account per pair',
        });
      });
    } finally {
      await sink.stop();
    }
  },

  /** me at a fixed 100 req/s (4 connections) while 16 clients sign in flat out. */
  async 'me-under-signin'(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_mixed');
    return withApp(db, opts, {}, async (app) => {
      await withClient(db, (c) => seedAccounts(c, { prefix: 'mx', count: 64 }));
      const tokens = await signInAll(app.url, Array.from({ length: 16 }, (_, k) => username('mx', k + 1)), gql);
      const meOpts = { url: app.url, bodies: tokens.map(() => ({ query: ME })), headersFor: (i) => ({ authorization: `Bearer ${tokens[i]}` }), connections: 4, overallRate: 100, expect: (b) => b.includes('"me":{"id"') };
      const alone = await graphqlLoad({ ...meOpts, label: 'me alone (100 req/s)' });
      const signInBodies = Array.from({ length: 48 }, (_, k) => ({ query: SIGN_IN, variables: { i: { identifier: username('mx', k + 17), password: PASSWORD } } }));
      const [signIn, me] = await Promise.all([
        graphqlLoad({ url: app.url, bodies: signInBodies, label: 'signIn (background)', expect: (b) => b.includes('"accessToken"') }),
        graphqlLoad({ ...meOpts, label: 'me under signIn (100 req/s)' }),
      ]);
      assertNoErrors('me', me);
      assertNoErrors('signIn', signIn);
      return {
        figures: [
          { name: 'me p99 while signIn saturates bcrypt', value: me.latencyMs.p99, unit: 'ms', p50: me.latencyMs.p50, ceiling: { name: 'me p99 alone, same rate', value: alone.latencyMs.p99, unit: 'ms' }, ratio: ratio(me.latencyMs.p99, alone.latencyMs.p99), target: '≤ 50 ms', met: me.latencyMs.p99 <= 50 },
          { name: 'signIn alongside', value: signIn.rps, unit: 'req/s' },
        ],
        windows: [alone.load, me.load],
        extra: { meAlone: alone, me, signIn },
      };
    });
  },

  /** Admin prefix search over 1,000,000 seeded accounts (seeded once, kept between runs). */
  async 'admin-search'(ctx, opts) {
    const NAME = 'gh_bench_admin';
    const COUNT = Number(process.env.BENCH_ADMIN_ACCOUNTS ?? 1_000_000);
    let db = databaseUrl(ctx.pgUrl, NAME);
    let seeded = false;
    if (await databaseExists(ctx.pgUrl, NAME)) {
      seeded = await withClient(db, async (c) => {
        try {
          const { rows } = await c.query(`SELECT count(*)::int AS n FROM identifiers WHERE type = 'USERNAME' AND value LIKE 'u%'`);
          return rows[0].n === COUNT;
        } catch {
          return false;
        }
      });
    }
    if (!seeded) db = await freshDatabase(ctx.pgUrl, NAME);
    const admin = { ADMIN_USERNAME: 'benchadmin', ADMIN_PASSWORD: PASSWORD };
    return withApp(db, opts, admin, async (app) => {
      if (!seeded) {
        await withClient(db, (c) => seedAccounts(c, { prefix: 'u', count: COUNT, verifiedEmail: true }));
        await withClient(db, (c) => c.query('VACUUM ANALYZE'));
      } else log(`admin-search: reusing ${COUNT} seeded accounts in ${NAME}`);
      const [token] = await signInAll(app.url, ['benchadmin'], gql);
      // As autovacuum leaves a table at rest: the visibility map set, so the covering indexes are
      // read without visiting the heap. A VACUUM right after the seed can find its rows not yet
      // visible to every snapshot (the service was starting beside it), so it runs again here.
      const visibility = await withClient(db, async (c) => {
        await c.query('VACUUM ANALYZE identifiers, accounts');
        const { rows } = await c.query(`SELECT relname, relpages, relallvisible FROM pg_class WHERE relname IN ('identifiers', 'accounts') ORDER BY relname`);
        return Object.fromEntries(rows.map((r) => [r.relname, round(r.relallvisible / Math.max(1, r.relpages), 3)]));
      });
      log(`admin-search: all-visible fraction of the heap ${JSON.stringify(visibility)}`);
      const auth = () => ({ authorization: `Bearer ${token}` });
      const Q = `query A($s: String!, $after: String, $first: Int) { accounts(first: $first, after: $after, filter: { search: $s }) {
        edges { cursor node { id status createdAt identifiers { type value } } } pageInfo { hasNextPage endCursor } } }`;
      const ok = (b) => b.includes('"edges":[{');
      // Mixed prefixes: usernames and emails, 3 to 6 characters after "u" (1,000 to 100,000 matches… down to 10).
      const prefixes = [];
      for (let k = 0; k < 200; k++) {
        const n = String((k * 7919) % COUNT).padStart(7, '0');
        prefixes.push(`u${n.slice(0, 2 + (k % 5))}`);
      }
      const mixed = await graphqlLoad({ url: app.url, bodies: prefixes.map((s) => ({ query: Q, variables: { s, first: 20 } })), headersFor: auth, label: 'accounts page 1, mixed prefixes', expect: ok });
      assertNoErrors('accounts', mixed);
      // Page 5,000 of 20 by cursor for the broad prefix "u0": walk 999 pages of 100 and 4 of 20.
      const walkT0 = Date.now();
      let after = null;
      for (let i = 0; i < 999 + 4; i++) {
        const first = i < 999 ? 100 : 20;
        const d = await gql(app.url, 'query W($s: String!, $after: String, $first: Int) { accounts(first: $first, after: $after, filter: { search: $s }) { pageInfo { endCursor } } }', { s: 'u0', after, first }, token);
        after = d.accounts.pageInfo.endCursor;
      }
      log(`admin-search: walked to page 5,000 in ${((Date.now() - walkT0) / 1000).toFixed(1)} s`);
      const page1 = await graphqlLoad({ url: app.url, bodies: [{ query: Q, variables: { s: 'u0', first: 20 } }], headersFor: auth, label: 'accounts "u0" page 1', expect: ok });
      const page5000 = await graphqlLoad({ url: app.url, bodies: [{ query: Q, variables: { s: 'u0', first: 20, after } }], headersFor: auth, label: 'accounts "u0" page 5,000', expect: ok });
      assertNoErrors('page 1', page1);
      assertNoErrors('page 5000', page5000);
      const t = await typenameCeiling(app);
      const deep = ratio(page5000.latencyMs.p95, page1.latencyMs.p95);
      return {
        figures: [
          { name: 'accounts search p95, page 1, mixed prefixes', value: mixed.latencyMs.p95, unit: 'ms', rps: mixed.rps, ceiling: { name: '__typename p95', value: t.latencyMs.p95, unit: 'ms' }, ratio: ratio(mixed.latencyMs.p95, t.latencyMs.p95), target: '≤ 20 ms', met: mixed.latencyMs.p95 <= 20 },
          { name: 'accounts "u0" page 5,000 p95 by cursor', value: page5000.latencyMs.p95, unit: 'ms', ceiling: { name: 'page 1 p95', value: page1.latencyMs.p95, unit: 'ms' }, ratio: deep, target: '≤ 1.5 × page 1', met: deep <= 1.5 },
        ],
        // The figure's own window last: SUMMARY's CPU table reads the last one.
        windows: [page1.load, page5000.load, t.load, mixed.load],
        extra: { accounts: COUNT, allVisible: visibility, mixed, page1, page5000, typename: t, connections: CONNECTIONS },
      };
    });
  },

  /** 10,000 mails queued with SQL, drained by the running service to the SMTP sink. */
  async outbox(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_outbox');
    const sink = await startSmtpSink({ parse: false });
    const N = Number(process.env.BENCH_OUTBOX_MAILS ?? 10_000);
    try {
      const ceiling = await smtpCeiling(sink, 2000);
      const base = { ...sink.stats, ids: sink.uniqueIds() };
      return await withApp(db, opts, { SMTP_URL: sink.url }, async (app) => {
        await sleep(1500); // let boot-time work settle
        const monitor = startLoadMonitor();
        const t0 = Date.now();
        await withClient(db, (c) =>
          c.query(
            `INSERT INTO outbox_messages (channel, destination, template_key, locale, subject, body_html, body_text)
             SELECT 'EMAIL', 'ob' || n || '@bench.test', 'bench.outbox', 'en', 'Bench ' || n, '<p>Bench message ' || n || '</p>', 'Bench message ' || n
               FROM generate_series(1, $1::int) AS n`,
            [N],
          ),
        );
        const deadline = Date.now() + 180_000;
        while (sink.uniqueIds() - base.ids < N && Date.now() < deadline) await sleep(50);
        const seconds = (Date.now() - t0) / 1000;
        const load = monitor.stop();
        await sleep(2000); // any duplicate would arrive now
        const states = await withClient(db, async (c) => (await c.query(`SELECT status, count(*)::int AS n FROM outbox_messages GROUP BY status`)).rows);
        const unique = sink.uniqueIds() - base.ids;
        const duplicates = sink.stats.duplicates - base.duplicates;
        const rate = round(unique / seconds, 1);
        log(`outbox: ${unique} unique mails in ${seconds.toFixed(2)} s = ${rate}/s, duplicates ${duplicates}; others ${load.othersPct}%`);
        return {
          figures: [
            { name: `outbox drain, ${N} mails`, value: rate, unit: 'mails/s', ceiling: { name: 'SMTP sink ceiling (5 pooled connections)', value: ceiling.mailsPerSecond, unit: 'mails/s' }, ratio: ratio(rate, ceiling.mailsPerSecond), target: '≥ 300 mails/s, each exactly once', met: rate >= 300 && unique === N && duplicates === 0 },
            { name: 'unique / duplicate deliveries', value: `${unique} / ${duplicates}`, target: `${N} / 0`, met: unique === N && duplicates === 0 },
          ],
          windows: [ceiling.load, load],
          extra: { seconds: round(seconds, 2), unique, duplicates, states, smtpCeiling: ceiling },
        };
      });
    } finally {
      await sink.stop();
    }
  },

  /**
   * The deletion job (`npm run job:deletions`, a process of its own) over 100,000 due accounts
   * while 16 clients sign in with 64 other accounts: signIn p99 alone, then during the job.
   */
  async deletion(ctx, opts) {
    const db = await freshDatabase(ctx.pgUrl, 'gh_bench_deletion');
    const N = Number(process.env.BENCH_DELETION_ACCOUNTS ?? 100_000);
    return withApp(db, opts, {}, async (app) => {
      await withClient(db, (c) => seedAccounts(c, { prefix: 'si', count: 64 }));
      await withClient(db, (c) => seedDueDeletions(c, { prefix: 'del', count: N }));
      const bodies = Array.from({ length: 64 }, (_, k) => ({ query: SIGN_IN, variables: { i: { identifier: username('si', k + 1), password: PASSWORD } } }));
      const signIn = (label, extra = {}) => graphqlLoad({ url: app.url, bodies, label, expect: (b) => b.includes('"accessToken"'), ...extra });
      const alone = await signIn('signIn alone');
      assertNoErrors('signIn alone', alone);

      const job = runDeletionJob(app.env, opts);
      const monitor = startLoadMonitor(() => [job.pid]);
      const progress = [];
      const poll = withClient(db, async (c) => {
        while (!job.exited) {
          const { rows } = await c.query(`SELECT count(*)::int AS n FROM account_deletion_requests WHERE status = 'COMPLETED'`);
          progress.push({ t: round((Date.now() - job.startedAt) / 1000, 2), erased: rows[0].n });
          await sleep(500);
        }
      });
      // Back-to-back 10 s windows of the same sign-in load (one 3 s warm-up) while the job runs;
      // a window the job ended in is only partly "during" and is not counted.
      const windows = [];
      while (!job.exited) {
        const w = await signIn(`signIn during the job #${windows.length + 1}`, { warmup: windows.length ? 0 : WARMUP_S, monitorRoots: () => [job.pid] });
        windows.push({ ...w, complete: !job.exited });
      }
      const run = await job.done;
      await poll;
      const load = monitor.stop();
      if (run.code !== 0) throw new Error(`job:deletions exited ${run.code ?? run.signal}:\n${run.output.slice(-3000)}`);
      const total = (key) => Number(new RegExp(`\\\\?"${key}\\\\?":\\s*(\\d+)`).exec(run.output)?.[1] ?? NaN);
      const totals = { erased: total('erased'), deferred: total('deferred'), failed: total('failed') };
      const state = await withClient(db, async (c) => (await c.query(
        `SELECT (SELECT count(*) FROM account_deletion_requests WHERE status = 'COMPLETED' AND reason IS NULL)::int AS completed,
                (SELECT count(*) FROM accounts WHERE status = 'DELETED' AND password_hash IS NULL AND organization_id IS NULL AND credential_version = 2)::int AS tombstones,
                (SELECT count(*) FROM identifiers WHERE value LIKE 'del%')::int AS identifiers_left,
                (SELECT count(*) FROM otp_challenges)::int AS challenges_left,
                (SELECT count(*) FROM outbox_messages)::int AS messages_left,
                (SELECT count(*) FROM profiles)::int AS profiles_left,
                (SELECT count(*) FROM organizations)::int AS organizations_left,
                (SELECT count(*) FROM accounts WHERE status = 'ACTIVE')::int AS active`)).rows[0]);
      log(`deletion: job ${JSON.stringify(totals)} in ${run.seconds} s; state ${JSON.stringify(state)}`);
      const expected = { completed: N, tombstones: N, identifiers_left: 0, challenges_left: 0, messages_left: 0, profiles_left: 64, organizations_left: 64, active: 64 };
      if (JSON.stringify(state) !== JSON.stringify(expected) || totals?.erased !== N || totals?.failed !== 0) {
        throw new Error(`deletion: wrong end state ${JSON.stringify({ totals, state })}, expected ${JSON.stringify(expected)}`);
      }
      const during = windows.filter((w) => w.complete);
      if (during.length === 0) throw new Error(`deletion: the job ended (${run.seconds} s) before one sign-in window was complete`);
      for (const w of during) assertNoErrors('signIn during the job', w);
      const rate = round(N / run.seconds, 1);
      // The slowest complete window is the figure (the strictest reading); every window is in extra.
      const worst = during.reduce((a, b) => (b.latencyMs.p99 > a.latencyMs.p99 ? b : a));
      const r = ratio(worst.latencyMs.p99, alone.latencyMs.p99);
      return {
        figures: [
          { name: `deletion job, ${N} due accounts (process start to exit)`, value: rate, unit: 'accounts/s', target: '≥ 1,000 accounts/s', met: rate >= 1000 },
          {
            name: 'signIn p99 during the job (slowest 10 s window)',
            value: worst.latencyMs.p99,
            unit: 'ms',
            rps: worst.rps,
            ceiling: { name: 'signIn p99 alone', value: alone.latencyMs.p99, unit: 'ms' },
            ratio: r,
            target: '≤ 1.25 × alone',
            met: r <= 1.25,
          },
          { ...loadFigure('signIn alone', alone) },
        ],
        windows: [alone.load, ...during.map((w) => w.load), load],
        extra: {
          accounts: N,
          job: { seconds: run.seconds, totals, firstErasureSeconds: progress.find((p) => p.erased > 0)?.t ?? null, load },
          signInAlone: alone,
          signInDuring: windows.map(({ complete, latencyMs, rps, errors, load: l }) => ({ complete, rps, latencyMs, errors, load: l })),
          progress: progress.filter((_, i) => i % 4 === 0 || i === progress.length - 1),
          endState: state,
        },
      };
    });
  },
};

/** What the SMTP path itself can carry: nodemailer with the service's pool settings, from this process. */
async function smtpCeiling(sink, n) {
  const { createRequire } = await import('node:module');
  const nodemailer = createRequire(import.meta.url)('nodemailer');
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: 5 }); // options beside url: as a second argument they would be message defaults (no pool)
  const received0 = sink.uniqueIds();
  const monitor = startLoadMonitor();
  const t0 = Date.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (i < n) {
        const k = i++;
        await transport.sendMail({ from: 'bench@bench.test', to: `c${k}@bench.test`, subject: `Bench ${k}`, html: `<p>Bench message ${k}</p>`, text: `Bench message ${k}`, headers: { 'X-Gatehouse-Message-Id': `ceiling-${k}` } });
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  const load = monitor.stop();
  transport.close();
  // The sink counts in its own thread: let the last of these reach the counts before a scenario
  // takes its baseline from them.
  const deadline = Date.now() + 10_000;
  while (sink.uniqueIds() < received0 + n && Date.now() < deadline) await sleep(20);
  log(`SMTP ceiling: ${round(n / seconds, 1)} mails/s`);
  return { mailsPerSecond: round(n / seconds, 1), mails: n, seconds: round(seconds, 2), load };
}

/**
 * `npm run job:deletions` as operators run it (node dist/apps/api/src/jobs/deletions.js with the
 * service's environment), a child of this harness: the load monitor counts it as ours.
 */
function runDeletionJob(env, opts) {
  // No production heap flags: `job:deletions` is plain `node`. The watchdog stops it if the harness dies.
  const nodeArgs = opts.profile ? ['--cpu-prof', '--cpu-prof-dir', resolve(ROOT, 'bench/profiles')] : [];
  const child = spawn(process.execPath, ['--require', resolve(ROOT, 'libs/testing/src/parent-watchdog.cjs'), ...nodeArgs, resolve(ROOT, 'dist/apps/api/src/jobs/deletions.js')], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'], // stdin: the watchdog's pipe
  });
  const job = { pid: child.pid, startedAt: Date.now(), exited: false };
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-100_000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-100_000)));
  // Bounded like everything else in the harness.
  const timer = setTimeout(() => child.kill('SIGKILL'), Number(process.env.BENCH_DELETION_TIMEOUT_S ?? 900) * 1000);
  job.done = new Promise((done) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      job.exited = true;
      done({ code, signal, output, seconds: round((Date.now() - job.startedAt) / 1000, 2) });
    }),
  );
  log(`job:deletions started (pid ${child.pid})`);
  return job;
}
