import type { EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/*
 * When to drain the outbox: right after the commit of a transaction that queued a message, so no
 * flow has to remember to ask, and no commit that queued nothing costs a claim. Kept free of Nest
 * (unit-tested with stand-in query runners); OutboxService marks, OutboxDispatcher subscribes.
 */

const QUEUED = 'gatehouseOutboxQueued';

/** After a message was written with `runner`: flag its transaction, or drain now outside one. */
export function markQueued(runner: QueryRunner | undefined, drainNow: () => void): void {
  if (runner?.isTransactionActive) (runner.data as Record<string, unknown>)[QUEUED] = true;
  else drainNow();
}

/** A TypeORM subscriber that drains after the outermost commit of a flagged transaction. */
export function drainOnCommit(drain: () => void): EntitySubscriberInterface {
  const clear = (runner: QueryRunner): boolean => {
    // A savepoint's release or rollback leaves the outer transaction open: not the end yet.
    if (runner.isTransactionActive) return false;
    const data = runner.data as Record<string, unknown>;
    const queued = data[QUEUED] === true;
    delete data[QUEUED];
    return queued;
  };
  return {
    afterTransactionCommit(event: TransactionCommitEvent): void {
      if (clear(event.queryRunner)) drain();
    },
    afterTransactionRollback(event: TransactionRollbackEvent): void {
      clear(event.queryRunner);
    },
  };
}
