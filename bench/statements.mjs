#!/usr/bin/env node
// node bench/statements.mjs [N]: statements the service sends to PostgreSQL per operation (signIn, me,
// code pair = request + mail + verify, signUp), N of each one after the other (default 20), counted by
// bench/lib/count-statements.cjs preloaded into the built service. Background work (the outbox sweep
// every second) lands in whichever operation it happens during: read small fractions as that.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PASSWORD, ROOT, gql, sleep } from './lib/common.mjs';
import { startApp } from './lib/app.mjs';
import { freshDatabase, startPostgres, stopPostgres, withClient } from './lib/postgres.mjs';
import { seedAccounts, signInAll, username } from './lib/seed.mjs';
import { startSmtpSink } from './lib/smtp-sink.mjs';

const N = Number(process.argv[2] ?? 20);
const trigger = join(tmpdir(), `gatehouse-statements-${process.pid}`);
const dump = async () => {
  await sleep(300); // let the last operation's background work (the mail's send) finish
  writeFileSync(trigger, '');
  for (let i = 0; i < 100 && existsSync(trigger); i++) await sleep(20);
  await sleep(50);
  const counts = JSON.parse(readFileSync(`${trigger}.out`, 'utf8'));
  rmSync(`${trigger}.out`, { force: true });
  return counts;
};
const print = (label, counts) => {
  const total = counts.reduce((n, [, c]) => n + c, 0);
  console.log(`\n== ${label}: ${(total / N).toFixed(2)} statements per operation`);
  for (const [text, c] of counts.sort((a, b) => b[1] - a[1])) console.log(`${(c / N).toFixed(2).padStart(6)}  ${text}`);
};

const { url: pgUrl } = await startPostgres(process.env.BENCH_FAST_PG === '1');
const db = await freshDatabase(pgUrl, 'gh_bench_statements');
const sink = await startSmtpSink();
const app = await startApp({
  databaseUrl: db,
  env: { SMTP_URL: sink.url, GH_STATEMENTS_DUMP: trigger },
  nodeArgs: ['--require', resolve(ROOT, 'bench/lib/count-statements.cjs')],
});
try {
  await withClient(db, (c) => seedAccounts(c, { prefix: 'st', count: 1, unverifiedEmails: N }));
  const name = username('st', 1);
  const [token] = await signInAll(app.url, [name], gql);
  const emails = await withClient(db, async (c) => (await c.query(`SELECT id, value FROM identifiers WHERE type = 'EMAIL' ORDER BY value`)).rows);
  await dump();
  for (let i = 0; i < N; i++) await gql(app.url, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { identifier: name, password: PASSWORD } });
  print('signIn', await dump());
  for (let i = 0; i < N; i++) await gql(app.url, '{ me { id status roles identifiers { id type value verified } profile { displayName } } }', {}, token);
  print('me', await dump());
  for (let i = 0; i < N; i++) {
    const r = await gql(app.url, 'mutation R($id: ID!) { requestIdentifierVerification(identifierId: $id) { challengeId } }', { id: emails[i].id }, token);
    const code = await sink.nextCode(emails[i].value);
    await gql(app.url, 'mutation V($i: SubmitOtpInput!) { verifyIdentifier(input: $i) { verified } }', { i: { challengeId: r.requestIdentifierVerification.challengeId, code } }, token);
  }
  print('code pair (request + mail + verify)', await dump());
  for (let i = 0; i < N; i++) await gql(app.url, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { username: `stnew${i}`, password: PASSWORD } });
  print('signUp (username only)', await dump());
} finally {
  await app.stop();
  await sink.stop();
  stopPostgres();
}
