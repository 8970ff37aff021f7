/*
 * The retention rules (contract: Retention), kept free of Nest so a test can run two sweeps at
 * once against one real database. Every rule deletes in small batches of rows it locks with
 * FOR UPDATE SKIP LOCKED, each batch its own short statement: two sweeps (two instances, or the
 * cron and `npm run job:maintenance`) never take the same row, never wait for each other, and
 * never hold a lock a sign-in needs for longer than one batch.
 *
 * The tables belong to other libraries, and so does their SQL: each owner exports one
 * `PurgeBatch` per kind of row (otp, auth, credentials, notifications, security-events). This is
 * the one place that knows how long each kind of row lives and runs them batch after batch.
 */
import type { PurgeBatch, RowsQuery } from '@app/database';

export type { RowsQuery };

export interface RetentionPolicy {
  /** Challenges, reset tokens and sessions go this long after they end (24 h). */
  endedGraceMs: number;
  /** Delivered (or given-up) outbox rows go this long after they were queued (7 days). */
  outboxKeepMs: number;
  /** SECURITY_EVENT_RETENTION_DAYS. */
  securityEventRetentionDays: number;
  batchSize: number;
}

type RuleName = 'codeHashesCleared' | 'challenges' | 'resetTokens' | 'sessions' | 'outbox' | 'securityEvents';

export type RetentionResult = Record<RuleName, number>;

/** The owners' batches, one per rule (the maintenance job passes the exported ones). */
export type RetentionPurges = Record<RuleName, PurgeBatch>;

export const DEFAULT_BATCH = 500;

const ended = (now: number, p: RetentionPolicy) => new Date(now - p.endedGraceMs);

/** How long each kind of row lives: the cut-off its owner's batch deletes before. In this order. */
const CUTOFFS: Array<[RuleName, (now: number, p: RetentionPolicy) => Date]> = [
  // A code dies when it expires too.
  ['codeHashesCleared', (now) => new Date(now)],
  ['challenges', ended],
  ['resetTokens', ended],
  ['sessions', ended],
  ['outbox', (now, p) => new Date(now - p.outboxKeepMs)],
  ['securityEvents', (now, p) => new Date(now - p.securityEventRetentionDays * 86_400_000)],
];

export class RetentionSweeper {
  constructor(
    private readonly rows: RowsQuery,
    private readonly policy: RetentionPolicy,
    private readonly purges: RetentionPurges,
  ) {}

  /** Every rule, batch after batch until a short one; returns how many rows each touched. */
  async runOnce(now = Date.now()): Promise<RetentionResult> {
    const result = Object.fromEntries(CUTOFFS.map(([name]) => [name, 0])) as RetentionResult;
    for (const [name, cutoffOf] of CUTOFFS) {
      const cutoff = cutoffOf(now, this.policy);
      for (;;) {
        const touched = await this.purges[name](this.rows, cutoff, this.policy.batchSize);
        result[name] += touched;
        if (touched < this.policy.batchSize) break;
      }
    }
    return result;
  }
}
