// A/B of two builds on the same machine at the same time (bench/README.md, "How a change is
// measured"): the service built from <base> (a git worktree of its own under /tmp, its own dist,
// this checkout's node_modules) and the service built from this checkout serve one load each,
// concurrently, half the connections each, for several rounds; what matters is the ratio
// new/base within a round, because both saw the same machine. Absolute figures here are not
// the (each build gets half the load and half the machine).
//
//   node bench/ab.mjs <base-rev> [signIn|me|typename|admin] [--rounds 3]
//   BENCH_BCRYPT_COST=4 node bench/ab.mjs HEAD~1 signIn   # the sign-in path outside bcrypt
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApp } from './lib/app.mjs';
import { BCRYPT_COST, CONNECTIONS, PASSWORD, ROOT, gql, log, round } from './lib/common.mjs';
import { graphqlLoad } from './lib/load.mjs';
import { freshDatabase, startPostgres, stopPostgres, withClient } from './lib/postgres.mjs';
import { seedAccounts, signInAll, username } from './lib/seed.mjs';

const args = process.argv.slice(2);
const base = args[0];
const op = args[1] && !args[1].startsWith('--') ? args[1] : 'signIn';
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3;
if (!base || !['signIn', 'me', 'typename', 'admin'].includes(op)) {
  console.error('usage: node bench/ab.mjs <base-rev> [signIn|me|typename|admin] [--rounds N]');
  process.exit(2);
}

const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--verify', `${base}^{commit}`);
const tree = `/tmp/gatehouse-ab/${sha.slice(0, 12)}`;
if (!existsSync(resolve(tree, 'dist/apps/api/src/main.js'))) {
  if (!existsSync(tree)) git('worktree', 'add', '--detach', tree, sha);
  if (!existsSync(resolve(tree, 'node_modules'))) symlinkSync(resolve(ROOT, 'node_modules'), resolve(tree, 'node_modules'));
  log(`building ${sha.slice(0, 12)} in ${tree}`);
  execFileSync('npm', ['run', 'build'], { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] });
}

const QUERIES = {
  signIn: 'mutation SignIn($i: SignInInput!) { signIn(input: $i) { accessToken expiresAt } }',
  me: '{ me { id status roles identifiers { type value verified } profile { displayName } } }',
  typename: '{ __typename }',
  // The admin-search scenario's page: 20 accounts with their identifiers.
  admin: `{ accounts(first: 20, filter: { search: "ab" }) { edges { cursor node { id status createdAt identifiers { type value } } } pageInfo { hasNextPage endCursor } } }`,
};
const EXPECT = { signIn: (b) => b.includes('"accessToken"'), me: (b) => b.includes('"me":{"id"'), typename: (b) => b.includes('"Query"'), admin: (b) => b.includes('"edges":[{') };

const { url: pgUrl } = await startPostgres(process.env.BENCH_FAST_PG === '1');
const apps = [];
try {
  const db = await freshDatabase(pgUrl, 'gh_bench_ab');
  // The base boots first (it applies the migrations it knows), then this build (the rest).
  // One secret for both, so a token either issued works on either.
  const env = { JWT_SECRET: randomBytes(48).toString('base64url'), ADMIN_USERNAME: 'abadmin', ADMIN_PASSWORD: PASSWORD };
  apps.push(await startApp({ databaseUrl: db, root: tree, env }));
  apps.push(await startApp({ databaseUrl: db, env }));
  await withClient(db, (c) => seedAccounts(c, { prefix: 'ab', count: 64, verifiedEmail: true }));
  const names = Array.from({ length: 64 }, (_, k) => username('ab', k + 1));
  const tokens = op === 'me' ? await signInAll(apps[1].url, names, gql) : op === 'admin' ? Array(64).fill((await signInAll(apps[1].url, ['abadmin'], gql))[0]) : [];
  const bodiesFor = () =>
    op === 'signIn' ? names.map((n) => ({ query: QUERIES.signIn, variables: { i: { identifier: n, password: PASSWORD } } })) : names.map(() => ({ query: QUERIES[op] }));
  const half = Math.max(1, Math.floor(CONNECTIONS / 2));
  log(`A/B ${op}: base ${sha.slice(0, 12)} against this checkout (${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+dirty' : ''}), ${half} connections each, ${rounds} rounds, bcrypt cost ${BCRYPT_COST}`);
  const ratios = [];
  for (let r = 1; r <= rounds; r += 1) {
    // Alternate which build is listed first, so neither always starts a hair earlier.
    const order = r % 2 ? [0, 1] : [1, 0];
    const runs = await Promise.all(
      order.map((i) =>
        graphqlLoad({
          url: apps[i].url,
          bodies: bodiesFor(),
          headersFor: tokens.length ? (k) => ({ authorization: `Bearer ${tokens[k]}` }) : () => ({}),
          connections: half,
          label: `${i === 0 ? 'base' : 'new'} ${op}`,
          expect: EXPECT[op],
        }),
      ),
    );
    const [b, n] = order[0] === 0 ? runs : [runs[1], runs[0]];
    if (b.errors || n.errors) throw new Error(`wrong answers: base ${b.errors}, new ${n.errors}`);
    ratios.push(n.rps / b.rps);
    log(`round ${r}: base ${b.rps} req/s, new ${n.rps} req/s, new/base ${round(n.rps / b.rps, 3)}`);
  }
  const geo = Math.exp(ratios.reduce((s, x) => s + Math.log(x), 0) / ratios.length);
  log(`A/B ${op}: new/base ${round(geo, 3)} (geometric mean of ${ratios.map((x) => round(x, 3)).join(', ')})`);
} finally {
  for (const a of apps) await a.stop();
  stopPostgres();
}
