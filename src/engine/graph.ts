/**
 * The engine's own executable form of a plan (its IR): nodes with resolved inputs and a `run`
 * closure built once from the node's options. The scheduler (scheduler.ts) only knows this shape,
 * so it can be tested and benchmarked without the plan language; `from-checked.ts` builds it from
 * the plan compiler's `CheckedPlan`.
 */
import type { TierName } from '../catalog/types.js';
import type { Item, Key, Tier } from '../tiers/tier.js';

export type Items = readonly Item[];
/** The output of a node with named ports (`split`): one list per port. */
export type PortItems = Readonly<Record<string, Items>>;
export type NodeValue = Items | PortItems;

/** Where the scheduler finds tiers: `openTiers(config)`'s `TierSet`, or a fake in tests. */
export interface TierSource {
  get(name: TierName): Tier;
}

/** What a processor sees while it runs one node of one request. */
export interface NodeContext {
  /** The request's params, already parsed to their declared types. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Aborted when the node's `timeout_ms` or the request deadline passes. */
  readonly signal: AbortSignal | undefined;
  /** The node's name in the plan. */
  readonly node: string;
  /**
   * Records of `dataset` for `keys` from `tier`, aligned with `keys`. Calls made by nodes that
   * become ready together are batched into one `getMany` per tier and dataset.
   */
  fetch(tier: TierName, dataset: string, keys: readonly Key[]): Promise<Array<Item | undefined>>;
  /**
   * `fetch` and a transformation of the records, as one step the scheduler can finish without a
   * promise hop when the tier is synchronous. Return its result from `run`.
   */
  fetchMap<T extends NodeValue>(
    tier: TierName,
    dataset: string,
    keys: readonly Key[],
    map: (records: Array<Item | undefined>) => T,
  ): PromiseLike<T>;
  /** The tier itself (for `query` and custom processors). */
  tier(name: TierName): Tier;
}

/**
 * The runtime half of a processor for one node: inputs (one list per input, in order) → items.
 * May return synchronously (transformations) or a promise (tier calls).
 */
export type RunFn = (inputs: readonly Items[], ctx: NodeContext) => NodeValue | PromiseLike<NodeValue>;

export interface ExecInputRef {
  readonly node: string;
  /** For inputs that name a port of a `split`: `NAME.PORT`. */
  readonly port?: string;
}

interface ExecNodeBase {
  readonly name: string;
  /** The processor name (`lookup`, `rank`, a custom one) — for timings and traces. */
  readonly processor: string;
  readonly inputs: readonly ExecInputRef[];
  readonly timeoutMs?: number;
  /** `empty`: a failure becomes an empty list and is recorded in the response's `errors`. */
  readonly onError: 'fail' | 'empty';
  readonly tier?: TierName;
  readonly dataset?: string;
}

/** An ordinary node: runs when all its inputs have resolved. */
export interface TaskNode extends ExecNodeBase {
  readonly kind: 'task';
  readonly run: RunFn;
}

/** `fallback`: demands its inputs one at a time; the first that did not fail (or was not empty) wins. */
export interface FallbackNode extends ExecNodeBase {
  readonly kind: 'fallback';
  readonly when: 'error' | 'empty';
}

/** `experiment`: picks one input from the params (stable hash) and only that branch runs. */
export interface ExperimentNode extends ExecNodeBase {
  readonly kind: 'experiment';
  /** Index into `inputs` of the chosen variant. */
  readonly choose: (params: Readonly<Record<string, unknown>>) => number;
}

export type ExecNode = TaskNode | FallbackNode | ExperimentNode;

export interface ExecOutput {
  /** The response list's name. */
  readonly name: string;
  readonly node: string;
  readonly port?: string;
  /** The dataset the items are records of, or null for declared rows. */
  readonly dataset: string | null;
}

export interface ExecPlan {
  readonly name: string;
  readonly nodes: readonly ExecNode[];
  readonly outputs: readonly ExecOutput[];
}
