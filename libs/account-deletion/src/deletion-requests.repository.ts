import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '@app/database';
import { AccountDeletionRequestModel, DeletionRequestStatus } from './models/account-deletion-request.model';

export interface DeletionRequestRow {
  id: string;
  account_id: string;
  status: DeletionRequestStatus;
  reason: string | null;
  challenge_id: string | null;
  requested_at: Date | string;
  confirmed_at: Date | string | null;
  scheduled_for: Date | string | null;
  cancelled_at: Date | string | null;
  completed_at: Date | string | null;
}

/** A due request whose row the caller has locked. */
export interface DueRequest {
  id: string;
  account_id: string;
}

const COLUMNS = `id, account_id, status, reason, challenge_id, requested_at, confirmed_at, scheduled_for, cancelled_at, completed_at`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The SQL over `account_deletion_requests` (this library owns the table; raw SQL): the flows',
 * the admin list's and the deletion job's. Every write runs in the caller's transaction.
 */
@Injectable()
export class DeletionRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Opens a PENDING request, or refreshes the account's PENDING one (a repeated request
   * replaces the reason; its new challenge supersedes the old one). Null when the account
   * already has a CONFIRMED request.
   */
  async upsertPending(manager: EntityManager, accountId: string, reason: string | null): Promise<DeletionRequestRow | null> {
    const rows = await queryRows<DeletionRequestRow>(
      manager,
      `INSERT INTO account_deletion_requests (account_id, reason) VALUES ($1, $2)
       ON CONFLICT (account_id) WHERE status IN ('PENDING', 'CONFIRMED')
       DO UPDATE SET reason = EXCLUDED.reason, requested_at = clock_timestamp(), challenge_id = NULL
         WHERE account_deletion_requests.status = 'PENDING'
       RETURNING ${COLUMNS}`,
      [accountId, reason],
    );
    return rows[0] ?? null;
  }

  async setChallenge(manager: EntityManager, requestId: string, challengeId: string): Promise<void> {
    await manager.query(`UPDATE account_deletion_requests SET challenge_id = $2 WHERE id = $1`, [requestId, challengeId]);
  }

  /**
   * Locks the account's request in `status` (waiting for a job that holds it: a cancellation
   * racing the erasure sees the outcome, COMPLETED, and finds nothing).
   */
  async lockForAccount(manager: EntityManager, requestId: unknown, accountId: string, status: DeletionRequestStatus): Promise<DeletionRequestRow | null> {
    if (typeof requestId !== 'string' || !UUID.test(requestId)) return null;
    const [row]: DeletionRequestRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM account_deletion_requests WHERE id = $1 AND account_id = $2 AND status = $3 FOR UPDATE`,
      [requestId, accountId, status],
    );
    return row ?? null;
  }

  /** PENDING → CONFIRMED, erasure `graceSeconds` from now (database clock, like the job's). */
  async confirm(manager: EntityManager, requestId: string, graceSeconds: number): Promise<DeletionRequestRow> {
    const [row] = await queryRows<DeletionRequestRow>(
      manager,
      `UPDATE account_deletion_requests
          SET status = 'CONFIRMED', confirmed_at = clock_timestamp(),
              scheduled_for = clock_timestamp() + make_interval(secs => $2::double precision)
        WHERE id = $1 AND status = 'PENDING'
        RETURNING ${COLUMNS}`,
      [requestId, graceSeconds],
    );
    return row;
  }

  async cancel(manager: EntityManager, requestId: string): Promise<DeletionRequestRow> {
    const [row] = await queryRows<DeletionRequestRow>(
      manager,
      `UPDATE account_deletion_requests SET status = 'CANCELLED', cancelled_at = clock_timestamp()
        WHERE id = $1 AND status = 'CONFIRMED'
        RETURNING ${COLUMNS}`,
      [requestId],
    );
    return row;
  }

  /** The account's CONFIRMED request, if any. */
  async findConfirmedOf(manager: EntityManager, accountId: string): Promise<{ id: string } | undefined> {
    const [request]: Array<{ id: string }> = await manager.query(`SELECT id FROM account_deletion_requests WHERE account_id = $1 AND status = 'CONFIRMED'`, [
      accountId,
    ]);
    return request;
  }

  /**
   * The deletion job's claim: up to `size` CONFIRMED requests due now (database clock), locked FOR
   * UPDATE SKIP LOCKED (concurrent runs skip each other's rows), but those in `skip`, or only `only`.
   */
  claimDue(manager: EntityManager, size: number, skip: Set<string>, only: string | null): Promise<DueRequest[]> {
    return queryRows<DueRequest>(
      manager,
      `SELECT id, account_id FROM account_deletion_requests
        WHERE status = 'CONFIRMED' AND scheduled_for <= clock_timestamp() AND NOT (id = ANY($1::uuid[])) AND ($3::uuid IS NULL OR id = $3::uuid)
        ORDER BY scheduled_for
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [[...skip], size, only],
    );
  }

  /** The erasure's part here: the requests complete, and earlier (cancelled) requests' reasons go (free text is personal data). */
  async complete(manager: EntityManager, accountIds: string[], requestIds: string[]): Promise<void> {
    await manager.query(
      `WITH
         reasons AS (
           UPDATE account_deletion_requests SET reason = NULL
            WHERE account_id = ANY($1::uuid[]) AND reason IS NOT NULL AND id <> ALL($2::uuid[])),
         completed AS (
           UPDATE account_deletion_requests SET status = 'COMPLETED', completed_at = clock_timestamp(), reason = NULL, challenge_id = NULL
            WHERE id = ANY($2::uuid[]))
       SELECT 1`,
      [accountIds, requestIds],
    );
  }

  /** Admin listing, newest first, keyset over (requested_at, id) with microsecond-exact keys. */
  async page(status: DeletionRequestStatus | null, first: number, after: [string, string] | null): Promise<Array<{ row: DeletionRequestRow; key: string }>> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (status) {
      params.push(status);
      where.push(`status = $${params.length}`);
    }
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(requested_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(first);
    const rows: Array<DeletionRequestRow & { key: string }> = await this.dataSource.query(
      `SELECT ${COLUMNS}, requested_at::text AS key FROM account_deletion_requests
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY requested_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ row: r, key: r.key }));
  }

  /** The open (PENDING) or scheduled (CONFIRMED) request of each account (Account.deletionRequest). */
  async openForAccounts(accountIds: readonly string[]): Promise<Map<string, AccountDeletionRequestModel>> {
    const ids = accountIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const rows: DeletionRequestRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM account_deletion_requests WHERE account_id = ANY($1::uuid[]) AND status IN ('PENDING', 'CONFIRMED')`,
      [ids],
    );
    return new Map(rows.map((r) => [r.account_id, toModel(r)]));
  }
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

export function toModel(r: DeletionRequestRow): AccountDeletionRequestModel {
  return {
    id: r.id,
    accountId: r.account_id,
    status: r.status,
    reason: r.reason,
    requestedAt: new Date(r.requested_at),
    confirmedAt: date(r.confirmed_at),
    scheduledFor: date(r.scheduled_for),
    cancelledAt: date(r.cancelled_at),
    completedAt: date(r.completed_at),
  };
}
