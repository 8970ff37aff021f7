import type { EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/*
 * When to drain the outbox: right after the commit of a transaction that queued a message, so no
 * flow has to remember to ask, and no commit that queued nothing costs a claim. Kept free of Nest
 * (unit-tested with stand-in query runners); OutboxService marks, OutboxDispatcher subscribes.
 */

const QUEUED = 'gatehouseOutboxQueued';

/** What a transaction queued: rows leased to this instance, and whether any other row waits for a claim. */
export interface Queued<T> {
  leased: T[];
  others: boolean;
}

/**
 * After a message was written with `runner`: flag its transaction, or drain now outside one.
 * `leased`: rows written already leased to this instance (code messages), handed to the drain
 * after the commit so they go out without a claim; forgotten with a rollback, like the rows.
 * Without `leased`, the row waits for a claim.
 */
export function markQueued<T>(runner: QueryRunner | undefined, drainNow: (queued: Queued<T>) => void, leased: T[] = []): void {
  const others = leased.length === 0;
  if (runner?.isTransactionActive) {
    const data = runner.data as Record<string, unknown>;
    const queued = (data[QUEUED] ??= { leased: [], others: false }) as Queued<T>;
    queued.leased.push(...leased);
    queued.others ||= others;
  } else drainNow({ leased, others });
}

/** A TypeORM subscriber that drains after the outermost commit of a flagged transaction. */
export function drainOnCommit<T>(drain: (queued: Queued<T>) => void): EntitySubscriberInterface {
  const clear = (runner: QueryRunner): Queued<T> | null => {
    // A savepoint's release or rollback leaves the outer transaction open: not the end yet.
    if (runner.isTransactionActive) return null;
    const data = runner.data as Record<string, unknown>;
    const queued = (data[QUEUED] as Queued<T> | undefined) ?? null;
    delete data[QUEUED];
    return queued;
  };
  return {
    afterTransactionCommit(event: TransactionCommitEvent): void {
      const queued = clear(event.queryRunner);
      if (queued) drain(queued);
    },
    afterTransactionRollback(event: TransactionRollbackEvent): void {
      clear(event.queryRunner);
    },
  };
}
