import DataLoader from 'dataloader';
import type { GraphqlContext } from './request-context';

const LOADERS = Symbol('gatehouse.loaders');
type WithLoaders = { [LOADERS]?: Map<string, DataLoader<unknown, unknown>> };

/**
 * One DataLoader per request and name, kept on the request object: nested fields of a page
 * of accounts cost one query per field, and nothing is cached across requests (a blocked
 * or changed account is never served from a stale cache).
 */
export function requestLoader<K, V>(
  ctx: GraphqlContext,
  name: string,
  batch: (keys: readonly K[]) => Promise<Map<K, V>>,
  missing: V | null = null,
): DataLoader<K, V | null> {
  const holder = ctx.req as unknown as WithLoaders;
  holder[LOADERS] ??= new Map();
  let loader = holder[LOADERS].get(name) as DataLoader<K, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V | null>(async (keys) => {
      const found = await batch(keys);
      return keys.map((k) => (found.has(k) ? (found.get(k) as V) : missing));
    });
    holder[LOADERS].set(name, loader);
  }
  return loader;
}
