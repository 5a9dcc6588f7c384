/**
 * The one-input transformations: `filter`, `rank`, `dedupe`, `limit`, `project`. They are
 * synchronous, so the scheduler completes them inside its drain loop without a microtask.
 */
import type { Item } from '../../tiers/tier.js';
import type { Compiled } from '../expr.js';
import type { Items, RunFn } from '../graph.js';
import { identity, type Resolver, toLimit } from './common.js';

const EMPTY: Items = [];

export function filter(where: Compiled): RunFn {
  return (inputs, ctx) => {
    const items = inputs[0] ?? EMPTY;
    const params = ctx.params;
    const out: Item[] = [];
    for (const item of items) if (where(item, params)) out.push(item);
    return out;
  };
}

export interface RankOptions {
  by: Compiled;
  order: 'asc' | 'desc';
  limit: Resolver<unknown> | undefined;
}

/**
 * Sorted by a numeric expression (stable: ties keep input order). Items whose `by` is not a
 * number (null) sort last in either order.
 */
export function rank(o: RankOptions): RunFn {
  const { by, limit } = o;
  const sign = o.order === 'asc' ? 1 : -1;
  return (inputs, ctx) => {
    const items = inputs[0] ?? EMPTY;
    const params = ctx.params;
    const n = items.length;
    const keys = new Float64Array(n);
    // Packed (not holey) arrays: V8 sorts and reads them faster.
    const index: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = by(items[i], params);
      keys[i] = typeof v === 'number' && !Number.isNaN(v) ? v * sign : Number.POSITIVE_INFINITY;
      index.push(i);
    }
    index.sort((a, b) => keys[a]! - keys[b]! || a - b);
    const max = limit === undefined ? n : Math.min(n, toLimit(limit(params)) ?? n);
    const out: Item[] = [];
    for (let i = 0; i < max; i++) out.push(items[index[i]!]!);
    return out;
  };
}

export function dedupe(by: Compiled): RunFn {
  return (inputs, ctx) => {
    const params = ctx.params;
    const seen = new Set<unknown>();
    const out: Item[] = [];
    for (const item of inputs[0] ?? EMPTY) {
      const k = identity(by(item, params));
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(item);
    }
    return out;
  };
}

export function limit(n: Resolver<unknown>): RunFn {
  return (inputs, ctx) => {
    const items = inputs[0] ?? EMPTY;
    const max = toLimit(n(ctx.params));
    return max === undefined || max >= items.length ? items : items.slice(0, max);
  };
}

export function project(fields: readonly string[]): RunFn {
  return (inputs) => {
    const items = inputs[0] ?? EMPTY;
    const out: Item[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const o: Item = {};
      for (const f of fields) if (Object.hasOwn(item, f)) o[f] = item[f];
      out[i] = o;
    }
    return out;
  };
}
