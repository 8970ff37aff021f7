/*
 * The retention rules (contract: Retention), kept free of Nest so a test can run two sweeps at
 * once against one real database. Every rule deletes in small batches of rows it locks with
 * FOR UPDATE SKIP LOCKED, each batch its own short statement: two sweeps (two instances, or the
 * cron and `npm run job:maintenance`) never take the same row, never wait for each other, and
 * never hold a lock a sign-in needs for longer than one batch.
 *
 * The tables belong to other libraries; this is the one place that knows how long each kind of
 * row lives, as the deletion job is the one place that knows what an erasure removes.
 */

/** Runs one statement and returns its rows (RETURNING rows for a DELETE / UPDATE). */
export type RowsQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface RetentionPolicy {
  /** Challenges, reset tokens and sessions go this long after they end (24 h). */
  endedGraceMs: number;
  /** Delivered (or given-up) outbox rows go this long after they were queued (7 days). */
  outboxKeepMs: number;
  /** SECURITY_EVENT_RETENTION_DAYS. */
  securityEventRetentionDays: number;
  batchSize: number;
}

export type RetentionResult = Record<'codeHashesCleared' | 'challenges' | 'resetTokens' | 'sessions' | 'outbox' | 'securityEvents', number>;

export const DEFAULT_BATCH = 500;

interface Rule {
  name: keyof RetentionResult;
  /** One batch: `$1` the cut-off, `$2` the batch size; returns one row per row it touched. */
  sql: string;
  cutoff: (now: number, p: RetentionPolicy) => Date;
}

const ended = (now: number, p: RetentionPolicy) => new Date(now - p.endedGraceMs);

const RULES: Rule[] = [
  {
    // A code dies when it expires too (the other ends clear it by trigger, see migration WebhooksAndRetention).
    name: 'codeHashesCleared',
    sql: `UPDATE otp_challenges SET code_hash = NULL WHERE id IN (
            SELECT id FROM otp_challenges WHERE status = 'OPEN' AND expires_at < $1 AND code_hash IS NOT NULL LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: (now) => new Date(now),
  },
  {
    // A challenge ends at the latest when it expires (consumed / superseded / dead ones earlier).
    name: 'challenges',
    sql: `DELETE FROM otp_challenges WHERE id IN (
            SELECT id FROM otp_challenges WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: ended,
  },
  {
    name: 'resetTokens',
    sql: `DELETE FROM password_reset_tokens WHERE id IN (
            SELECT id FROM password_reset_tokens WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: ended,
  },
  {
    // Ended (sign-out, revocation…) or expired, absolutely or idle; refresh tokens go with them (cascade).
    name: 'sessions',
    sql: `DELETE FROM sessions WHERE id IN (
            SELECT id FROM sessions WHERE ended_at < $1 OR (ended_at IS NULL AND (expires_at < $1 OR idle_expires_at < $1))
             LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: ended,
  },
  {
    name: 'outbox',
    sql: `DELETE FROM outbox_messages WHERE id IN (
            SELECT id FROM outbox_messages WHERE status IN ('SENT', 'FAILED', 'DROPPED') AND created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: (now, p) => new Date(now - p.outboxKeepMs),
  },
  {
    name: 'securityEvents',
    sql: `DELETE FROM security_events WHERE id IN (
            SELECT id FROM security_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
    cutoff: (now, p) => new Date(now - p.securityEventRetentionDays * 86_400_000),
  },
];

export class RetentionSweeper {
  constructor(
    private readonly rows: RowsQuery,
    private readonly policy: RetentionPolicy,
  ) {}

  /** Every rule, batch after batch until a short one; returns how many rows each touched. */
  async runOnce(now = Date.now()): Promise<RetentionResult> {
    const result = Object.fromEntries(RULES.map((r) => [r.name, 0])) as RetentionResult;
    for (const rule of RULES) {
      const cutoff = rule.cutoff(now, this.policy);
      for (;;) {
        const touched = await this.rows<{ id: string }>(rule.sql, [cutoff, this.policy.batchSize]);
        result[rule.name] += touched.length;
        if (touched.length < this.policy.batchSize) break;
      }
    }
    return result;
  }
}
