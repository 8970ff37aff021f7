#!/usr/bin/env node
// node bench/statements.mjs [N]: statements the service sends to PostgreSQL per operation (signIn, me,
// code pair = request + mail + verify, signUp), N of each one after the other (default 20), counted by
// bench/lib/count-statements.cjs preloaded into the built service. Background work (the outbox sweep
// every second) lands in whichever operation it happens during: read small fractions as that.
// Beside each count: the WAL bytes per operation (pg_stat_wal before and after; what every commit
// writes and replicas replay) and the growth of each table (pg_total_relation_size, page-granular:
// read it over N ≥ 100), for the capacity section of bench/README.md.
import { PASSWORD, gql } from './lib/common.mjs';
import { startApp } from './lib/app.mjs';
import { freshDatabase, startPostgres, stopPostgres, withClient } from './lib/postgres.mjs';
import { seedAccounts, signInAll, username } from './lib/seed.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';
import { statementCounter } from './lib/statement-counts.mjs';

const N = Number(process.argv[2] ?? 20);
const { dump, nodeArgs, env: counterEnv } = statementCounter('statements');
let before = null;
const storage = () =>
  withClient(db, async (c) => {
    const wal = Number((await c.query(`SELECT wal_bytes FROM pg_stat_wal`)).rows[0].wal_bytes);
    const { rows } = await c.query(
      `SELECT relname, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    return { wal, tables: Object.fromEntries(rows.map((r) => [r.relname, Number(r.bytes)])) };
  });
const print = async (label, counts) => {
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const after = await storage();
  const grown = Object.entries(after.tables)
    .map(([t, b]) => [t, (b - (before.tables[t] ?? 0)) / N])
    .filter(([, b]) => b > 0)
    .sort((a, b) => b[1] - a[1]);
  console.log(`\n== ${label}: ${(total / N).toFixed(2)} statements, ${Math.round((after.wal - before.wal) / N)} WAL bytes per operation`);
  console.log(`   table growth per operation (bytes): ${grown.map(([t, b]) => `${t} ${Math.round(b)}`).join(', ') || 'none'}`);
  for (const [text, c] of counts.sort((a, b) => b[1] - a[1])) console.log(`${(c / N).toFixed(2).padStart(6)}  ${text}`);
  before = await storage();
};

const { url: pgUrl } = await startPostgres(process.env.BENCH_FAST_PG === '1');
const db = await freshDatabase(pgUrl, 'gh_bench_statements');
const sink = await startSmtpSink();
const app = await startApp({
  databaseUrl: db,
  env: { SMTP_URL: sink.url, ...counterEnv },
  nodeArgs,
});
try {
  await withClient(db, (c) => seedAccounts(c, { prefix: 'st', count: 1, unverifiedEmails: N }));
  const name = username('st', 1);
  let [token] = await signInAll(app.url, [name], gql);
  const emails = await withClient(db, async (c) => (await c.query(`SELECT id, value FROM identifiers WHERE type = 'EMAIL' ORDER BY value`)).rows);
  await dump();
  before = await storage();
  await dump();
  for (let i = 0; i < N; i++) await gql(app.url, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { identifier: name, password: PASSWORD } });
  await print('signIn', await dump());
  // Sessions are capped at 50 per account: the N sign-ins above ended the first one.
  [token] = await signInAll(app.url, [name], gql);
  await dump();
  before = await storage();
  for (let i = 0; i < N; i++) await gql(app.url, '{ me { id status roles identifiers { id type value verified } profile { displayName } } }', {}, token);
  await print('me', await dump());
  for (let i = 0; i < N; i++) {
    const r = await gql(app.url, 'mutation R($id: ID!) { requestIdentifierVerification(identifierId: $id) { challengeId } }', { id: emails[i].id }, token);
    const code = await sink.nextCode(emails[i].value);
    await gql(app.url, 'mutation V($i: SubmitOtpInput!) { verifyIdentifier(input: $i) { verified } }', { i: { challengeId: r.requestIdentifierVerification.challengeId, code } }, token);
  }
  await print('code pair (request + mail + verify)', await dump());
  for (let i = 0; i < N; i++) await gql(app.url, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { username: `stnew${i}`, password: PASSWORD } });
  await print('signUp (username only)', await dump());
} finally {
  await app.stop();
  await sink.stop();
  stopPostgres();
}
