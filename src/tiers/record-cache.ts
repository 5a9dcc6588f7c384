/**
 * prod's decoded-record cache: key → record (or `null` for a key known to be missing).
 *
 * Why not a `Map<Key, Item>`: measured on the medium data, a `Map.get` with a 16-character string
 * key (an image signature) costs ~1 µs when the map holds a few hundred thousand records and the
 * lookup key is a different string object than the stored one (always: keys come from other
 * records' reference lists) — the hash chain walk compares string contents, each a cache miss.
 * Integer keys cost a fraction of that. So keys are turned into two 32-bit halves (an int key
 * split at 2^32; a 16-hex-digit string key parsed as 64 bits, a bijection for canonical lowercase
 * hex) and looked up in an open-addressing table whose key pairs sit side by side in one
 * `Int32Array`: one probe touches one cache line, and nothing is allocated per lookup. Other
 * string keys fall back to a `Map`.
 *
 * Eviction without per-hit bookkeeping: two generations. New entries go to the young table; when
 * it is full it becomes the old one (the previous old one is dropped) and a fresh young table
 * starts. A hit in the old table is copied into the young one. So the hot set survives, a hit in
 * the young table costs nothing but the lookup, and at most 2 × `capacity` records are held.
 */
import type { Item, Key } from './tier.js';

const EMPTY_HI = 0x7fffffff; // never produced by a key (ints are < 2^53, hex keys set a tag bit)

class Table {
  /** [hi, lo] per slot. */
  readonly keys: Int32Array;
  readonly values: Array<Item | null | undefined>;
  readonly mask: number;
  readonly strings = new Map<string, Item | null>();
  count = 0;

  constructor(readonly capacity: number) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.mask = slots - 1;
    this.keys = new Int32Array(slots * 2).fill(EMPTY_HI);
    this.values = new Array<Item | null | undefined>(slots).fill(undefined);
  }

  find(hi: number, lo: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let slot = (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> 7) & mask;
    for (;;) {
      const h = keys[slot * 2]!;
      if (h === hi && keys[slot * 2 + 1] === lo) return slot;
      if (h === EMPTY_HI) return ~slot;
      slot = (slot + 1) & mask;
    }
  }
}

/** Splits a key into (hi, lo); false when it is a string that is not 16 lowercase hex digits. */
let HI = 0;
let LO = 0;
function split(key: Key): boolean {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) return false;
    // Non-negative ints < 2^53: hi < 2^21. Negative ones get their own range below.
    const hi = Math.floor(key / 4294967296);
    HI = key >= 0 ? hi : 0x40000000 | (hi & 0x3fffff);
    LO = key | 0;
    return true;
  }
  if (key.length !== 16) return false;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 16; i++) {
    const c = key.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return false;
    if (i < 8) hi = (hi << 4) | d;
    else lo = (lo << 4) | d;
  }
  // String keys never share a table with int keys (a dataset has one key type), so no tag is
  // needed for correctness; only EMPTY_HI must not occur: hex 7fffffff… goes to the Map.
  if (hi === EMPTY_HI) return false;
  HI = hi;
  LO = lo;
  return true;
}

export class RecordCache {
  private young: Table;
  private old: Table | null = null;

  /** `capacity`: records per generation (at most twice as many are held). */
  constructor(private readonly capacity: number) {
    this.young = new Table(Math.max(1, capacity));
  }

  /** The cached record, `null` for a key known missing, `undefined` when not cached. */
  get(key: Key): Item | null | undefined {
    if (split(key)) {
      const hi = HI;
      const lo = LO;
      const s = this.young.find(hi, lo);
      if (s >= 0) return this.young.values[s];
      const old = this.old;
      if (old === null) return undefined;
      const t = old.find(hi, lo);
      if (t < 0) return undefined;
      const v = old.values[t]!;
      this.insert(hi, lo, v);
      return v;
    }
    const k = key as string;
    const v = this.young.strings.get(k);
    if (v !== undefined || this.old === null) return v;
    const w = this.old.strings.get(k);
    if (w !== undefined) this.set(k, w);
    return w;
  }

  set(key: Key, value: Item | null): void {
    if (split(key)) {
      const hi = HI;
      const lo = LO;
      const s = this.young.find(hi, lo);
      if (s >= 0) this.young.values[s] = value;
      else this.insert(hi, lo, value);
      return;
    }
    this.roll();
    const y = this.young;
    if (!y.strings.has(key as string)) y.count++;
    y.strings.set(key as string, value);
  }

  /** Records held (both generations; a promoted record counts twice). */
  get size(): number {
    return this.young.count + (this.old?.count ?? 0);
  }

  private insert(hi: number, lo: number, value: Item | null): void {
    if (this.roll()) {
      // a fresh young table: the slot must be searched again
      const s = this.young.find(hi, lo);
      this.put(this.young, ~s, hi, lo, value);
      return;
    }
    const s = this.young.find(hi, lo);
    this.put(this.young, ~s, hi, lo, value);
  }

  private put(t: Table, slot: number, hi: number, lo: number, value: Item | null): void {
    t.keys[slot * 2] = hi;
    t.keys[slot * 2 + 1] = lo;
    t.values[slot] = value;
    t.count++;
  }

  /** Starts a new young generation when the current one is full; true when it did. */
  private roll(): boolean {
    if (this.young.count < this.capacity) return false;
    this.old = this.young;
    this.young = new Table(this.capacity);
    return true;
  }
}
