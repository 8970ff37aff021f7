import type { DataSource } from 'typeorm';
import { ACCOUNT_COLUMNS, AccountRow } from '../accounts.repository';

// The admin directory's SQL (a feature repository): a page and a count of accounts, over
// `accounts` and, for a search, this library's read model `account_identifiers`.

/** The directory's filters; `pattern` is the search prefix as a LIKE pattern (escaped by the caller). */
export interface DirectoryFilter {
  status?: string | null;
  role?: string | null;
  verified?: boolean | null;
  pattern?: string;
}

export interface PageRow extends AccountRow {
  created_key: string;
}

/** The account filters other than search, over `a` (accounts). */
function accountClauses(filter: DirectoryFilter, params: unknown[]): string[] {
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
function source(filter: DirectoryFilter, params: unknown[]): { from: string; where: string[]; id: string; createdAt: string; distinct: boolean } {
  const pattern = filter.pattern;
  const clauses = accountClauses(filter, params);
  if (pattern === undefined) return { from: 'accounts a', where: clauses, id: 'a.id', createdAt: 'a.created_at', distinct: false };
  params.push(pattern);
  const like = `i.value LIKE $${params.length}`;
  const from = clauses.length ? 'account_identifiers i JOIN accounts a ON a.id = i.account_id' : 'account_identifiers i';
  return { from, where: [like, ...clauses], id: 'i.account_id', createdAt: 'i.account_created_at', distinct: true };
}

/**
 * Up to `limit` accounts, newest first, after the keyset `after` ([created_at text, id]).
 * DISTINCT over exactly the sort keys, so the planner can read them in index order and stop;
 * the page's account rows come with it (one round trip, no entity hydration).
 */
export function pageDirectory(db: DataSource, filter: DirectoryFilter, after: [string, string] | null, limit: number): Promise<PageRow[]> {
  const params: unknown[] = [];
  const src = source(filter, params);
  const where = [...src.where];
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(${src.createdAt}, ${src.id}) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(limit);
  return db.query(
    `SELECT k.created_at::text AS created_key, ${ACCOUNT_COLUMNS.map((c) => `a.${c}`).join(', ')}
         FROM (SELECT ${src.distinct ? 'DISTINCT ' : ''}${src.createdAt} AS created_at, ${src.id} AS id FROM ${src.from}
                WHERE ${where.length ? where.join(' AND ') : 'TRUE'}
                ORDER BY ${src.createdAt} DESC, ${src.id} DESC LIMIT $${params.length}) k
         JOIN accounts a ON a.id = k.id
        ORDER BY k.created_at DESC, k.id DESC`,
    params,
  );
}

export async function countDirectory(db: DataSource, filter: DirectoryFilter): Promise<number> {
  const params: unknown[] = [];
  const src = source(filter, params);
  const [row]: Array<{ n: string | number }> = await db.query(
    `SELECT count(${src.distinct ? `DISTINCT ${src.id}` : '*'}) AS n FROM ${src.from} WHERE ${src.where.length ? src.where.join(' AND ') : 'TRUE'}`,
    params,
  );
  return Number(row?.n ?? 0);
}
