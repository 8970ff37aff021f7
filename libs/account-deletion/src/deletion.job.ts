import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { MetricsService } from '@app/observability';
import { AccountErasureService } from './account-erasure.service';
import { DeletionRequestsRepository, DueRequest } from './deletion-requests.repository';

export interface DeletionJobResult {
  erased: number;
  /** Accounts a cancellation was touching at that moment: left for the next run. */
  deferred: number;
  failed: number;
}

/**
 * Accounts per transaction: FIRST_BATCH, doubling while there is more due, up to MAX_BATCH.
 * A batch costs two statements whatever its size (planning them is most of a small batch's
 * time), so a long run needs batches of ~100 to reach ≥ 1,000 accounts/s without using more
 * CPU than that (bench `deletion`); a short run (the cron minute, a few accounts) stays in
 * small, short transactions, so a cancellation waiting on one of its request rows waits little.
 * Either way a batch is all-or-nothing and a kill rolls back at most one batch.
 */
const FIRST_BATCH = 10;
const MAX_BATCH = 100;
// The job rests 2.5 × as long as each batch took: about 30 % of one core at most, so sign-ins beside
// it keep their latency (bench `deletion`: signIn p99 during the job vs alone) while a long run
// still erases well over 1,000 accounts/s.
const PAUSE_RATIO = 2.5;
const MIN_PAUSE_MS = 2;
const BUSY_RETRY_MS = 250;
const BUSY_ROUNDS = 3;

/**
 * The deletion job, one service behind the three entry points (in-process cron,
 * `npm run job:deletions`, `processDueAccountDeletions`).
 *
 * Due requests are claimed a batch at a time with `FOR UPDATE SKIP LOCKED` in the transaction
 * that erases their accounts (set-based SQL, one statement per table): a crash (or kill)
 * mid-batch rolls back that batch whole and releases its locks at once, so the next run finishes
 * the rest; concurrent runs (other processes, other instances) skip each other's rows, so each
 * account is erased exactly once. A lease column would have let a batch be claimed without
 * holding a transaction open, but a killed worker's lease would then hold its accounts until it
 * expired. One transaction at a time: the job never needs more than one connection.
 */
@Injectable()
export class AccountDeletionJob implements OnApplicationShutdown {
  private readonly logger = new Logger('AccountDeletionJob');
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly erasure: AccountErasureService,
    private readonly requests: DeletionRequestsRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** A shutdown stops a run between two batches (each one is all-or-nothing on its own). */
  onApplicationShutdown(): void {
    this.stopping = true;
  }

  async runOnce(): Promise<DeletionJobResult> {
    const result: DeletionJobResult = { erased: 0, deferred: 0, failed: 0 };
    // Requests seen busy or failing in this run: not claimed again until the next run.
    const skip = new Set<string>();
    let busy: string[] = [];
    for (let round = 1; ; round++) {
      for (let size = FIRST_BATCH; ; size = Math.min(MAX_BATCH, size * 2)) {
        const started = Date.now();
        const batch = await this.runBatch(size, skip, result);
        busy.push(...batch.busy);
        if (batch.claimed < size || this.stopping) break;
        await sleep(Math.max(MIN_PAUSE_MS, (Date.now() - started) * PAUSE_RATIO));
      }
      if (busy.length === 0 || round === BUSY_ROUNDS || this.stopping) break;
      // A cancellation was in flight: give it a moment to finish, then look again.
      for (const id of busy) skip.delete(id);
      busy = [];
      await sleep(BUSY_RETRY_MS);
    }
    result.deferred = busy.length;
    // The in-process cron runs every minute on every instance: quiet when there was nothing to do.
    const line = `deletion job: ${result.erased} erased, ${result.deferred} deferred, ${result.failed} failed`;
    if (result.erased + result.deferred + result.failed > 0) this.logger.log(line);
    else this.logger.debug(line);
    return result;
  }

  /**
   * Claims up to `size` due requests and erases their accounts in one transaction. When that
   * transaction fails, its accounts are retried one per transaction, so one account's failure
   * never stops the others (the next run tries it again).
   */
  private async runBatch(size: number, skip: Set<string>, result: DeletionJobResult): Promise<{ claimed: number; busy: string[] }> {
    const claimed: DueRequest[] = [];
    try {
      const { erased, busy } = await this.dataSource.transaction(async (manager) => {
        claimed.push(...(await this.requests.claimDue(manager, size, skip, null)));
        return this.erasure.eraseBatch(manager, claimed);
      });
      this.settle(erased.length, busy, skip, result);
      return { claimed: claimed.length, busy: busy.map((d) => d.id) };
    } catch (err) {
      if (claimed.length === 0) throw err;
      if (claimed.length === 1) {
        this.failed(claimed[0].id, err, skip, result);
        return { claimed: 1, busy: [] };
      }
    }
    const busy: string[] = [];
    for (const one of claimed) {
      try {
        const outcome = await this.dataSource.transaction(async (manager) =>
          this.erasure.eraseBatch(manager, await this.requests.claimDue(manager, 1, skip, one.id)),
        );
        this.settle(outcome.erased.length, outcome.busy, skip, result);
        busy.push(...outcome.busy.map((d) => d.id));
      } catch (err) {
        this.failed(one.id, err, skip, result);
      }
    }
    return { claimed: claimed.length, busy };
  }

  /** The oldest due requests (or the one request `only`, if it is still due and free). */
  private settle(erased: number, busy: DueRequest[], skip: Set<string>, result: DeletionJobResult): void {
    for (const d of busy) skip.add(d.id);
    result.erased += erased;
    // `gatehouse_accounts_erased_total` (contract: Observability).
    if (erased > 0) this.metrics.accountsErased.inc(erased);
  }

  private failed(requestId: string, err: unknown, skip: Set<string>, result: DeletionJobResult): void {
    skip.add(requestId);
    result.failed += 1;
    this.logger.error(`erasure of deletion request ${requestId} failed: ${(err as Error).message}`);
  }
}
