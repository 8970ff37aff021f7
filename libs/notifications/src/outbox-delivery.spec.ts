import { QueryRunner } from 'typeorm';
import { EmbeddedDatabase, startEmbeddedDatabase } from '@app/testing';
import { MIGRATIONS } from '../../database/src/migrations';
import { LEASE_MS, OutboxDelivery, RowsQuery } from './outbox-delivery';
import type { ClaimedRow } from './outbox-messages.repository';
import { CommitPoint, EmailSender, OutgoingMessage, SmsSender } from './senders/message-sender';

/*
 * The row lifecycle on a real (embedded) database, with a stand-in provider: the sender is the
 * boundary here; the SMTP and webhook senders have their own specs against the test sinks.
 */

interface Row {
  status: string;
  attempts: number;
  body_html: string | null;
  body_text: string | null;
  sent_at: Date | null;
  lease_until: Date | null;
  next_attempt_at: Date;
  last_error: string | null;
}

/** A provider whose behaviour each test scripts; records what it accepted. */
class ScriptedSender extends EmailSender {
  accepted: OutgoingMessage[] = [];
  calls = 0;
  script: (m: OutgoingMessage, commit: CommitPoint) => Promise<void> = async (m, commit) => {
    await commit();
    this.accepted.push(m);
  };
  async send(m: OutgoingMessage, commit: CommitPoint): Promise<void> {
    this.calls += 1;
    await this.script(m, commit);
  }
}

class UnusedSms extends SmsSender {
  async send(): Promise<void> {
    throw new Error('no SMS in these tests');
  }
}

describe('OutboxDelivery (commit point, lease token, retry)', () => {
  let db: EmbeddedDatabase;
  let rows: RowsQuery;
  let sender: ScriptedSender;
  let warnings: string[];
  let delivery: OutboxDelivery;

  beforeAll(async () => {
    db = await startEmbeddedDatabase();
    // the schema is the migrations' (they only call query())
    const runner = { query: (sql: string, params?: unknown[]) => (params?.length ? db.query(sql, params) : db.exec(sql)) } as unknown as QueryRunner;
    for (const M of MIGRATIONS) await new M().up(runner);
    rows = (sql, params) => db.query(sql, params);
  }, 60_000);

  afterAll(async () => {
    await db?.stop();
  });

  beforeEach(async () => {
    await db.exec('DELETE FROM outbox_messages');
    sender = new ScriptedSender();
    warnings = [];
    delivery = new OutboxDelivery(rows, sender, new UnusedSms(), (m) => warnings.push(m));
  });

  async function queue(opts: { code?: boolean; attempts?: number; expiresAt?: Date } = {}): Promise<string> {
    const [r] = await rows<{ id: string }>(
      `INSERT INTO outbox_messages (challenge_id, channel, destination, template_key, locale, subject, body_html, body_text, attempts, expires_at)
       VALUES ($1, 'EMAIL', 'ana@example.com', $2, 'en', 'Your code', '<p>code 123456</p>', 'code 123456', $3, $4) RETURNING id`,
      [
        opts.code === false ? null : 'ch_1',
        opts.code === false ? 'notice.password_changed' : 'otp.verify_identifier',
        opts.attempts ?? 0,
        opts.expiresAt ?? null,
      ],
    );
    return r.id;
  }

  const read = async (id: string): Promise<Row> => (await rows<Row>(`SELECT * FROM outbox_messages WHERE id = $1`, [id]))[0];

  async function claimOne(now?: Date): Promise<ClaimedRow> {
    const claimed = await delivery.claim(now);
    expect(claimed).toHaveLength(1);
    return claimed[0];
  }

  it('marks a code SENT and wipes its text at the commit point, before the provider has it', async () => {
    const id = await queue();
    let atCommit: Row | undefined;
    sender.script = async (m, commit) => {
      expect((await read(id)).status).toBe('SENDING');
      await commit();
      atCommit = await read(id);
      sender.accepted.push(m);
    };
    const row = await claimOne();
    expect(row.attempts).toBe(1);
    await expect(delivery.deliver(row)).resolves.toBe(true);
    expect(atCommit).toMatchObject({ status: 'SENT', body_html: null, body_text: null, lease_until: null });
    expect(atCommit?.sent_at?.getTime()).toBeGreaterThan(0);
    expect(sender.accepted.map((m) => m.text)).toEqual(['code 123456']);
    expect(await read(id)).toMatchObject({ status: 'SENT', attempts: 1, body_text: null });
  });

  it('drops the text of a notice too once sent (contract: Retention: delivered rows lose their body at delivery)', async () => {
    const id = await queue({ code: false });
    await expect(delivery.deliver(await claimOne())).resolves.toBe(true);
    expect(await read(id)).toMatchObject({ status: 'SENT', body_text: null, body_html: null });
  });

  it('a failure before the commit: PENDING with back-off, text kept', async () => {
    const id = await queue();
    sender.script = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:25');
    };
    const before = Date.now();
    await expect(delivery.deliver(await claimOne())).resolves.toBe(false);
    const r = await read(id);
    expect(r).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      body_text: 'code 123456',
      lease_until: null,
      sent_at: null,
      last_error: 'connect ECONNREFUSED 127.0.0.1:25',
    });
    expect(r.next_attempt_at.getTime()).toBeGreaterThan(before + 500);
    expect(warnings.join('\n')).toMatch(/attempt 1 failed: connect ECONNREFUSED/);
  });

  it('a failure after the commit (refused after the end of data): back to PENDING with the text restored', async () => {
    const id = await queue();
    sender.script = async (_m, commit) => {
      await commit();
      throw new Error('Message failed: 451 try again later');
    };
    await expect(delivery.deliver(await claimOne())).resolves.toBe(false);
    expect(await read(id)).toMatchObject({
      status: 'PENDING',
      sent_at: null,
      body_text: 'code 123456',
      body_html: '<p>code 123456</p>',
      last_error: 'Message failed: 451 try again later',
    });
    expect(warnings.join('\n')).toMatch(/failed after its commit point/);

    // ... and the next attempt sends it, text and all
    await db.query(`UPDATE outbox_messages SET next_attempt_at = now() WHERE id = $1`, [id]);
    sender.script = async (m, commit) => {
      await commit();
      sender.accepted.push(m);
    };
    await expect(delivery.deliver(await claimOne())).resolves.toBe(true);
    expect(sender.accepted.map((m) => m.text)).toEqual(['code 123456']);
    expect(await read(id)).toMatchObject({ status: 'SENT', attempts: 2, body_text: null });
  });

  it('a lease taken over by another instance: the commit throws, nothing is delivered by the late one, the taker sends it once', async () => {
    const id = await queue();
    const late = await claimOne();
    // another instance claims it after the lease ran out
    const taker = new ScriptedSender();
    const other = new OutboxDelivery(rows, taker, new UnusedSms(), () => undefined);
    const [taken] = await other.claim(new Date(Date.now() + LEASE_MS + 1000));
    expect(taken.attempts).toBe(2);

    let commitError: unknown;
    sender.script = async (m, commit) => {
      try {
        await commit();
      } catch (err) {
        commitError = err;
        throw err; // the transfer is aborted: the provider never gets the end of data
      }
      sender.accepted.push(m);
    };
    await expect(delivery.deliver(late)).resolves.toBe(false);
    expect(String(commitError)).toMatch(/taken over by another instance/);
    expect(sender.accepted).toEqual([]);
    expect(await read(id)).toMatchObject({ status: 'SENDING', attempts: 2, body_text: 'code 123456' }); // untouched: the taker's

    await expect(other.deliver(taken)).resolves.toBe(true);
    expect(taker.accepted).toHaveLength(1);
    expect(await read(id)).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('commit points that arrive together are written in one statement; a row whose lease was lost is left out of it', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5, 6].map(() => queue()));
    const claimed = await delivery.claim();
    expect(claimed).toHaveLength(6);
    // One row's lease runs out and another instance takes it over (attempts + 1) before its commit point.
    const lost = claimed[5];
    await rows(`UPDATE outbox_messages SET attempts = attempts + 1 WHERE id = $1`, [lost.id]);
    const statements: unknown[][] = [];
    const counting: RowsQuery = async <T>(sql: string, params: unknown[]) => {
      if (sql.includes(`SET status = 'SENT'`)) statements.push(params[0] as unknown[]);
      return rows<T>(sql, params);
    };
    delivery = new OutboxDelivery(counting, sender, new UnusedSms(), (m) => warnings.push(m));
    const results = await Promise.all(claimed.map((r) => delivery.deliver(r)));
    expect(results).toEqual([true, true, true, true, true, false]);
    // The first commit point is written at once; the five that arrived while it ran go together.
    expect(statements.map((ids) => ids.length)).toEqual([1, 5]);
    expect(sender.accepted.map((m) => m.id).sort()).toEqual(
      claimed
        .slice(0, 5)
        .map((r) => r.id)
        .sort(),
    );
    expect(warnings.join('\n')).toMatch(/taken over by another instance/);
    for (const id of ids.filter((id) => id !== lost.id)) expect(await read(id)).toMatchObject({ status: 'SENT', body_text: null });
    expect(await read(lost.id)).toMatchObject({ status: 'SENDING', body_text: 'code 123456' });
  });

  it('a late failure cannot put back a row another instance took over', async () => {
    const id = await queue();
    const late = await claimOne();
    await new OutboxDelivery(rows, new ScriptedSender(), new UnusedSms(), () => undefined).claim(new Date(Date.now() + LEASE_MS + 1000));
    sender.script = async () => {
      throw new Error('socket timeout');
    };
    await expect(delivery.deliver(late)).resolves.toBe(false);
    expect(await read(id)).toMatchObject({ status: 'SENDING', attempts: 2, last_error: null });
  });

  it('a commit whose outcome is unknown (its answer lost): the transfer is aborted and the row comes back, text restored', async () => {
    const id = await queue();
    // The SENT update is applied, then the connection "drops" before its answer.
    const lossy: RowsQuery = async <T>(sql: string, params: unknown[]) => {
      const out = await rows<T>(sql, params);
      if (sql.includes(`SET status = 'SENT'`)) throw new Error('Connection terminated unexpectedly');
      return out;
    };
    delivery = new OutboxDelivery(lossy, sender, new UnusedSms(), (m) => warnings.push(m));
    sender.script = async (m, commit) => {
      await commit(); // throws: the sender aborts
      sender.accepted.push(m);
    };
    await expect(delivery.deliver(await claimOne())).resolves.toBe(false);
    expect(sender.accepted).toEqual([]);
    expect(await read(id)).toMatchObject({ status: 'PENDING', sent_at: null, body_text: 'code 123456' });
    expect(warnings.join('\n')).toMatch(/its commit failed/);
  });

  it('a code that expired before it could go out is DROPPED, never sent', async () => {
    const id = await queue({ expiresAt: new Date(Date.now() - 1000) });
    await expect(delivery.deliver(await claimOne())).resolves.toBe(false);
    expect(sender.calls).toBe(0);
    expect(await read(id)).toMatchObject({ status: 'DROPPED', body_text: null, body_html: null });
  });

  it('FAILED after the last attempt, also when refused after the commit every time', async () => {
    const id = await queue({ attempts: 14 });
    sender.script = async (_m, commit) => {
      await commit();
      throw new Error('Message failed: 554 rejected');
    };
    const row = await claimOne();
    expect(row.attempts).toBe(15);
    await expect(delivery.deliver(row)).resolves.toBe(false);
    expect(await read(id)).toMatchObject({ status: 'FAILED', body_text: 'code 123456', sent_at: null });
    expect(await delivery.claim()).toEqual([]);
  });

  it('a sender that never answers does not hold the pass: deliver gives up at its deadline, and the row comes back when its lease ends', async () => {
    const id = await queue();
    delivery = new OutboxDelivery(rows, sender, new UnusedSms(), (m) => warnings.push(m), undefined, undefined, 300);
    sender.script = () => new Promise<void>(() => undefined);
    const row = await claimOne();
    await expect(delivery.deliver(row)).resolves.toBe(false);
    expect(warnings.join('\n')).toMatch(/attempt 1: no answer after 300 ms/);
    expect(await read(id)).toMatchObject({ status: 'SENDING', attempts: 1 });
    const again = await claimOne(new Date(Date.now() + LEASE_MS + 1000));
    expect(again).toMatchObject({ id, attempts: 2 });
  });

  it('a sender that resolves without committing is still recorded as SENT', async () => {
    const id = await queue();
    sender.script = async () => undefined;
    await expect(delivery.deliver(await claimOne())).resolves.toBe(true);
    expect(await read(id)).toMatchObject({ status: 'SENT' });
  });
});
