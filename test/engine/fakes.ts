/** In-memory tiers and plan builders for the engine tests (no data directory needed). */
import type { TierName } from '../../src/catalog/types.js';
import type { ExecNode, ExecPlan, RunFn, TierSource } from '../../src/engine/graph.js';
import type { Item, Key, Tier, TierStatus } from '../../src/tiers/tier.js';

export class FakeTier implements Tier {
  readonly calls: Array<{ dataset: string; keys: Key[] }> = [];
  constructor(
    readonly name: TierName,
    protected readonly data: Record<string, Map<Key, Item>>,
    private readonly delayMs = 0,
  ) {}
  protected table(dataset: string): Map<Key, Item> | undefined {
    return this.data[dataset];
  }
  versionOf(dataset: string): string | undefined {
    return this.data[dataset] ? '2026-11-21/1' : undefined;
  }
  getMany(dataset: string, keys: readonly Key[]): Promise<Array<Item | undefined>> {
    this.calls.push({ dataset, keys: [...keys] });
    const table = this.data[dataset];
    const out = keys.map((k) => table?.get(k));
    if (this.delayMs > 0) return new Promise((r) => setTimeout(() => r(out), this.delayMs));
    return Promise.resolve(out);
  }
  async query(): Promise<Item[]> {
    return [{ n: 1 }];
  }
  async status(): Promise<TierStatus> {
    return { tier: this.name, engine: 'sqlite', capacity_bytes: null, used_bytes: 0, datasets: [] };
  }
  async close() {}
}

export function tierSource(...tiers: Tier[]): TierSource {
  return {
    get(name) {
      const t = tiers.find((x) => x.name === name);
      if (!t) throw new Error(`tier ${name} not loaded`);
      return t;
    },
  };
}

/** Like the real prod tier: a synchronous core behind the async interface (the batcher uses it). */
export class SyncFakeTier extends FakeTier {
  getManySync(dataset: string, keys: readonly Key[]): Array<Item | undefined> {
    this.calls.push({ dataset, keys: [...keys] });
    return keys.map((k) => this.table(dataset)?.get(k));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function task(name: string, inputs: string[], run: RunFn, extra: Partial<ExecNode> = {}): ExecNode {
  return {
    name,
    processor: 'test',
    kind: 'task',
    inputs: inputs.map(refOf),
    onError: 'fail',
    run,
    ...extra,
  } as ExecNode;
}

export function refOf(text: string) {
  const [node, port] = text.split('.');
  return port === undefined ? { node: node! } : { node: node!, port };
}

export function plan(nodes: ExecNode[], outputs: Record<string, string>): ExecPlan {
  return {
    name: 'test',
    nodes,
    outputs: Object.entries(outputs).map(([name, ref]) => ({ name, ...refOf(ref), dataset: null })),
  };
}

export const items = (...vs: number[]): Item[] => vs.map((v) => ({ v }));

/** A fake with prod's record guarantee (`stableRecords`): expands go through the expand memo. */
export class StableSyncFakeTier extends SyncFakeTier {
  readonly stableRecords = true;
}

/** The same guarantee on an asynchronous tier (the memo's cold fetch goes through a promise). */
export class StableFakeTier extends FakeTier {
  readonly stableRecords = true;
}
