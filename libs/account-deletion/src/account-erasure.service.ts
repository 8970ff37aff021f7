import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { eraseAccountsFor, lockAccountsForErasure } from '@app/accounts';
import { erasePasswordResetTokensFor } from '@app/auth';
import { eraseSessionsFor } from '@app/credentials';
import { eraseIdentifiersFor } from '@app/identifiers';
import { eraseMessagesFor } from '@app/notifications';
import { eraseChallenges, lockChallengesForErasure } from '@app/otp';
import { eraseSecondFactorsFor } from '@app/second-factor';
import { SecurityEventsService, SecurityEventType } from '@app/security-events';
import { DeletionRequestsRepository, DueRequest } from './deletion-requests.repository';

export interface BatchErasure {
  /** Requests whose accounts are erased (in the caller's transaction). */
  erased: DueRequest[];
  /** Requests whose accounts a person's flow holds right now: untouched, left for the next pass. */
  busy: DueRequest[];
}

/**
 * Erases accounts inside the caller's transaction (contract: Account deletion): each row stays
 * as a DELETED tombstone without personal data; everything else that names the person goes.
 * This service knows no table but its own: it asks each owner to erase its part
 * (`erase…For(accountIds, manager)`), in an order the foreign keys and the data flow allow
 * (identifiers hand over the contacts whose unsent messages go). An owner that gains a table
 * with personal data keyed by account erases it in its part (the tombstone e2e test reads every
 * column of every table to prove it).
 *
 * Set-based: one statement per owner for a whole batch, so the cost per account is the rows it
 * touches, not a dozen round trips per account.
 */
@Injectable()
export class AccountErasureService {
  constructor(
    private readonly events: SecurityEventsService,
    private readonly requests: DeletionRequestsRepository,
  ) {}

  /**
   * The request rows are already locked by the caller. Rows user flows may hold (the account,
   * its challenges) are taken SKIP LOCKED: the job never waits for a person, so a cancellation
   * in flight can never deadlock with it; an account with any such row held elsewhere is left
   * whole for the next pass (`busy`), and the rest of the batch goes on.
   */
  async eraseBatch(manager: EntityManager, due: DueRequest[]): Promise<BatchErasure> {
    if (due.length === 0) return { erased: [], busy: [] };
    const accounts = await lockAccountsForErasure(
      due.map((d) => d.account_id),
      manager,
    );
    // After the accounts are locked, so the list of their challenges stays complete until commit.
    const challenges = await lockChallengesForErasure(
      accounts.map((a) => a.id),
      manager,
    );
    // A challenge we could not lock: a person's flow holds it, the account waits for the next pass.
    const held = new Set(challenges.filter((c) => !c.got).map((c) => c.account_id));
    const free = new Set(accounts.filter((a) => !held.has(a.id)).map((a) => a.id));
    const erased = due.filter((d) => free.has(d.account_id));
    const busy = due.filter((d) => !free.has(d.account_id));
    if (erased.length === 0) return { erased, busy };
    const ids = erased.map((d) => d.account_id);
    await this.requests.complete(
      manager,
      ids,
      erased.map((d) => d.id),
    );
    await eraseChallenges(
      challenges.filter((c) => free.has(c.account_id)).map((c) => c.id),
      manager,
    );
    // Identifiers before messages: their emails and phones name the unsent messages that go too.
    const contacts = await eraseIdentifiersFor(ids, manager);
    await eraseMessagesFor(ids, contacts, manager);
    await erasePasswordResetTokensFor(ids, manager);
    await eraseSessionsFor(ids, manager);
    await eraseSecondFactorsFor(ids, manager);
    await eraseAccountsFor(ids, manager);
    // Events stay with their types and times; what they say about the person goes. Then the
    // erasure's own event (and, through it, the account.deleted webhook).
    await this.events.anonymizeFor(manager, ids);
    await this.events.recordMany(
      manager,
      ids.map((accountId) => ({ type: SecurityEventType.ACCOUNT_ERASED, accountId, withClient: false })),
    );
    return { erased, busy };
  }
}
