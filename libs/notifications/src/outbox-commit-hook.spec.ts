import type { QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { drainOnCommit, markQueued } from './outbox-commit-hook';

// A stand-in for TypeORM's query runner: what the hook reads (transaction state and `data`).
const runner = (active: boolean) => ({ isTransactionActive: active, data: {} }) as unknown as QueryRunner & { isTransactionActive: boolean };
const commit = (r: QueryRunner) => ({ queryRunner: r }) as TransactionCommitEvent;
const rollback = (r: QueryRunner) => ({ queryRunner: r }) as TransactionRollbackEvent;

describe('outbox commit hook', () => {
  it('drains once after the commit of a transaction that queued', () => {
    const drain = jest.fn();
    const hook = drainOnCommit(drain);
    const r = runner(true);
    markQueued(r, () => {
      throw new Error('not outside a transaction');
    });
    markQueued(r, () => undefined);
    expect(drain).not.toHaveBeenCalled();
    r.isTransactionActive = false; // COMMIT ran
    void hook.afterTransactionCommit!(commit(r));
    expect(drain).toHaveBeenCalledTimes(1);
    void hook.afterTransactionCommit!(commit(r)); // the flag went with it
    expect(drain).toHaveBeenCalledTimes(1);
  });

  it('does not drain after a commit that queued nothing', () => {
    const drain = jest.fn();
    void drainOnCommit(drain).afterTransactionCommit!(commit(runner(false)));
    expect(drain).not.toHaveBeenCalled();
  });

  it('waits for the outer commit when a savepoint is released', () => {
    const drain = jest.fn();
    const hook = drainOnCommit(drain);
    const r = runner(true);
    markQueued(r, () => undefined);
    void hook.afterTransactionCommit!(commit(r)); // RELEASE SAVEPOINT: still inside the transaction
    expect(drain).not.toHaveBeenCalled();
    r.isTransactionActive = false;
    void hook.afterTransactionCommit!(commit(r));
    expect(drain).toHaveBeenCalledTimes(1);
  });

  it('forgets what a rolled-back transaction queued', () => {
    const drain = jest.fn();
    const hook = drainOnCommit(drain);
    const r = runner(true);
    markQueued(r, () => undefined);
    r.isTransactionActive = false;
    void hook.afterTransactionRollback!(rollback(r));
    void hook.afterTransactionCommit!(commit(r));
    expect(drain).not.toHaveBeenCalled();
  });

  it('drains at once when the message was written outside a transaction', () => {
    const drain = jest.fn();
    markQueued(runner(false), drain);
    markQueued(undefined, drain);
    expect(drain).toHaveBeenCalledTimes(2);
  });

  it('hands the rows leased in a transaction to the drain after its commit, and forgets them with a rollback', () => {
    const drain = jest.fn();
    const hook = drainOnCommit<string>(drain);
    const r = runner(true);
    markQueued(r, () => undefined, ['a']);
    markQueued(r, () => undefined, ['b']);
    r.isTransactionActive = false;
    void hook.afterTransactionCommit!(commit(r));
    expect(drain).toHaveBeenCalledWith({ leased: ['a', 'b'], others: false });

    const rolledBack = runner(true);
    markQueued(rolledBack, () => undefined, ['c']);
    markQueued(rolledBack, () => undefined); // and a row that waits for a claim
    rolledBack.isTransactionActive = false;
    void hook.afterTransactionRollback!(rollback(rolledBack));
    void hook.afterTransactionCommit!(commit(rolledBack));
    expect(drain).toHaveBeenCalledTimes(1);
  });

  it('asks for a claim only when a row without a lease was queued', () => {
    const drain = jest.fn();
    const hook = drainOnCommit<string>(drain);
    const r = runner(true);
    markQueued(r, () => undefined, ['a']);
    markQueued(r, () => undefined);
    r.isTransactionActive = false;
    void hook.afterTransactionCommit!(commit(r));
    expect(drain).toHaveBeenCalledWith({ leased: ['a'], others: true });
    const outside = jest.fn();
    markQueued(undefined, outside, ['x']);
    expect(outside).toHaveBeenCalledWith({ leased: ['x'], others: false });
  });
});
