import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { ApiException, CursorCodec } from '@app/graphql';
import { AccountEntity } from '../entities/account.entity';
import { AccountsService } from '../accounts.service';
import { AccountConnectionModel, AccountFilter } from './admin-accounts.models';

interface Page {
  first: number;
  after?: string | null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Admin listing (contract: Administration): newest first, keyset cursors over
 * (created_at, id) with microsecond-exact keys, prefix search backed by the
 * text_pattern_ops index on identifiers.value.
 */
@Injectable()
export class AccountDirectoryService {
  private readonly cursors: CursorCodec;

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    config: AppConfig,
  ) {
    this.cursors = new CursorCodec(config.otpHashKey);
  }

  private where(filter: AccountFilter, params: unknown[]): string {
    const clauses: string[] = [];
    if (filter.search !== undefined && filter.search !== null) {
      const prefix = filter.search.normalize('NFKC').trim().toLowerCase();
      if (!prefix) throw ApiException.badInput('search', 'empty');
      params.push(`${escapeLike(prefix)}%`);
      clauses.push(`a.id IN (SELECT i.account_id FROM identifiers i WHERE i.value LIKE $${params.length})`);
    }
    if (filter.status) {
      params.push(filter.status);
      clauses.push(`a.status = $${params.length}`);
    }
    if (filter.role) {
      params.push(filter.role);
      clauses.push(`$${params.length} = ANY(a.roles)`);
    }
    if (filter.verified !== undefined && filter.verified !== null) {
      clauses.push(
        `${filter.verified ? '' : 'NOT '}EXISTS (SELECT 1 FROM identifiers v WHERE v.account_id = a.id AND v.verified_at IS NOT NULL AND v.type IN ('EMAIL', 'PHONE'))`,
      );
    }
    return clauses.length ? clauses.join(' AND ') : 'TRUE';
  }

  async list(filter: AccountFilter = {}, page: Page): Promise<AccountConnectionModel> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 100) throw ApiException.badInput('first', 'invalid');
    const params: unknown[] = [];
    let where = this.where(filter, params);
    if (page.after) {
      const [createdAt, id] = this.cursors.decode(page.after, 2);
      params.push(createdAt, id);
      where += ` AND (a.created_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(page.first + 1);
    const rows: Array<{ id: string; created_key: string }> = await this.dataSource.query(
      `SELECT a.id, a.created_at::text AS created_key FROM accounts a WHERE ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
    const pageRows = rows.slice(0, page.first);
    const entities = await this.accounts.findManyByIds(pageRows.map((r) => r.id));
    const edges = pageRows
      .map((r) => ({ row: r, entity: entities.get(r.id) }))
      .filter((x): x is { row: typeof x.row; entity: AccountEntity } => Boolean(x.entity))
      .map(({ row, entity }) => ({ cursor: this.cursors.encode([row.created_key, row.id]), node: this.accounts.toModel(entity) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
      filter,
    };
  }

  async count(filter: AccountFilter = {}): Promise<number> {
    const params: unknown[] = [];
    const [row]: Array<{ n: string | number }> = await this.dataSource.query(`SELECT count(*) AS n FROM accounts a WHERE ${this.where(filter, params)}`, params);
    return Number(row?.n ?? 0);
  }
}
