/**
 * The processors that read tiers: `lookup` (keys from a param or a literal list), `expand`
 * (follow a reference field of the input items) and `query` (one read-only SELECT on a SQL tier).
 * Lookups and expands go through the request's batcher, so those that become ready together
 * share one `getMany` per tier and dataset.
 */
import type { TierName } from '../../catalog/types.js';
import type { Item, Key, Tier } from '../../tiers/tier.js';
import { compilePath } from '../expr.js';
import type { Items, NodeContext, RunFn } from '../graph.js';
import { type Resolver, toKeys, toLimit } from './common.js';
import { ColdEntries, memoFor, memoKey, type Pushdown } from './expand-memo.js';

/** The records found, in key order (missing keys left out). */
function present(records: ReadonlyArray<Item | undefined>): Item[] {
  const out: Item[] = [];
  for (const r of records) if (r !== undefined) out.push(r);
  return out;
}

export interface LookupOptions {
  tier: TierName;
  dataset: string;
  /** The keys' value (a param value or the literal list). */
  keys: Resolver<unknown>;
}

/** Records of `dataset` for the keys, in key order; missing keys are left out. */
export function lookup(o: LookupOptions): RunFn {
  const { tier, dataset, keys } = o;
  return (_inputs, ctx) => {
    const ks = toKeys(keys(ctx.params));
    if (ks.length === 0) return [];
    return ctx.fetchMap(tier, dataset, ks, present);
  };
}

export interface ExpandOptions {
  /** The reference field (a dotted path; lists are flattened). */
  field: readonly string[];
  tier: TierName;
  dataset: string;
  /** At most this many distinct keys are looked up. */
  limit: Resolver<unknown> | undefined;
  /** A filter reading this expand, computed with it from the memo (expand-memo.ts). */
  pushdown?: Pushdown | undefined;
}

/** Collects the distinct keys of `field` over `items`, in order of first reference. */
export function referencedKeys(items: Items, get: (item: unknown) => unknown, limit: number): Key[] {
  const seen = new Set<Key>();
  const keys: Key[] = [];
  for (let i = 0; i < items.length; i++) {
    const v = get(items[i]);
    if (Array.isArray(v)) {
      for (let j = 0; j < v.length; j++) {
        const k = v[j];
        if (typeof k === 'number' || typeof k === 'string') {
          if (seen.has(k)) continue;
          seen.add(k);
          keys.push(k);
          if (keys.length >= limit) return keys;
        } else if (Array.isArray(k) && !addNested(k, seen, keys, limit)) return keys;
      }
    } else if (typeof v === 'number' || typeof v === 'string') {
      if (seen.has(v)) continue;
      seen.add(v);
      keys.push(v);
      if (keys.length >= limit) return keys;
    }
  }
  return keys;
}

/** Lists of lists (a path crossing two lists): false when the limit is reached. */
function addNested(v: readonly unknown[], seen: Set<Key>, keys: Key[], limit: number): boolean {
  for (const k of v) {
    if (Array.isArray(k)) {
      if (!addNested(k, seen, keys, limit)) return false;
    } else if ((typeof k === 'number' || typeof k === 'string') && !seen.has(k)) {
      seen.add(k);
      keys.push(k);
      if (keys.length >= limit) return false;
    }
  }
  return true;
}

/**
 * Records of `dataset` referenced by the input items, each key once, in order of first reference.
 * On a tier with stable records, through the expand memo (expand-memo.ts): same records.
 */
export function expand(o: ExpandOptions): RunFn {
  const get = compilePath(o.field);
  const { tier, dataset, limit, pushdown } = o;
  const key = memoKey(dataset, o.field.join('.'));
  return (inputs, ctx) => {
    const max =
      limit === undefined
        ? Number.POSITIVE_INFINITY
        : (toLimit(limit(ctx.params)) ?? Number.POSITIVE_INFINITY);
    if (max === 0) return [];
    const parents = inputs[0] ?? [];
    const t = parents.length > 0 ? stableTier(ctx, tier) : undefined;
    if (t !== undefined) {
      const r = memoFor(t, key).expand(parents, get, max, t.versionOf(dataset), pushdown);
      if (r instanceof ColdEntries) {
        if (r.keys.length === 0) return r.finish([]);
        return ctx.fetchMap(tier, dataset, r.keys, (records) => r.finish(records));
      }
      if (r !== null) return r;
    }
    const keys = referencedKeys(parents, get, max);
    if (keys.length === 0) return [];
    return ctx.fetchMap(tier, dataset, keys, present);
  };
}

/** The tier when its records are stable; undefined otherwise (or when it cannot be had here). */
function stableTier(ctx: NodeContext, name: TierName): Tier | undefined {
  try {
    const t = ctx.tier(name);
    return t.stableRecords === true ? t : undefined;
  } catch {
    return undefined; // the plain path reports it, as it always did (and only if it reads)
  }
}

export interface QueryOptions {
  tier: TierName;
  /** The SQL with `$params.NAME` rewritten to the tier's named parameter `$NAME`. */
  sql: string;
  /** The params the SQL binds. */
  params: readonly string[];
}

/** `$params.NAME` → `$NAME` (bound by the tier as a named parameter — never spliced). */
export function bindableSql(sql: string): { sql: string; params: string[] } {
  const params = new Set<string>();
  const rewritten = sql.replace(/\$params\.([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    params.add(name);
    return `$${name}`;
  });
  return { sql: rewritten, params: [...params] };
}

export function query(o: QueryOptions): RunFn {
  const { tier, sql } = o;
  const names = o.params;
  return (_inputs, ctx) => {
    const t = ctx.tier(tier);
    if (!t.query) throw new Error(`tier '${tier}' does not answer SQL queries`);
    const bound: Record<string, unknown> = {};
    for (const n of names) bound[n] = ctx.params[n] ?? null;
    return t.query(sql, bound, ctx.signal);
  };
}
