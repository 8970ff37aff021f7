import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Channel } from '@app/core';
import { queryRows, textArray } from '@app/database';

export type FirstMethod = 'PASSWORD' | 'CODE';

export interface TicketRow {
  accountId: string;
  firstMethod: FirstMethod;
  firstChannel: Channel | null;
  methods: string[];
  challengeId: string | null;
  attemptsRemaining: number;
}

interface TicketSql {
  account_id: string;
  first_method: FirstMethod;
  first_channel: Channel | null;
  methods: unknown;
  challenge_id: string | null;
  attempts_remaining: number;
}

const COLUMNS = `account_id, first_method, first_channel, methods, challenge_id, attempts_remaining`;
const LIVE = `used_at IS NULL AND attempts_remaining > 0 AND expires_at > clock_timestamp()`;

/** `sign_in_tickets` (migration 1732250700000): the second step's tickets, by SHA-256 of the ticket. */
@Injectable()
export class SignInTicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(row: Omit<TicketRow, 'challengeId'> & { id: Buffer; challengeId: string | null; expiresAt: Date }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO sign_in_tickets (id, account_id, first_method, first_channel, methods, challenge_id, attempts_remaining, expires_at)
       VALUES ($1, $2, $3, $4, $5::varchar[], $6, $7, $8)`,
      [row.id, row.accountId, row.firstMethod, row.firstChannel, row.methods, row.challengeId, row.attemptsRemaining, row.expiresAt],
    );
  }

  /** A live ticket (unused, attempts left, not expired), or null. */
  async findLive(id: Buffer): Promise<TicketRow | null> {
    const [row] = await queryRows<TicketSql>(this.dataSource, `SELECT ${COLUMNS} FROM sign_in_tickets WHERE id = $1 AND ${LIVE}`, [id]);
    return row ? toTicket(row) : null;
  }

  async setChallenge(id: Buffer, challengeId: string): Promise<void> {
    await this.dataSource.query(`UPDATE sign_in_tickets SET challenge_id = $2 WHERE id = $1`, [id, challengeId]);
  }

  /** A wrong code: one attempt less (atomically); the attempts left, 0 when the ticket died, null when it was not live. */
  async spendAttempt(id: Buffer): Promise<number | null> {
    const [row] = await queryRows<{ attempts_remaining: number }>(
      this.dataSource,
      `UPDATE sign_in_tickets SET attempts_remaining = attempts_remaining - 1 WHERE id = $1 AND ${LIVE} RETURNING attempts_remaining`,
      [id],
    );
    return row ? row.attempts_remaining : null;
  }

  /** Uses the ticket up inside the sign-in's transaction; false when another request already did. */
  async use(manager: EntityManager, id: Buffer): Promise<boolean> {
    const rows = await queryRows<{ account_id: string }>(
      manager,
      `UPDATE sign_in_tickets SET used_at = clock_timestamp() WHERE id = $1 AND ${LIVE} RETURNING account_id`,
      [id],
    );
    return rows.length === 1;
  }
}

function toTicket(r: TicketSql): TicketRow {
  return {
    accountId: r.account_id,
    firstMethod: r.first_method,
    firstChannel: r.first_channel,
    methods: textArray(r.methods),
    challengeId: r.challenge_id,
    attemptsRemaining: r.attempts_remaining,
  };
}
