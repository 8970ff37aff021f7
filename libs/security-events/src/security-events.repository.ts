import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ComposedStatement, prepared, queryRows } from '@app/database';

export interface SecurityEventRow {
  id: string;
  type: string;
  account_id: string | null;
  actor_id: string | null;
  session_id: string | null;
  occurred_at: Date | string;
  /** occurred_at as text, microsecond-exact: the keyset cursor's key. */
  occurred_key: string;
  ip: string | null;
  user_agent: string | null;
  detail: string | null;
}

export interface NewSecurityEvent {
  type: string;
  accountId: string | null;
  actorId: string | null;
  sessionId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

export interface EventQuery {
  accountId?: string | null;
  type?: string | null;
  since?: Date | null;
  until?: Date | null;
  /** The keyset: strictly older than (occurred_at, id). */
  before?: [string, string] | null;
  limit: number;
}

const COLUMNS = `id, type, account_id, actor_id, session_id, occurred_at, occurred_at::text AS occurred_key, ip, user_agent, detail`;

/** SQL over `security_events` (migration SecurityEvents). */
@Injectable()
export class SecurityEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One or many events in one statement (a detached batch of sign-in failures is one round trip). */
  async insert(db: DataSource | EntityManager, events: NewSecurityEvent[]): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const values = events.map((e) => {
      params.push(e.type, e.accountId, e.actorId, e.sessionId, e.ip, e.userAgent, e.detail);
      const n = params.length;
      return `($${n - 6}, $${n - 5}::uuid, $${n - 4}::uuid, $${n - 3}::uuid, $${n - 2}, $${n - 1}, $${n})`;
    });
    const sql = `INSERT INTO security_events (type, account_id, actor_id, session_id, ip, user_agent, detail) VALUES ${values.join(', ')}`;
    // One event, the usual case (every sign-in), is one fixed text: prepared. A batch's text varies with its size.
    await db.query(events.length === 1 ? prepared(sql) : sql, params);
  }

  /**
   * The CTE `name` of a composed statement: one event of `type` per row of `from`, its account
   * being that row's `account_id` and its detail the row's `detailColumn`. Returns the name.
   */
  insertPart(s: ComposedStatement, name: string, from: string, e: Omit<NewSecurityEvent, 'accountId' | 'detail'>, detailColumn: string): string {
    return s.with(
      name,
      `INSERT INTO security_events (type, account_id, actor_id, session_id, ip, user_agent, detail)
       SELECT ${s.p(e.type)}, f.account_id, ${s.p(e.actorId)}::uuid, ${s.p(e.sessionId)}::uuid, ${s.p(e.ip)}, ${s.p(e.userAgent)}, left(f.${detailColumn}::text, 200)
         FROM ${from} f
       RETURNING id`,
    );
  }

  /** Newest first; one index range scan (account or global index) that stops after `limit` rows. */
  page(q: EventQuery): Promise<SecurityEventRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (q.accountId) add((n) => `account_id = $${n}::uuid`, q.accountId);
    if (q.type) add((n) => `type = $${n}`, q.type);
    if (q.since) add((n) => `occurred_at >= $${n}`, q.since);
    if (q.until) add((n) => `occurred_at < $${n}`, q.until);
    if (q.before) {
      params.push(q.before[0], q.before[1]);
      where.push(`(occurred_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit);
    return queryRows<SecurityEventRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM security_events WHERE ${where.length ? where.join(' AND ') : 'TRUE'}
        ORDER BY occurred_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Erasure: types and times stay, what identifies the person goes (in the job's transaction). */
  async anonymize(manager: EntityManager, accountIds: string[]): Promise<void> {
    await manager.query(
      `UPDATE security_events SET ip = NULL, user_agent = NULL, detail = NULL
        WHERE account_id = ANY($1::uuid[]) AND (ip IS NOT NULL OR user_agent IS NOT NULL OR detail IS NOT NULL)`,
      [accountIds],
    );
  }
}
