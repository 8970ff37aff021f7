import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '@app/observability';
import { AccountErasureService, ErasureBusyError } from './account-erasure.service';

export interface DeletionJobResult {
  erased: number;
  /** Accounts a cancellation was touching at that moment: left for the next run. */
  deferred: number;
  failed: number;
}

const BATCH_SIZE = 100;
const BUSY_RETRY_MS = 250;
const BUSY_ROUNDS = 3;

/**
 * The deletion job, one service behind the three entry points (in-process cron,
 * `npm run job:deletions`, `processDueAccountDeletions`).
 *
 * Each due request is claimed with `FOR UPDATE SKIP LOCKED` in the transaction that erases its
 * account, and that transaction is the account's own: a crash (or kill) mid-batch rolls back
 * only the account in progress and releases its lock at once, so the next run finishes the
 * rest; concurrent runs (other processes, other instances) skip each other's rows, so each
 * account is erased exactly once. A lease column would have let a batch be claimed in one
 * statement, but a killed worker's lease would then hold its accounts until it expired.
 */
@Injectable()
export class AccountDeletionJob implements OnApplicationShutdown {
  private readonly logger = new Logger('AccountDeletionJob');
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly erasure: AccountErasureService,
    private readonly metrics: MetricsService,
  ) {}

  /** A shutdown stops a run between two accounts (each one is all-or-nothing on its own). */
  onApplicationShutdown(): void {
    this.stopping = true;
  }

  async runOnce(): Promise<DeletionJobResult> {
    const result: DeletionJobResult = { erased: 0, deferred: 0, failed: 0 };
    // Requests seen busy or failing in this run: not claimed again until the next run.
    const skip = new Set<string>();
    let busy: string[] = [];
    for (let round = 1; ; round++) {
      for (;;) {
        const batch = await this.runBatch(skip, result);
        busy.push(...batch.busy);
        if (batch.claimed < BATCH_SIZE || this.stopping) break;
      }
      if (busy.length === 0 || round === BUSY_ROUNDS || this.stopping) break;
      // A cancellation was in flight: give it a moment to finish, then look again.
      for (const id of busy) skip.delete(id);
      busy = [];
      await new Promise((done) => setTimeout(done, BUSY_RETRY_MS));
    }
    result.deferred = busy.length;
    // The in-process cron runs every minute on every instance: quiet when there was nothing to do.
    const line = `deletion job: ${result.erased} erased, ${result.deferred} deferred, ${result.failed} failed`;
    if (result.erased + result.deferred + result.failed > 0) this.logger.log(line);
    else this.logger.debug(line);
    return result;
  }

  /** Up to BATCH_SIZE claims, each in its own transaction. */
  private async runBatch(skip: Set<string>, result: DeletionJobResult): Promise<{ claimed: number; busy: string[] }> {
    const busy: string[] = [];
    let claimed = 0;
    while (claimed < BATCH_SIZE && !this.stopping) {
      const current: { requestId?: string } = {};
      try {
        const found = await this.dataSource.transaction(async (manager) => {
          const [due]: Array<{ id: string; account_id: string }> = await manager.query(
            `SELECT id, account_id FROM account_deletion_requests
              WHERE status = 'CONFIRMED' AND scheduled_for <= clock_timestamp() AND NOT (id = ANY($1::uuid[]))
              ORDER BY scheduled_for
              LIMIT 1
              FOR UPDATE SKIP LOCKED`,
            [[...skip]],
          );
          if (!due) return false;
          current.requestId = due.id;
          await this.erasure.erase(manager, due.id, due.account_id);
          return true;
        });
        if (!found) break;
        claimed += 1;
        result.erased += 1;
        this.accountErased();
      } catch (err) {
        if (!current.requestId) throw err;
        claimed += 1;
        skip.add(current.requestId);
        if (err instanceof ErasureBusyError) {
          busy.push(current.requestId);
          continue;
        }
        // One account's failure never stops the others; the next run tries it again.
        result.failed += 1;
        this.logger.error(`erasure of deletion request ${current.requestId} failed: ${(err as Error).message}`);
      }
    }
    return { claimed, busy };
  }

  /** `gatehouse_accounts_erased_total` (contract: Observability). */
  private accountErased(): void {
    this.metrics.accountsErased.inc();
  }
}
