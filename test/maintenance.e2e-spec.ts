import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { QueryRunner } from 'typeorm';
import { MIGRATIONS } from '../libs/database/src/migrations';
// The pure modules: the sweeper and each owner's batches (Jest cannot load Nest's ESM packages).
import { RetentionPurges, RetentionSweeper, RowsQuery } from '../libs/maintenance/src/retention-sweeper';
import { purgeExpiredResetTokens } from '../libs/auth/src/password-reset/password-reset-tokens.retention';
import { purgeEndedSessions } from '../libs/credentials/src/sessions/sessions.retention';
import { purgeDeliveredMessages } from '../libs/notifications/src/outbox-messages.repository';
import { purgeEndedChallenges, purgeExpiredCodeHashes } from '../libs/otp/src/otp-challenges.retention';
import { purgeOldEvents } from '../libs/security-events/src/security-events.retention';
import { createTestDatabase, EmbeddedDatabase, hasExternalDatabase, REPO_ROOT, startEmbeddedDatabase } from '@app/testing';

// Contract README: Retention (codes' hashes cleared when they die, challenges / reset tokens /
// sessions deleted 24 h after they end, delivered outbox rows deleted after 7 days, security
// events past SECURITY_EVENT_RETENTION_DAYS; batches; exactly once across instances), Running it
// (`npm run job:maintenance`).

jest.setTimeout(120_000);

const run = promisify(execFile);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let db: EmbeddedDatabase;
let rows: RowsQuery;

beforeAll(async () => {
  db = await startEmbeddedDatabase();
  const runner = { query: (sql: string, params?: unknown[]) => (params?.length ? db.query(sql, params) : db.exec(sql)) } as unknown as QueryRunner;
  for (const M of MIGRATIONS) await new M().up(runner);
  rows = (sql, params) => db.query(sql, params);
}, 60_000);

afterAll(async () => {
  await db?.stop();
});

const ago = (ms: number) => new Date(Date.now() - ms);

/** Rows of every kind, some past retention (`old`) and some not; returns the ids that must stay. */
async function seed(q: RowsQuery, old: number): Promise<{ keep: Record<string, string[]>; account: string }> {
  const [{ id: account }] = await q<{ id: string }>(`INSERT INTO accounts (status, roles) VALUES ('ACTIVE', '{}') RETURNING id`, []);
  const keep: Record<string, string[]> = { sessions: [], otp_challenges: [], password_reset_tokens: [], outbox_messages: [], security_events: [] };
  const session = async (ended: Date | null, expires: Date, idle: Date) =>
    (
      await q<{ id: string }>(
        `INSERT INTO sessions (account_id, auth_methods, expires_at, idle_expires_at, ended_at, end_reason) VALUES ($1, '{PASSWORD}', $2, $3, $4, $5) RETURNING id`,
        [account, expires, idle, ended, ended ? 'signed_out' : null],
      )
    )[0].id;
  const challenge = async (expires: Date, status = 'OPEN') =>
    (
      await q<{ id: string }>(
        `INSERT INTO otp_challenges (id, purpose, channel, destination, destination_masked, account_id, code_hash, status, attempts_remaining, expires_at, resend_available_at)
         VALUES (substr(md5(random()::text), 1, 32), 'VERIFY_IDENTIFIER', 'EMAIL', 'a@example.com', 'a***@example.com', $1, repeat('a', 64), $3, 5, $2, $2) RETURNING id`,
        [account, expires, status],
      )
    )[0].id;
  const token = async (expires: Date) =>
    (
      await q<{ id: string }>(`INSERT INTO password_reset_tokens (account_id, token_hash, expires_at) VALUES ($1, md5(random()::text), $2) RETURNING id`, [
        account,
        expires,
      ])
    )[0].id;
  const outbox = async (status: string, created: Date) =>
    (
      await q<{ id: string }>(
        `INSERT INTO outbox_messages (account_id, channel, destination, template_key, locale, body_text, status, created_at) VALUES ($1, 'EMAIL', 'a@example.com', 'notice.x', 'en', 'hi', $2, $3) RETURNING id`,
        [account, status, created],
      )
    )[0].id;
  const event = async (at: Date) =>
    (await q<{ id: string }>(`INSERT INTO security_events (type, account_id, occurred_at) VALUES ('SIGNED_UP', $1, $2) RETURNING id`, [account, at]))[0].id;

  const future = new Date(Date.now() + DAY);
  for (let i = 0; i < old; i++) {
    await session(ago(25 * HOUR), future, future); // ended a day ago
    await session(null, ago(25 * HOUR), future); // expired (absolute) a day ago
    await session(null, future, ago(25 * HOUR)); // expired (idle) a day ago
    await challenge(ago(25 * HOUR));
    await token(ago(25 * HOUR));
    await outbox('SENT', ago(8 * DAY));
    await outbox('FAILED', ago(8 * DAY));
    await event(ago(366 * DAY));
  }
  keep.sessions.push(await session(ago(23 * HOUR), future, future), await session(null, future, future), await session(null, ago(HOUR), future));
  keep.otp_challenges.push(await challenge(ago(23 * HOUR)), await challenge(future));
  keep.password_reset_tokens.push(await token(ago(23 * HOUR)), await token(future));
  keep.outbox_messages.push(await outbox('SENT', ago(6 * DAY)), await outbox('PENDING', ago(8 * DAY)));
  keep.security_events.push(await event(ago(364 * DAY)), await event(ago(HOUR)));
  return { keep, account };
}

async function remaining(q: RowsQuery, account: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ['sessions', 'otp_challenges', 'password_reset_tokens', 'outbox_messages', 'security_events']) {
    out[table] = (await q<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 ORDER BY id`, [account])).map((r) => r.id).sort();
  }
  return out;
}

const policy = { endedGraceMs: DAY, outboxKeepMs: 7 * DAY, securityEventRetentionDays: 365, batchSize: 3 };
const purges: RetentionPurges = {
  codeHashesCleared: purgeExpiredCodeHashes,
  challenges: purgeEndedChallenges,
  resetTokens: purgeExpiredResetTokens,
  sessions: purgeEndedSessions,
  outbox: purgeDeliveredMessages,
  securityEvents: purgeOldEvents,
};

describe('retention rules (in-process, on a real database)', () => {
  it('deletes what is past retention, keeps the rest; two sweeps at once delete each row once', async () => {
    const OLD = 7;
    const { keep, account } = await seed(rows, OLD);
    const [a, b] = await Promise.all([new RetentionSweeper(rows, policy, purges).runOnce(), new RetentionSweeper(rows, policy, purges).runOnce()]);
    const total = (k: keyof typeof a) => a[k] + b[k];
    expect(total('sessions')).toBe(3 * OLD);
    expect(total('challenges')).toBe(OLD);
    expect(total('resetTokens')).toBe(OLD);
    expect(total('outbox')).toBe(2 * OLD);
    expect(total('securityEvents')).toBe(OLD);
    const left = await remaining(rows, account);
    for (const [table, ids] of Object.entries(keep)) expect({ table, ids: left[table] }).toEqual({ table, ids: [...ids].sort() });
    // A second run finds nothing more.
    expect(Object.values(await new RetentionSweeper(rows, policy, purges).runOnce()).every((n) => n === 0)).toBe(true);
  });

  it('a code’s hash goes when the challenge is consumed, superseded or dead (trigger) and when it expires (job)', async () => {
    const [{ id: account }] = await rows<{ id: string }>(`INSERT INTO accounts (status, roles) VALUES ('ACTIVE', '{}') RETURNING id`, []);
    const insert = async (expires: Date) =>
      (
        await rows<{ id: string }>(
          `INSERT INTO otp_challenges (id, purpose, channel, destination, destination_masked, account_id, code_hash, attempts_remaining, expires_at, resend_available_at)
           VALUES (substr(md5(random()::text), 1, 32), 'VERIFY_IDENTIFIER', 'EMAIL', 'a@example.com', 'a***@example.com', $1, repeat('b', 64), 5, $2, $2) RETURNING id`,
          [account, expires],
        )
      )[0].id;
    const future = new Date(Date.now() + HOUR);
    const ids = {
      consumed: await insert(future),
      superseded: await insert(future),
      dead: await insert(future),
      expired: await insert(ago(60_000)),
      open: await insert(future),
    };
    await rows(`UPDATE otp_challenges SET status = 'CONSUMED', consumed_at = clock_timestamp() WHERE id = $1`, [ids.consumed]);
    await rows(`UPDATE otp_challenges SET status = 'SUPERSEDED' WHERE id = $1`, [ids.superseded]);
    await rows(`UPDATE otp_challenges SET status = 'DEAD', attempts_remaining = 0 WHERE id = $1`, [ids.dead]);
    const hash = async (id: string) => (await rows<{ code_hash: string | null }>(`SELECT code_hash FROM otp_challenges WHERE id = $1`, [id]))[0].code_hash;
    expect([await hash(ids.consumed), await hash(ids.superseded), await hash(ids.dead)]).toEqual([null, null, null]);
    expect(await hash(ids.expired)).not.toBeNull();
    await new RetentionSweeper(rows, policy, purges).runOnce();
    expect(await hash(ids.expired)).toBeNull();
    expect(await hash(ids.open)).toBe('b'.repeat(64));
  });
});

describe('npm run job:maintenance', () => {
  const job = join(REPO_ROOT, 'dist/apps/api/src/jobs/maintenance.js');

  it('runs once on a fresh embedded database and exits 0 with its totals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gh-maint-'));
    try {
      const { stdout } = await run(process.execPath, [job], {
        env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
        timeout: 90_000,
      });
      expect(stdout).toMatch(/"job":"maintenance"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  (hasExternalDatabase() ? it : it.skip)('two instances at once on one PostgreSQL: each row deleted once', async () => {
    const database = await createTestDatabase();
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // The first run applies the migrations; then the rows.
      await run(process.execPath, [job], { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' }, timeout: 90_000 });
      const q: RowsQuery = async (sql, params) => (await client.query(sql, params)).rows;
      const { keep, account } = await seed(q, 40);
      const runs = await Promise.all(
        [0, 1].map(() =>
          run(process.execPath, [job], { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'info' }, timeout: 90_000 }),
        ),
      );
      const totals = runs.map((r) => JSON.parse(/\{"job":"maintenance".*\}/.exec(r.stdout)![0]) as Record<string, number>);
      expect(totals[0].sessions + totals[1].sessions).toBe(120);
      expect(totals[0].securityEvents + totals[1].securityEvents).toBe(40);
      const left = await remaining(q, account);
      for (const [table, ids] of Object.entries(keep)) expect(left[table]).toEqual([...ids].sort());
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
