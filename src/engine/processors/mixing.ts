/**
 * The processors that combine or divide lists: `merge` (concat, interleave, weighted — then
 * optional dedupe and limit) and `split` (one list per port; first matching case wins).
 */
import type { Item } from '../../tiers/tier.js';
import type { Compiled } from '../expr.js';
import type { Items, RunFn } from '../graph.js';
import { identity, type Resolver, toLimit } from './common.js';

export interface MergeOptions {
  strategy: 'concat' | 'interleave' | 'weighted';
  /** For `weighted`: one weight per input, aligned with the inputs. */
  weights: readonly number[];
  dedupeBy: Compiled | undefined;
  limit: Resolver<unknown> | undefined;
}

/**
 * The order in which items are taken from the inputs. `interleave` is round-robin; `weighted` is
 * smooth weighted round-robin (deterministic: input i gets weight_i / Σweights of the picks while
 * it has items left).
 */
function* mergeOrder(inputs: readonly Items[], o: MergeOptions): Generator<Item> {
  if (o.strategy === 'concat') {
    for (const list of inputs) yield* list;
    return;
  }
  const pos = new Array<number>(inputs.length).fill(0);
  const weights = inputs.map((_, i) => (o.strategy === 'weighted' ? Math.max(0, o.weights[i] ?? 1) : 1));
  const credit = new Array<number>(inputs.length).fill(0);
  for (;;) {
    let total = 0;
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      if (pos[i]! >= inputs[i]!.length || weights[i] === 0) continue;
      credit[i]! += weights[i]!;
      total += weights[i]!;
      if (best < 0 || credit[i]! > credit[best]!) best = i;
    }
    if (best < 0) break;
    credit[best]! -= total;
    yield inputs[best]![pos[best]!++]!;
  }
  // Inputs with weight 0 come last, in order.
  for (let i = 0; i < inputs.length; i++) if (weights[i] === 0) yield* inputs[i]!.slice(pos[i]);
}

export function merge(o: MergeOptions): RunFn {
  const { dedupeBy, limit } = o;
  return (inputs, ctx) => {
    const params = ctx.params;
    const max =
      limit === undefined ? Number.POSITIVE_INFINITY : (toLimit(limit(params)) ?? Number.POSITIVE_INFINITY);
    if (o.strategy === 'concat' && dedupeBy === undefined && max === Number.POSITIVE_INFINITY) {
      return inputs.length === 1 ? inputs[0]! : ([] as Item[]).concat(...inputs);
    }
    const out: Item[] = [];
    const seen = dedupeBy ? new Set<unknown>() : undefined;
    if (max === 0) return out;
    for (const item of mergeOrder(inputs, o)) {
      if (seen) {
        const k = identity(dedupeBy!(item, params));
        if (seen.has(k)) continue;
        seen.add(k);
      }
      out.push(item);
      if (out.length >= max) break;
    }
    return out;
  };
}

export interface SplitOptions {
  cases: ReadonlyArray<readonly [port: string, when: Compiled]>;
  else: string | undefined;
}

export function split(o: SplitOptions): RunFn {
  const ports = [...o.cases.map(([p]) => p), ...(o.else !== undefined ? [o.else] : [])];
  const cases = o.cases;
  const otherwise = o.else;
  return (inputs, ctx) => {
    const params = ctx.params;
    const out: Record<string, Item[]> = {};
    for (const p of ports) out[p] = [];
    for (const item of inputs[0] ?? []) {
      let port = otherwise;
      for (const [p, when] of cases) {
        if (when(item, params)) {
          port = p;
          break;
        }
      }
      if (port !== undefined) out[port]!.push(item);
    }
    return out;
  };
}
