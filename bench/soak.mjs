#!/usr/bin/env node
// Soak (issue 9): a steady mixed load below saturation against three instances sharing one
// PostgreSQL database and one Redis, for SOAK_MINUTES (default 10). Every minute: requests, 5xx,
// errors, p50 / p99 latency, and the RSS of each instance. At the end: lost mails (a code asked for
// and never delivered). Writes bench/results/soak-<date>.{json,md}; exits 1 when the run breaks the
// issue's bar (any 5xx, any lost mail, RSS growing more than 10 % between minute 2 and the last).
//
//   eval "$(scripts/test-services.sh start postgres redis)"
//   npm run build && node bench/soak.mjs            # SOAK_MINUTES=1 for a quick look
//
// Loopback only; every loop is bounded by the run's deadline and the process stops by itself.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = process.env.GATEHOUSE_ENTRY ?? join(ROOT, 'dist/apps/api/src/main.js');
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const RATE = Number(process.env.SOAK_RATE ?? 20); // requests per second over the three instances
const INSTANCES = 3;
const USERS = 30;
const ADMIN = { username: 'soak_admin', password: `Soak!${randomBytes(9).toString('base64url')}` };

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.error('soak: needs DATABASE_URL and REDIS_URL (eval "$(scripts/test-services.sh start postgres redis)")');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// --- SMTP sink: counts mails per recipient, keeps the codes -----------------------------------
const mails = new Map(); // recipient -> [code]
const smtpPort = await freePort();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, cb) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, '');
      const code = /(?<![\w+\-:/.,@])(\d{6})(?![\w\-:/@]|[.,]\d)/.exec(text)?.[1];
      for (const r of session.envelope.rcptTo) {
        const to = r.address.toLowerCase();
        mails.set(to, [...(mails.get(to) ?? []), code]);
      }
      cb();
    });
  },
});
await new Promise((r) => smtp.listen(smtpPort, '127.0.0.1', r));

// --- database, Redis logical db, instances ---------------------------------------------------
const dbName = `gh_soak_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(process.env.DATABASE_URL);
dbUrl.pathname = `/${dbName}`;
const redisUrl = new URL(process.env.REDIS_URL);
redisUrl.pathname = '/14';

const shared = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  DATABASE_URL: dbUrl.toString(),
  REDIS_URL: redisUrl.toString(),
  JWT_SECRET: randomBytes(48).toString('base64'),
  SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  OTP_HASH_KEY: randomBytes(48).toString('base64'),
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  BCRYPT_COST: process.env.SOAK_BCRYPT_COST ?? '8',
  OTP_TTL_SECONDS: '3600',
  RATE_LIMIT_IP_PER_MINUTE: '1000000', // all load comes from 127.0.0.1
  DELETION_JOB_CRON: '0 * * * * *',
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  LOG_LEVEL: 'warn',
};
const apps = [];
for (let i = 0; i < INSTANCES; i++) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'gh-soak-'));
  const child = spawn(process.execPath, [ENTRY], {
    env: { PATH: process.env.PATH, ...shared, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-20000)));
  apps.push({ name: `node-${i}`, port, url: `http://127.0.0.1:${port}`, child, dataDir, stderr: () => stderr });
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const a of apps) a.child.kill('SIGTERM');
  await sleep(3000);
  for (const a of apps) if (a.child.exitCode === null) a.child.kill('SIGKILL');
  for (const a of apps) rmSync(a.dataDir, { recursive: true, force: true });
  smtp.close();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));
process.on('SIGTERM', () => shutdown(143));

for (const a of apps) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (a.child.exitCode !== null) {
      console.error(`${a.name} exited at boot:\n${a.stderr()}`);
      await shutdown(1);
    }
    const ok = await fetch(`${a.url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      console.error(`${a.name} not ready after 90 s:\n${a.stderr()}`);
      await shutdown(1);
    }
    await sleep(200);
  }
}

// --- GraphQL ---------------------------------------------------------------------------------
let rr = 0;
async function call(op, query, variables, token) {
  const app = apps[rr++ % apps.length];
  const started = performance.now();
  let status = 0;
  let body;
  try {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    body = await res.json().catch(() => undefined);
  } catch {
    status = 0;
  }
  const ms = performance.now() - started;
  const code = body?.errors?.[0]?.extensions?.code;
  record(op, ms, status, code);
  if (status !== 200 || code) return undefined;
  return body.data;
}

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken verifications { challengeId } } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`;
const ME = `query { me { id identifiers { value verified } } }`;
const VERIFY = `mutation($input: SubmitOtpInput!) { verifyIdentifier(input: $input) { verified } }`;
const SEARCH = `query($filter: AccountFilter) { accounts(first: 20, filter: $filter) { edges { node { id } } } }`;

// --- measurements ----------------------------------------------------------------------------
const minutes = [];
let current;
function newMinute(index) {
  current = { minute: index, requests: 0, status5xx: 0, transport: 0, errors: {}, latencies: [], byOp: {} };
  minutes.push(current);
}
function record(op, ms, status, code) {
  if (!current) return;
  current.requests += 1;
  current.latencies.push(ms);
  (current.byOp[op] ??= []).push(ms);
  if (status >= 500) current.status5xx += 1;
  if (status === 0) current.transport += 1;
  if (code) current.errors[`${op}:${code}`] = (current.errors[`${op}:${code}`] ?? 0) + 1;
}
const pct = (xs, p) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};
const rssMb = (pid) => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return null;
  }
};

// --- setup: users to sign in with, an admin token ---------------------------------------------
const tag = randomBytes(3).toString('hex');
const users = [];
for (let i = 0; i < USERS; i++) {
  const username = `soak_${tag}_${i}`;
  const password = `Soak!${randomBytes(9).toString('base64url')}`;
  const d = await call('setup', SIGN_UP, { input: { username, password } });
  if (!d) {
    console.error('setup sign-up failed');
    await shutdown(1);
  }
  users.push({ username, password, token: d.signUp.accessToken });
}
const adminToken = (await call('setup', SIGN_IN, { input: { identifier: ADMIN.username, password: ADMIN.password } }))?.signIn.accessToken;
if (!adminToken) {
  console.error('admin sign-in failed');
  await shutdown(1);
}

// --- the load --------------------------------------------------------------------------------
const codeRequests = []; // { email, challengeId }
let seq = 0;
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
async function oneOperation() {
  const r = Math.random();
  if (r < 0.3) {
    const u = pick(users);
    const d = await call('signIn', SIGN_IN, { input: { identifier: u.username, password: u.password } });
    if (d) u.token = d.signIn.accessToken;
  } else if (r < 0.75) {
    await call('me', ME, undefined, pick(users).token);
  } else if (r < 0.9) {
    // code request (sign-up with an email sends one) and, once it arrived, its verification
    const email = `soak.${tag}.${seq++}@example.com`;
    const d = await call('codeRequest', SIGN_UP, { input: { username: `sk_${tag}_${seq}`, email, password: `Soak!${randomBytes(9).toString('base64url')}` } });
    if (d) codeRequests.push({ email, challengeId: d.signUp.verifications[0].challengeId, verified: false });
  } else {
    await call('adminSearch', SEARCH, { filter: { search: `soak_${tag}_${Math.floor(Math.random() * 10)}` } }, adminToken);
  }
}
async function verifyArrived() {
  for (const c of codeRequests) {
    if (c.verified || c.verifying) continue;
    const code = mails.get(c.email)?.[0];
    if (!code) continue;
    c.verifying = true;
    const d = await call('verify', VERIFY, { input: { challengeId: c.challengeId, code } });
    c.verified = Boolean(d?.verifyIdentifier?.verified);
    c.verifying = false;
    return;
  }
}

const started = Date.now();
const end = started + MINUTES * 60_000;
const inflight = new Set();
console.log(`soak: ${INSTANCES} instances, ${RATE} req/s, ${MINUTES} min, bcrypt ${shared.BCRYPT_COST}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (let m = 0; m < MINUTES; m++) {
  newMinute(m + 1);
  const minuteEnd = started + (m + 1) * 60_000;
  let tick = 0;
  while (Date.now() < minuteEnd) {
    const p = (tick++ % 5 === 0 ? verifyArrived() : oneOperation()).finally(() => inflight.delete(p));
    inflight.add(p);
    const due = started + m * 60_000 + (tick * 1000) / RATE;
    await sleep(Math.max(0, due - Date.now()));
  }
  current.rssMb = Object.fromEntries(apps.map((a) => [a.name, rssMb(a.child.pid)]));
  current.p50 = pct(current.latencies, 50);
  current.p99 = pct(current.latencies, 99);
  current.p99ByOp = Object.fromEntries(Object.entries(current.byOp).map(([op, xs]) => [op, pct(xs, 99)]));
  current.load1 = Number(loadavg()[0].toFixed(2));
  delete current.latencies;
  delete current.byOp;
  console.log(
    `minute ${current.minute}: ${current.requests} req, 5xx ${current.status5xx}, p50 ${current.p50} ms, p99 ${current.p99} ms, rss ${JSON.stringify(current.rssMb)} MB, load ${current.load1}, errors ${JSON.stringify(current.errors)}`,
  );
}
void end;
await Promise.allSettled([...inflight]);

// --- lost mail: every code asked for arrives (give the outbox 30 s to drain) -----------------
const drainUntil = Date.now() + 30_000;
while (Date.now() < drainUntil && codeRequests.some((c) => !mails.has(c.email))) await sleep(500);
const lost = codeRequests.filter((c) => !mails.has(c.email)).length;
const duplicated = codeRequests.filter((c) => (mails.get(c.email)?.length ?? 0) > 1).length;

const total5xx = minutes.reduce((n, m) => n + m.status5xx, 0);
const rssGrowth = Object.fromEntries(
  apps.map((a) => {
    const m2 = minutes[Math.min(1, minutes.length - 1)].rssMb[a.name];
    const last = minutes[minutes.length - 1].rssMb[a.name];
    return [a.name, m2 && last ? Math.round(((last - m2) / m2) * 1000) / 10 : null];
  }),
);
const summary = {
  command: `SOAK_MINUTES=${MINUTES} SOAK_RATE=${RATE} node bench/soak.mjs`,
  date: new Date().toISOString(),
  node: process.version,
  cores: (await import('node:os')).cpus().length,
  instances: INSTANCES,
  ratePerSecond: RATE,
  minutes,
  codeRequests: codeRequests.length,
  verified: codeRequests.filter((c) => c.verified).length,
  lostMails: lost,
  duplicatedMails: duplicated,
  total5xx,
  rssGrowthPercentMinute2ToLast: rssGrowth,
};
const pass = total5xx === 0 && lost === 0 && Object.values(rssGrowth).every((g) => g !== null && g <= 10);
summary.pass = pass;

const outDir = join(ROOT, 'bench/results');
mkdirSync(outDir, { recursive: true });
const stamp = summary.date.slice(0, 16).replace(/[:T]/g, '-');
writeFileSync(join(outDir, `soak-${stamp}.json`), `${JSON.stringify(summary, null, 2)}\n`);
const md = [
  `# Soak ${summary.date}`,
  '',
  `\`${summary.command}\` — ${INSTANCES} instances on one PostgreSQL + Redis, ${summary.cores} cores (shared with other work; load average per minute below), node ${process.version}.`,
  'Mix: 30 % signIn, 45 % me, 15 % code request (sign-up with an email) then its verifyIdentifier, 10 % admin search.',
  '',
  '| minute | requests | 5xx | p50 ms | p99 ms | ' + apps.map((a) => `RSS ${a.name} MB`).join(' | ') + ' | load | errors |',
  '|---|---|---|---|---|' + apps.map(() => '---|').join('') + '---|---|',
  ...minutes.map(
    (m) =>
      `| ${m.minute} | ${m.requests} | ${m.status5xx} | ${m.p50} | ${m.p99} | ${apps.map((a) => m.rssMb[a.name]).join(' | ')} | ${m.load1} | ${Object.entries(m.errors).map(([k, v]) => `${k} ×${v}`).join(', ') || '—'} |`,
  ),
  '',
  `Codes asked for: ${summary.codeRequests}, verified: ${summary.verified}, lost mails: ${lost}, duplicated: ${duplicated}. 5xx: ${total5xx}.`,
  `RSS growth minute 2 → last: ${Object.entries(rssGrowth).map(([k, v]) => `${k} ${v} %`).join(', ')}.`,
  `Result: ${pass ? 'PASS' : 'FAIL'} (zero 5xx, zero lost mail, RSS growth ≤ 10 %).`,
  '',
].join('\n');
writeFileSync(join(outDir, `soak-${stamp}.md`), md);
console.log(md);
await shutdown(pass ? 0 : 1);
