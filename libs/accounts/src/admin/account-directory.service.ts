import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiException } from '@app/core';
import { AppConfig } from '@app/config';
import { CursorCodec } from '@app/graphql';
import { accountFromRow } from '../accounts.repository';
import { AccountsService } from '../accounts.service';
import { AccountConnectionModel, AccountFilter } from './admin-accounts.models';
import { countDirectory, DirectoryFilter, pageDirectory } from './account-directory.repository';

interface Page {
  first: number;
  after?: string | null;
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

  async list(filter: AccountFilter = {}, page: Page): Promise<AccountConnectionModel> {
    if (!Number.isInteger(page.first) || page.first < 1 || page.first > 100) throw ApiException.badInput('first', 'invalid');
    const selected = this.directoryFilter(filter);
    const after = page.after ? (this.cursors.decode(page.after, 2) as [string, string]) : null;
    const rows = await pageDirectory(this.dataSource, selected, after, page.first + 1);
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
    return countDirectory(this.dataSource, this.directoryFilter(filter));
  }

  private directoryFilter(filter: AccountFilter): DirectoryFilter {
    return { status: filter.status, role: filter.role, verified: filter.verified, pattern: this.searchPattern(filter) };
  }
}
