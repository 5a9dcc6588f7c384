/**
 * Per-request batching of tier reads (SPEC §4 "Lookups to the same tier are batched"): every
 * `fetch` made while the scheduler drains its ready queue is queued, and at the end of the drain
 * the queue is flushed as ONE `getMany` per tier and dataset, with the keys deduplicated. So
 * lookups and expands that become ready together cost one tier call, without any timer.
 *
 * Hot path: no closure is created per read (waiters are small objects with methods), and a
 * synchronous tier (one with `getManySync`, like prod) is read during the flush itself.
 */
import type { TierName } from '../catalog/types.js';
import type { Item, Key, Tier } from '../tiers/tier.js';
import { Deferred } from './deferred.js';
import type { TierSource } from './graph.js';

type Records = Array<Item | undefined>;
type SyncTier = Tier & { getManySync?: (dataset: string, keys: readonly Key[]) => Records };

interface Waiter {
  readonly keys: readonly Key[];
  deliver(records: Records): void;
  fail(error: unknown): void;
}

/** A read whose records are mapped into a Deferred (`fetchMap`). */
class MapWaiter<T> implements Waiter {
  constructor(
    readonly keys: readonly Key[],
    private readonly map: (records: Records) => T,
    readonly result: Deferred<T>,
  ) {}
  deliver(records: Records): void {
    let v: T;
    try {
      v = this.map(records);
    } catch (error) {
      this.result.reject(error);
      return;
    }
    this.result.resolve(v);
  }
  fail(error: unknown): void {
    this.result.reject(error);
  }
}

class Group {
  readonly waiters: Waiter[] = [];
  private index: Map<Key, number> | undefined;
  constructor(
    readonly tier: TierName,
    readonly dataset: string,
  ) {}

  /** The keys of the one call: the waiter's own, or all of them deduplicated. */
  keys(): readonly Key[] {
    if (this.waiters.length === 1) return this.waiters[0]!.keys;
    const index = new Map<Key, number>();
    const all: Key[] = [];
    for (const w of this.waiters) {
      for (const k of w.keys) {
        if (!index.has(k)) {
          index.set(k, all.length);
          all.push(k);
        }
      }
    }
    this.index = index;
    return all;
  }

  deliver(records: Records): void {
    const index = this.index;
    if (!index) {
      this.waiters[0]!.deliver(records);
      return;
    }
    for (const w of this.waiters) {
      const mine: Records = [];
      for (const k of w.keys) mine.push(records[index.get(k)!]);
      w.deliver(mine);
    }
  }

  fail(error: unknown): void {
    for (const w of this.waiters) w.fail(error);
  }
}

export class Batcher {
  private groups: Group[] = [];
  /** Tier calls made so far (for tests and the trace). */
  calls = 0;
  /**
   * True while the scheduler drains its ready queue: it flushes at the end of the drain. Outside
   * a drain (a processor fetching after an `await`), a microtask flushes instead.
   */
  holding = false;
  private flushQueued = false;

  constructor(
    private readonly tiers: TierSource,
    /** The request's signal (created lazily). */
    private readonly signal: () => AbortSignal,
  ) {}

  fetch(tier: TierName, dataset: string, keys: readonly Key[]): Promise<Records> {
    return new Promise<Records>((resolve, reject) =>
      this.enqueue(tier, dataset, { keys, deliver: resolve, fail: reject }),
    );
  }

  /** `fetch` + `map` into a {@link Deferred}: settled during the flush when the tier is synchronous. */
  fetchMap<T>(
    tier: TierName,
    dataset: string,
    keys: readonly Key[],
    map: (records: Records) => T,
  ): Deferred<T> {
    const waiter = new MapWaiter(keys, map, new Deferred<T>());
    this.enqueue(tier, dataset, waiter);
    return waiter.result;
  }

  private enqueue(tier: TierName, dataset: string, waiter: Waiter): void {
    for (const g of this.groups) {
      if (g.tier === tier && g.dataset === dataset) {
        g.waiters.push(waiter);
        return;
      }
    }
    const g = new Group(tier, dataset);
    g.waiters.push(waiter);
    this.groups.push(g);
    if (!this.holding && !this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  get pending(): boolean {
    return this.groups.length > 0;
  }

  /** Issues one tier call per queued tier and dataset. */
  flush(): void {
    const groups = this.groups;
    if (groups.length === 0) return;
    this.groups = [];
    for (const g of groups) this.issue(g);
  }

  private issue(g: Group): void {
    const keys = g.keys();
    this.calls++;
    let call: Promise<Records>;
    try {
      const tier = this.tiers.get(g.tier) as SyncTier;
      // A synchronous tier (prod: SQLite point reads) is read right here — no promise hop — and
      // gets no signal (it cannot be interrupted), so the request skips creating one;
      // asynchronous tiers get the request's signal and can stop early at the deadline.
      if (typeof tier.getManySync === 'function') {
        g.deliver(tier.getManySync(g.dataset, keys));
        return;
      }
      call = tier.getMany(g.dataset, keys, this.signal());
    } catch (error) {
      g.fail(error);
      return;
    }
    call.then(
      (records) => g.deliver(records),
      (error: unknown) => g.fail(error),
    );
  }
}
