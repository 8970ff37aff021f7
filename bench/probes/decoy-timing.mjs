#!/usr/bin/env node
// node bench/probes/decoy-timing.mjs [N]: does a decoy answer like a real request? (issue 19: "decoy
// answers are 2–10 ms faster than real ones"). For password reset and sign-in by code, N real requests
// (each to a different seeded account with a verified email, so no cool-down or cap is met) and N
// decoys (unknown emails) are sent one at a time, interleaved real / decoy, against the built service
// on the bench PostgreSQL (stock durability unless BENCH_FAST_PG=1). Prints the latency of each kind
// (median, p90) and real − decoy of the medians with a bootstrap 95 % interval; then the statements
// each kind sends (bench/lib/count-statements.cjs, as bench/statements.mjs).
// No timing here is asserted anywhere (a test suite on a shared machine cannot); figures in bench/README.md.
import { startApp } from '../lib/app.mjs';
import { freshDatabase, startPostgres, stopPostgres, withClient } from '../lib/postgres.mjs';
import { seedAccounts, username } from '../lib/seed.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';
import { statementCounter } from '../lib/statement-counts.mjs';

const N = Number(process.argv[2] ?? 200);
const { dump, nodeArgs, env: counterEnv } = statementCounter('decoy');
const FLOWS = {
  reset: 'mutation R($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) { challengeId } }',
  signInCode: 'mutation R($i: RequestSignInCodeInput!) { requestSignInCode(input: $i) { challengeId } }',
};

async function timed(url, query, identifier) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { i: { identifier } } }),
  });
  const body = await res.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 300)}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
function bootstrap(real, decoy, rounds = 2000) {
  const pick = (xs) => Array.from(xs, () => xs[Math.floor(Math.random() * xs.length)]);
  const diffs = Array.from({ length: rounds }, () => median(pick(real)) - median(pick(decoy))).sort((a, b) => a - b);
  return [diffs[Math.floor(rounds * 0.025)], diffs[Math.floor(rounds * 0.975)]];
}
const perOp = (counts, n) => (counts.reduce((t, [, c]) => t + c, 0) / n).toFixed(2);

const { url: pgUrl } = await startPostgres(process.env.BENCH_FAST_PG === '1');
const db = await freshDatabase(pgUrl, 'gh_bench_decoy');
const sink = await startSmtpSink({ parse: false });
const app = await startApp({
  databaseUrl: db,
  env: { SMTP_URL: sink.url, ...counterEnv, OTP_MAX_SENDS_PER_IP_PER_HOUR: '0' },
  nodeArgs,
});
try {
  const perFlow = N + 20;
  await withClient(db, (c) => seedAccounts(c, { prefix: 'dc', count: perFlow * Object.keys(FLOWS).length + 40, verifiedEmail: true }));
  let next = 1;
  const realEmail = () => `${username('dc', next++)}@bench.test`;
  let unknown = 0;
  const decoyEmail = () => `nobody${process.pid}.${unknown++}@bench.test`;
  for (const [flow, query] of Object.entries(FLOWS)) {
    for (let i = 0; i < 10; i++) await timed(app.url, query, i % 2 ? realEmail() : decoyEmail()); // warm-up
    const real = [];
    const decoy = [];
    for (let i = 0; i < N; i++) {
      // Alternate which goes first, so a drift of the machine falls on both alike.
      if (i % 2) {
        real.push(await timed(app.url, query, realEmail()));
        decoy.push(await timed(app.url, query, decoyEmail()));
      } else {
        decoy.push(await timed(app.url, query, decoyEmail()));
        real.push(await timed(app.url, query, realEmail()));
      }
    }
    const [lo, hi] = bootstrap(real, decoy);
    console.log(
      `${flow}: real median ${median(real).toFixed(2)} ms (p90 ${p90(real).toFixed(2)}), decoy median ${median(decoy).toFixed(2)} ms ` +
        `(p90 ${p90(decoy).toFixed(2)}); real − decoy ${(median(real) - median(decoy)).toFixed(2)} ms, 95 % [${lo.toFixed(2)}, ${hi.toFixed(2)}]`,
    );
    await dump();
    for (let i = 0; i < 10; i++) await timed(app.url, query, realEmail());
    const realStatements = perOp(await dump(), 10);
    for (let i = 0; i < 10; i++) await timed(app.url, query, decoyEmail());
    const decoyStatements = perOp(await dump(), 10);
    console.log(`${flow}: statements per request (with the real one's send after it): real ${realStatements}, decoy ${decoyStatements}`);
  }
} finally {
  await app.stop();
  await sink.stop();
  stopPostgres();
}
