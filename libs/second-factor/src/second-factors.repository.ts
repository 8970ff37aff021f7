import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Channel } from '@app/core';
import { queryRows } from '@app/database';
import type { Sealed } from './secret-cipher';

export type FactorMethod = 'TOTP' | Channel;

export interface SecondFactorRow {
  accountId: string;
  method: FactorMethod;
  sealed: Sealed | null;
  lastTotpStep: number | null;
  enabledAt: Date;
}

export interface EnrollmentRow {
  id: string;
  accountId: string;
  sealed: Sealed;
  attemptsRemaining: number;
  expiresAt: Date;
}

interface FactorSql {
  account_id: string;
  method: FactorMethod;
  totp_secret_ciphertext: Buffer | null;
  totp_key_id: string | null;
  last_totp_step: string | number | null;
  enabled_at: Date | string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `second_factors` and `totp_enrollments` (migration 1732250700000). */
@Injectable()
export class SecondFactorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(accountId: string, manager?: EntityManager, lock = false): Promise<SecondFactorRow | null> {
    const [row] = await queryRows<FactorSql>(
      manager ?? this.dataSource,
      `SELECT account_id, method, totp_secret_ciphertext, totp_key_id, last_totp_step, enabled_at
         FROM second_factors WHERE account_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [accountId],
    );
    return row ? toFactor(row) : null;
  }

  /** Whether each account has a factor, and which (for `Account.secondFactor`, batched). */
  async methodsOf(accountIds: readonly string[]): Promise<Map<string, { method: FactorMethod; remaining: number }>> {
    const rows = await queryRows<{ account_id: string; method: FactorMethod; remaining: string | number }>(
      this.dataSource,
      `SELECT f.account_id, f.method,
              (SELECT count(*) FROM recovery_codes r WHERE r.account_id = f.account_id AND r.used_at IS NULL) AS remaining
         FROM second_factors f WHERE f.account_id = ANY($1::uuid[])`,
      [accountIds.filter((id) => UUID.test(id))],
    );
    return new Map(rows.map((r) => [r.account_id, { method: r.method, remaining: Number(r.remaining) }]));
  }

  /** Turns a factor on; false when the account already has one (concurrent enrollments: one wins). */
  async insert(manager: EntityManager, accountId: string, method: FactorMethod, sealed: Sealed | null, lastTotpStep: number | null): Promise<boolean> {
    const rows = await queryRows<{ account_id: string }>(
      manager,
      `INSERT INTO second_factors (account_id, method, totp_secret_ciphertext, totp_key_id, last_totp_step)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO NOTHING RETURNING account_id`,
      [accountId, method, sealed?.ciphertext ?? null, sealed?.keyId ?? null, lastTotpStep],
    );
    return rows.length === 1;
  }

  /**
   * Records an accepted TOTP time step; false when this step (or a later one) was already
   * accepted, so of two concurrent uses of one code exactly one passes (contract: a TOTP code
   * is accepted once).
   */
  async acceptStep(manager: EntityManager, accountId: string, step: number): Promise<boolean> {
    const rows = await queryRows<{ account_id: string }>(
      manager,
      `UPDATE second_factors SET last_totp_step = $2
        WHERE account_id = $1 AND method = 'TOTP' AND (last_totp_step IS NULL OR last_totp_step < $2) RETURNING account_id`,
      [accountId, step],
    );
    return rows.length === 1;
  }

  async remove(manager: EntityManager, accountId: string): Promise<boolean> {
    const rows = await queryRows<{ account_id: string }>(manager, `DELETE FROM second_factors WHERE account_id = $1 RETURNING account_id`, [accountId]);
    await manager.query(`DELETE FROM totp_enrollments WHERE account_id = $1`, [accountId]);
    return rows.length === 1;
  }

  async createEnrollment(accountId: string, sealed: Sealed, attempts: number, expiresAt: Date): Promise<string> {
    const [row] = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO totp_enrollments (account_id, secret_ciphertext, key_id, attempts_remaining, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [accountId, sealed.ciphertext, sealed.keyId, attempts, expiresAt],
    );
    return row.id;
  }

  /** The account's own open enrollment, locked; null for another account's, a confirmed, dead or expired one. */
  async lockOpenEnrollment(manager: EntityManager, accountId: string, id: string): Promise<EnrollmentRow | null> {
    if (!UUID.test(id)) return null;
    const [row] = await queryRows<{
      id: string;
      account_id: string;
      secret_ciphertext: Buffer;
      key_id: string;
      attempts_remaining: number;
      expires_at: Date | string;
    }>(
      manager,
      `SELECT id, account_id, secret_ciphertext, key_id, attempts_remaining, expires_at FROM totp_enrollments
        WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL AND attempts_remaining > 0 AND expires_at > clock_timestamp()
        FOR UPDATE`,
      [id, accountId],
    );
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.account_id,
      sealed: { ciphertext: toBuffer(row.secret_ciphertext), keyId: row.key_id },
      attemptsRemaining: row.attempts_remaining,
      expiresAt: new Date(row.expires_at),
    };
  }

  async spendEnrollmentAttempt(id: string): Promise<number> {
    const [row] = await queryRows<{ attempts_remaining: number }>(
      this.dataSource,
      `UPDATE totp_enrollments SET attempts_remaining = attempts_remaining - 1 WHERE id = $1 AND attempts_remaining > 0 RETURNING attempts_remaining`,
      [id],
    );
    return row?.attempts_remaining ?? 0;
  }

  async confirmEnrollment(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE totp_enrollments SET confirmed_at = clock_timestamp() WHERE id = $1`, [id]);
  }
}

function toFactor(r: FactorSql): SecondFactorRow {
  return {
    accountId: r.account_id,
    method: r.method,
    sealed: r.totp_secret_ciphertext && r.totp_key_id ? { ciphertext: toBuffer(r.totp_secret_ciphertext), keyId: r.totp_key_id } : null,
    lastTotpStep: r.last_totp_step === null ? null : Number(r.last_totp_step),
    enabledAt: new Date(r.enabled_at),
  };
}

/** bytea: pg hands back a Buffer, PGlite a Uint8Array. */
export function toBuffer(v: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v);
}

/**
 * The erasure's part of this library, in the deletion job's transaction: the sealed TOTP secret,
 * pending enrollments, recovery codes and sign-in tickets of the accounts, in one statement for
 * the batch (the four tables are this library's; recovery codes and tickets have their own
 * repositories for the flows, the erasure is one round trip here). A plain function over the
 * job's manager: the standalone job needs none of this library's providers.
 */
export async function eraseSecondFactorsFor(accountIds: string[], manager: EntityManager): Promise<void> {
  if (accountIds.length === 0) return;
  await manager.query(
    `WITH factors AS (DELETE FROM second_factors WHERE account_id = ANY($1::uuid[])),
          enrollments AS (DELETE FROM totp_enrollments WHERE account_id = ANY($1::uuid[])),
          recovery AS (DELETE FROM recovery_codes WHERE account_id = ANY($1::uuid[])),
          tickets AS (DELETE FROM sign_in_tickets WHERE account_id = ANY($1::uuid[]))
     SELECT 1`,
    [accountIds],
  );
}
