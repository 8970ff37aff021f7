import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiException } from '@app/core';
import { AppConfig } from '@app/config';
import { CursorCodec } from '@app/graphql';
import { AccountRow, ACCOUNT_COLUMNS, accountFromRow } from '../account-row';
import { AccountsService } from '../accounts.service';
import { AccountConnectionModel, AccountFilter } from './admin-accounts.models';

interface Page {
  first: number;
  after?: string | null;
}

interface PageRow extends AccountRow {
  created_key: string;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Admin listing (contract: Administration): newest first, keyset cursors over
 * (created_at, id) with microsecond-exact keys; prefix search answered from the identifiers'
 * covering indexes (migration IdentifierSearch).
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

  /** The search prefix as a LIKE pattern, or undefined when the filter has none. */
  private searchPattern(filter: AccountFilter): string | undefined {
    if (filter.search === undefined || filter.search === null) return undefined;
    const prefix = filter.search.normalize('NFKC').trim().toLowerCase();
    if (!prefix) throw ApiException.badInput('search', 'empty');
    return `${escapeLike(prefix)}%`;
  }

  /** The account filters other than search, over `a` (accounts). */
  private accountClauses(filter: AccountFilter, params: unknown[]): string[] {
    const clauses: string[] = [];
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
        `${filter.verified ? '' : 'NOT '}EXISTS (SELECT 1 FROM account_identifiers v WHERE v.account_id = a.id AND v.verified_at IS NOT NULL AND v.type IN ('EMAIL', 'PHONE'))`,
      );
    }
    return clauses;
  }

  /**
   * The accounts a filter selects, as `id` and `created_at` (the keyset): the accounts table,
   * or, with a search, the identifiers matching the prefix with their account's creation time
   * (identifiers.account_created_at, see migration IdentifierSearch; read through the view
   * account_identifiers, which inlines to the same index scans), joined to accounts only
   * when another filter needs it. An account matching through several identifiers is one row.
   */
  private source(filter: AccountFilter, params: unknown[]): { from: string; where: string[]; id: string; createdAt: string; distinct: boolean } {
    const pattern = this.searchPattern(filter);
    const clauses = this.accountClauses(filter, params);
    if (pattern === undefined) return { from: 'accounts a', where: clauses, id: 'a.id', createdAt: 'a.created_at', distinct: false };
    params.push(pattern);
    const like = `i.value LIKE $${params.length}`;
    const from = clauses.length ? 'account_identifiers i JOIN accounts a ON a.id = i.account_id' : 'account_identifiers i';
    return { from, where: [like, ...clauses], id: 'i.account_id', createdAt: 'i.account_created_at', distinct: true };
  }

  async list(filter: AccountFilter = {}, page: Page): Promise<AccountConnectionModel> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 100) throw ApiException.badInput('first', 'invalid');
    const params: unknown[] = [];
    const src = this.source(filter, params);
    const where = [...src.where];
    if (page.after) {
      const [createdAt, id] = this.cursors.decode(page.after, 2);
      params.push(createdAt, id);
      where.push(`(${src.createdAt}, ${src.id}) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(page.first + 1);
    // DISTINCT over exactly the sort keys, so the planner can read them in index order and stop;
    // the page's account rows come with it (one round trip, no entity hydration).
    const rows: PageRow[] = await this.dataSource.query(
      `SELECT k.created_at::text AS created_key, ${ACCOUNT_COLUMNS.map((c) => `a.${c}`).join(', ')}
         FROM (SELECT ${src.distinct ? 'DISTINCT ' : ''}${src.createdAt} AS created_at, ${src.id} AS id FROM ${src.from}
                WHERE ${where.length ? where.join(' AND ') : 'TRUE'}
                ORDER BY ${src.createdAt} DESC, ${src.id} DESC LIMIT $${params.length}) k
         JOIN accounts a ON a.id = k.id
        ORDER BY k.created_at DESC, k.id DESC`,
      params,
    );
    const edges = rows.slice(0, page.first).map((r) => ({
      cursor: this.cursors.encode([r.created_key, r.id]),
      node: this.accounts.toModel(accountFromRow(r)),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null },
      filter,
    };
  }

  async count(filter: AccountFilter = {}): Promise<number> {
    const params: unknown[] = [];
    const src = this.source(filter, params);
    const [row]: Array<{ n: string | number }> = await this.dataSource.query(
      `SELECT count(${src.distinct ? `DISTINCT ${src.id}` : '*'}) AS n FROM ${src.from} WHERE ${src.where.length ? src.where.join(' AND ') : 'TRUE'}`,
      params,
    );
    return Number(row?.n ?? 0);
  }
}
