/**
 * The `expand` memo. On a tier with stable records (`Tier.stableRecords`: prod, whose decoded
 * records are cached, immutable and dropped on a version switch), what an expand resolves for one
 * parent record — the records its reference field points to — is memoized per parent object. A
 * warm related-pins request then reads ~44 short arrays instead of looking up ~470 keys, each
 * lookup a chain of dependent cache misses (key string → hash slot → record, 250–600 ns apiece on
 * this VM), and the filter's reads of the resulting list overlap instead of serialising.
 *
 * Same answers as without it: referenced keys are interned to small ints per memo generation and
 * the request dedupes by key (not by record object: a record the tier evicted and read again is
 * another object with the same content), in order of first reference, counting missing keys
 * toward `limit` and leaving them out — exactly `referencedKeys` + `present`.
 *
 * Filter pushdown: when a filter with a param-free `where` reads the expand (`pushKey` in
 * processors/index.ts), each entry also keeps which of its records pass it — computed once per
 * entry — and the scan hands that filter its result ({@link pushedFilter}), so the filter loads
 * no record (each a cache miss). A `where` that throws on a record is not pushed down: the filter
 * then runs, and fails, as always.
 *
 * Only a parent seen twice gets an entry (the first sighting is marked and the request takes the
 * plain path), so items made afresh per request (`project`, custom processors) never pay for
 * entries nobody reuses.
 *
 * Validity: a generation is tied to the tier's version of the expanded dataset (`versionOf`, asked
 * once per request) and starts over when it changes — even parents that stay the same objects
 * (one from another tier) never see records of a version the tier no longer serves.
 *
 * Memory: entries are weak on their parent, so they live only while the parent record does (prod
 * holds it in its record cache; a version switch drops them all). Besides, one memo (per tier,
 * dataset and field) holds at most `budget` references per generation: a request that finds its
 * generation over budget starts a new one and the old one becomes garbage. A reference costs ~4 B
 * (id) + 8 B (record slot) + 1 B (pushdown) + an interned key (~40 B), so ~50 MB at the default
 * 1 M; the records it points to are the tier's own cached objects (kept alive while memoized).
 */
import type { Item, Key, Tier } from '../../tiers/tier.js';
import type { Compiled } from '../expr.js';
import type { Items } from '../graph.js';
import { isShared, markShared } from '../shared-lists.js';

export const DEFAULT_MEMO_BUDGET = 1_000_000;

/** A parent seen once: no entry yet. */
const SEEN = 0;

class Entry {
  /** Aligned with `ids`, undefined where the key is missing; null until fetched. */
  records: ReadonlyArray<Item | undefined> | null = null;
  /** The key of the pushed-down filter `pass` was computed for (plans with the same text share it). */
  passFor: string | null = null;
  /** 1 where the record passes that filter; null when it threw. */
  pass: Uint8Array | null = null;
  constructor(readonly ids: Int32Array) {}
}

/** A filter pushed down into an expand: its `where` (param-free) and a key naming it. */
export interface Pushdown {
  readonly key: string;
  readonly where: Compiled;
}

const NO_PARAMS = Object.freeze({});

/** Which of the entry's records pass the filter (cached per entry); null if its `where` threw. */
function passOf(
  e: Entry,
  records: ReadonlyArray<Item | undefined>,
  { key, where }: Pushdown,
): Uint8Array | null {
  if (e.passFor === key) return e.pass;
  let pass: Uint8Array | null = new Uint8Array(records.length);
  try {
    for (let j = 0; j < records.length; j++) {
      const r = records[j];
      if (r !== undefined && where(r, NO_PARAMS)) pass[j] = 1;
    }
  } catch {
    pass = null;
  }
  e.passFor = key;
  e.pass = pass;
  return pass;
}

/** Filter results handed from an expand's scan to its filter, by the expand's output list. */
const PUSHED = new WeakMap<Items, { key: string; items: Item[] }>();

/** The result of the filter named `key` over `items`, if the expand that made them computed it. */
export function pushedFilter(items: Items, key: string): Item[] | undefined {
  const p = PUSHED.get(items);
  return p !== undefined && p.key === key ? p.items : undefined;
}

/** A complete scan's result, for the parameters it was computed with. */
interface Scanned {
  max: number;
  pushKey: string | undefined;
  out: Item[];
}

/**
 * Complete scans, handed out again when the same parents come by: the same single parent (the
 * seed record of a lookup), or the same list when that list is a remembered scan itself (a chain
 * of expands, as in related-pins). They are valid for the generation (its entries never change)
 * and immutable like every node's output. Their own budget of references: over it, they are all
 * dropped and the entries stay.
 */
class ScanResults {
  private readonly byParents = new Map<object, Scanned>();
  private refs = 0;
  constructor(private readonly budget: number) {}

  get(parents: object, max: number, pushKey: string | undefined): Item[] | undefined {
    const s = this.byParents.get(parents);
    return s !== undefined && s.max === max && s.pushKey === pushKey ? s.out : undefined;
  }

  set(parents: object, scanned: Scanned): void {
    this.refs += scanned.out.length + 1;
    if (this.refs > this.budget) {
      this.byParents.clear();
      this.refs = scanned.out.length + 1;
    }
    this.byParents.set(parents, scanned);
    markShared(scanned.out);
  }
}

class Generation {
  constructor(
    /** The version of the expanded dataset the entries were read from. */
    readonly version: string | undefined,
    budget: number,
  ) {
    this.scans = new ScanResults(budget);
  }
  readonly entries = new WeakMap<object, Entry | typeof SEEN>();
  readonly scans: ScanResults;
  readonly ids = new Map<Key, number>();
  /** References held by this generation's entries (one more per entry). */
  refs = 0;
}

/** The keys a field value refers to, in order: scalars, and lists (of lists) flattened. */
export function keysOf(v: unknown, out: Key[]): Key[] {
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) keysOf(v[i], out);
  else if (typeof v === 'number' || typeof v === 'string') out.push(v);
  return out;
}

/**
 * The ids one request has seen: open addressing over [epoch, id] pairs, reused by every request
 * (the scans are synchronous) and emptied by bumping the epoch.
 */
class IdSet {
  private slots = new Int32Array(2048);
  private mask = 1023;
  private epoch = 0;
  private size = 0;

  clear(): void {
    this.size = 0;
    if (++this.epoch === 0x7fffffff) {
      this.slots.fill(0);
      this.epoch = 1;
    }
  }

  /** False when `id` was already there. */
  add(id: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    const epoch = this.epoch;
    const h = Math.imul(id, 0x9e3779b1);
    let s = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const at = s * 2;
      if (slots[at] !== epoch) {
        slots[at] = epoch;
        slots[at + 1] = id;
        if (++this.size * 2 > mask) this.grow();
        return true;
      }
      if (slots[at + 1] === id) return false;
      s = (s + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = old.length - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] === this.epoch) this.add(old[at + 1]!);
  }
}

const SEEN_IDS = new IdSet();

/** Parents whose entries need their records first: fetch `keys`, then {@link finish}. */
export class ColdEntries {
  readonly keys: Key[] = [];
  constructor(
    private readonly gen: Generation,
    private readonly parents: Items,
    private readonly get: (item: unknown) => unknown,
    private readonly max: number,
    private readonly pushdown: Pushdown | undefined,
    private readonly cold: readonly object[],
  ) {
    for (const p of cold) keysOf(get(p), this.keys);
  }

  /** Stores the records (aligned with `keys`) in the entries; then the expand's result. */
  finish(records: ReadonlyArray<Item | undefined>): Item[] {
    let at = 0;
    for (const p of this.cold) {
      const e = this.gen.entries.get(p) as Entry;
      e.records = records.slice(at, at + e.ids.length);
      at += e.ids.length;
    }
    return scan(this.gen, this.parents, this.get, this.max, this.pushdown) as Item[];
  }
}

/** The memo of one (tier, dataset, field). */
export class ExpandMemo {
  private gen: Generation;
  constructor(private readonly budget = DEFAULT_MEMO_BUDGET) {
    this.gen = new Generation(undefined, budget);
  }

  /**
   * The expand's records from the memo; {@link ColdEntries} when some must be fetched first; null
   * when a parent was new (the caller takes the plain path). `version`: the tier's current version
   * of the expanded dataset — entries read from another one are dropped, even if their parents
   * still come by (a parent from another tier, or one the tier kept across a switch).
   */
  expand(
    parents: Items,
    get: (item: unknown) => unknown,
    max: number,
    version: string | undefined,
    pushdown?: Pushdown,
  ): Item[] | ColdEntries | null {
    if (this.gen.refs > this.budget || this.gen.version !== version)
      this.gen = new Generation(version, this.budget);
    return scan(this.gen, parents, get, max, pushdown);
  }
}

/**
 * One pass over the parents in order: entries built on a second sighting, ids deduplicated until
 * `max` distinct keys, records (and those passing the pushed-down filter) collected while every
 * entry so far has them.
 */
function scan(
  gen: Generation,
  parents: Items,
  get: (item: unknown) => unknown,
  max: number,
  pushdown: Pushdown | undefined,
): Item[] | ColdEntries | null {
  // What identifies these parents for ScanResults: a single parent, or a remembered list.
  const first = parents[0];
  const key =
    parents.length === 1 ? (typeof first === 'object' ? first : null) : isShared(parents) ? parents : null;
  const remembered = key === null ? undefined : gen.scans.get(key, max, pushdown?.key);
  if (remembered !== undefined) return remembered;
  const seen = SEEN_IDS;
  seen.clear();
  const out: Item[] = [];
  const passed: Item[] = [];
  let pushable = pushdown !== undefined;
  let cold: object[] | null = null;
  let marking = false;
  let distinct = 0;
  walk: for (let i = 0; i < parents.length; i++) {
    const p = parents[i];
    if (typeof p !== 'object' || p === null) return null;
    let e = gen.entries.get(p);
    if (e === undefined) {
      gen.entries.set(p, SEEN);
      marking = true;
      continue;
    }
    if (marking) continue;
    if (e === SEEN) e = build(gen, p, get);
    const records = e.records;
    if (records === null) {
      cold ??= [];
      cold.push(p);
    }
    let pass: Uint8Array | null = null;
    if (pushable && records !== null) {
      pass = passOf(e, records, pushdown!);
      pushable = pass !== null;
    }
    const ids = e.ids;
    for (let j = 0; j < ids.length; j++) {
      if (!seen.add(ids[j]!)) continue;
      if (cold === null) {
        const r = records![j];
        if (r !== undefined) {
          out.push(r);
          if (pass !== null && pass[j] === 1) passed.push(r);
        }
      }
      if (++distinct >= max) break walk;
    }
  }
  if (marking) return null;
  if (cold !== null) return new ColdEntries(gen, parents, get, max, pushdown, cold);
  if (pushable) PUSHED.set(out, { key: pushdown!.key, items: passed });
  if (key !== null) gen.scans.set(key, { max, pushKey: pushdown?.key, out });
  return out;
}

function build(gen: Generation, parent: object, get: (item: unknown) => unknown): Entry {
  const keys = keysOf(get(parent), []);
  const ids = new Int32Array(keys.length);
  const intern = gen.ids;
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    let id = intern.get(k);
    if (id === undefined) {
      id = intern.size;
      intern.set(k, id);
    }
    ids[j] = id;
  }
  gen.refs += keys.length + 1;
  const e = new Entry(ids);
  gen.entries.set(parent, e);
  return e;
}

const MEMOS = new WeakMap<Tier, Map<string, ExpandMemo>>();

/** Names the memo of a dataset reached through a field (a dotted path), for {@link memoFor}. */
export const memoKey = (dataset: string, field: string): string => `${dataset}\u0000${field}`;

/** The memo of `tier` named `key` (one per tier object and key, shared by plans). */
export function memoFor(tier: Tier, key: string): ExpandMemo {
  let byField = MEMOS.get(tier);
  if (byField === undefined) {
    byField = new Map();
    MEMOS.set(tier, byField);
  }
  let memo = byField.get(key);
  if (memo === undefined) {
    memo = new ExpandMemo();
    byField.set(key, memo);
  }
  return memo;
}
