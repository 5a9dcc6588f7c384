/**
 * Per-request batching of tier reads (SPEC §4 "Lookups to the same tier are batched"): every
 * `fetch` made while the scheduler drains its ready queue is queued, and at the end of the drain
 * the queue is flushed as ONE `getMany` per tier and dataset, with the keys deduplicated. So
 * lookups and expands that become ready together cost one tier call, without any timer.
 */
import type { TierName } from '../catalog/types.js';
import type { Item, Key, Tier } from '../tiers/tier.js';
import { Deferred } from './deferred.js';
import type { TierSource } from './graph.js';

type Records = Array<Item | undefined>;

interface Waiter {
  keys: readonly Key[];
  resolve: (records: Records) => void;
  reject: (error: unknown) => void;
}

interface Group {
  tier: TierName;
  dataset: string;
  waiters: Waiter[];
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
    return new Promise<Records>((resolve, reject) => this.enqueue(tier, dataset, { keys, resolve, reject }));
  }

  private enqueue(tier: TierName, dataset: string, waiter: Waiter): void {
    for (const g of this.groups) {
      if (g.tier === tier && g.dataset === dataset) {
        g.waiters.push(waiter);
        return;
      }
    }
    this.groups.push({ tier, dataset, waiters: [waiter] });
    if (!this.holding && !this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  /** `fetch` + `map` into a {@link Deferred}: settled during the flush when the tier is synchronous. */
  fetchMap<T>(
    tier: TierName,
    dataset: string,
    keys: readonly Key[],
    map: (records: Records) => T,
  ): Deferred<T> {
    const d = new Deferred<T>();
    this.enqueue(tier, dataset, {
      keys,
      resolve: (records) => {
        let v: T;
        try {
          v = map(records);
        } catch (error) {
          d.reject(error);
          return;
        }
        d.resolve(v);
      },
      reject: (error) => d.reject(error),
    });
    return d;
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
    let call: Promise<Records>;
    const only = g.waiters.length === 1 ? g.waiters[0] : undefined;
    let keys: Key[] | readonly Key[];
    let index: Map<Key, number> | undefined;
    if (only) keys = only.keys;
    else {
      // Deduplicate keys across the batch; each waiter gets its own aligned slice back.
      index = new Map();
      const all: Key[] = [];
      for (const w of g.waiters) {
        for (const k of w.keys) {
          if (!index.has(k)) {
            index.set(k, all.length);
            all.push(k);
          }
        }
      }
      keys = all;
    }
    this.calls++;
    const deliver = (records: Records) => {
      if (only) {
        only.resolve(records);
        return;
      }
      for (const w of g.waiters) {
        const mine: Records = new Array(w.keys.length);
        for (let i = 0; i < w.keys.length; i++) mine[i] = records[index!.get(w.keys[i]!)!];
        w.resolve(mine);
      }
    };
    const fail = (error: unknown) => {
      for (const w of g.waiters) w.reject(error);
    };
    try {
      const tier = this.tiers.get(g.tier) as Tier & {
        getManySync?: (dataset: string, keys: readonly Key[]) => Records;
      };
      // A synchronous tier (prod: SQLite point reads) is read right here — one promise hop less
      // per read — and gets no signal (it cannot be interrupted), so the request skips creating
      // one; asynchronous tiers get the request's signal and can stop early at the deadline.
      if (typeof tier.getManySync === 'function') {
        deliver(tier.getManySync(g.dataset, keys));
        return;
      }
      call = tier.getMany(g.dataset, keys, this.signal());
    } catch (error) {
      fail(error);
      return;
    }
    call.then(deliver, fail);
  }
}
