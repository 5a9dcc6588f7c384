/**
 * The bytes of a JSON response, with the records' encodings memoized.
 *
 * A plan's response (SPEC §4: `{plan, responses: [{name, dataset, items: [record…]}], timings?}`) is
 * mostly records, and the tiers hand out the same record objects to every request that reads the
 * same key (the prod tier's record cache). Serialising a 200 KB related-pins response costs
 * 2–4 ms of CPU here (JSON.stringify, then UTF-8 encoding in the socket write) — more than the plan
 * itself. So each record object's UTF-8 JSON is kept in a WeakMap the first time it is sent, and a
 * response is assembled from those buffers: bytes identical to `JSON.stringify(body)`, at the cost
 * of a copy. Records are immutable once a tier returned them (a mutation would already corrupt the
 * tier cache for every later reader); a record not held by any cache is simply garbage-collected
 * with its entry.
 */

import { isShared } from '../engine/shared-lists.js';

const memo = new WeakMap<object, Buffer>();

const COMMA = Buffer.from(',');
const OPEN_ARRAY = Buffer.from('[');
const CLOSE_ARRAY = Buffer.from(']');
const CLOSE_OBJECT = Buffer.from('}');

/** `Buffer.from(JSON.stringify(body))`, faster when `body` is a plan response of shared records. */
export function encodeJson(body: unknown): Buffer {
  if (!isPlanResponse(body)) return Buffer.from(JSON.stringify(body));
  return Buffer.concat(encodeParts(body));
}

export interface PooledBytes {
  /**
   * The response's bytes in order: what was copied, in reused memory, and between those the large
   * memoized parts (a remembered list's bytes) themselves, which are never written to.
   */
  segments: Buffer[];
  /** Their total length. */
  length: number;
  /** Gives the memory back for a later response: call it only once the bytes were written. */
  release(): void;
}

/**
 * Small parts are copied into reused buffers: a fresh 200 KB buffer per response (what
 * `Buffer.concat` allocates) costs ~0.2 ms of CPU here in allocation and page faults, against
 * 0.03 ms to copy into memory already touched. A buffer not released (a connection destroyed
 * before the write finished) is simply left to the garbage collector.
 *
 * Parts of at least `BY_REFERENCE_MIN` bytes are not copied at all: the socket's `writev` takes
 * them as they are. In related-pins that is the `boards` list (~190 of ~220 KB), whose copy was
 * ~7 % of the server's CPU (perf: `__memmove_avx_unaligned_erms`).
 */
const POOL_MIN_BYTES = 16 * 1024;
const POOL_MAX_BUFFERS = 32;
const BY_REFERENCE_MIN = 16 * 1024;
const pool: Buffer[] = [];

/** The same bytes as {@link encodeJson}, as segments for one `writev` (see {@link PooledBytes}). */
export function encodeJsonPooled(body: unknown): PooledBytes {
  if (!isPlanResponse(body)) {
    const bytes = Buffer.from(JSON.stringify(body));
    return { segments: [bytes], length: bytes.length, release: noop };
  }
  const parts = encodeParts(body);
  let length = 0;
  let copied = 0;
  for (const part of parts) {
    length += part.length;
    if (part.length < BY_REFERENCE_MIN) copied += part.length;
  }
  const pooled = copied >= POOL_MIN_BYTES;
  const index = pooled ? pool.findIndex((b) => b.length >= copied) : -1;
  const memory =
    index >= 0
      ? pool.splice(index, 1)[0]!
      : pooled
        ? Buffer.allocUnsafeSlow(2 ** Math.ceil(Math.log2(copied)))
        : Buffer.allocUnsafe(copied);
  const segments: Buffer[] = [];
  let offset = 0;
  let start = 0;
  for (const part of parts) {
    if (part.length < BY_REFERENCE_MIN) {
      memory.set(part, offset);
      offset += part.length;
      continue;
    }
    if (offset > start) segments.push(memory.subarray(start, offset));
    segments.push(part);
    start = offset;
  }
  if (offset > start || segments.length === 0) segments.push(memory.subarray(start, offset));
  if (!pooled) return { segments, length, release: noop };
  let released = false;
  return {
    segments,
    length,
    release() {
      if (released) return;
      released = true;
      if (pool.length < POOL_MAX_BUFFERS) pool.push(memory);
    },
  };
}

const noop = (): void => {};

function encodeParts(body: Record<string, unknown>): Buffer[] {
  const parts: Buffer[] = [];
  writeObject(body, parts, (key, value) => {
    if (key !== 'responses' || !Array.isArray(value)) return false;
    parts.push(OPEN_ARRAY);
    value.forEach((response: unknown, i) => {
      if (i > 0) parts.push(COMMA);
      if (!isPlainObject(response)) {
        parts.push(Buffer.from(JSON.stringify(response) ?? 'null'));
        return;
      }
      writeObject(response, parts, (k, items) => {
        if (k !== 'items' || !Array.isArray(items)) return false;
        writeItems(items, parts);
        return true;
      });
    });
    parts.push(CLOSE_ARRAY);
    return true;
  });
  return parts;
}

/** Writes `{"key":value,…}` as JSON.stringify would; `special` may write a value itself. */
function writeObject(
  object: Record<string, unknown>,
  parts: Buffer[],
  special: (key: string, value: unknown) => boolean,
): void {
  let text = '{';
  let first = true;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    parts.push(Buffer.from(text));
    text = '';
    if (!special(key, value)) parts.push(Buffer.from(JSON.stringify(value)));
  }
  parts.push(text === '' ? CLOSE_OBJECT : Buffer.from(`${text}}`));
}

/** The bytes of lists the engine hands out again (see engine/shared-lists.ts), kept with them. */
const listMemo = new WeakMap<readonly unknown[], Buffer>();

function writeItems(items: readonly unknown[], parts: Buffer[]): void {
  if (!isShared(items)) {
    writeEachItem(items, parts);
    return;
  }
  let bytes = listMemo.get(items);
  if (bytes === undefined) {
    const own: Buffer[] = [];
    writeEachItem(items, own);
    bytes = Buffer.concat(own);
    listMemo.set(items, bytes);
  }
  parts.push(bytes);
}

function writeEachItem(items: readonly unknown[], parts: Buffer[]): void {
  parts.push(OPEN_ARRAY);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    const item = items[i];
    if (isPlainObject(item)) {
      let bytes = memo.get(item);
      if (bytes === undefined) {
        bytes = Buffer.from(JSON.stringify(item));
        memo.set(item, bytes);
      }
      parts.push(bytes);
    } else {
      // JSON.stringify writes null for undefined, functions and symbols inside arrays.
      parts.push(Buffer.from(JSON.stringify(item) ?? 'null'));
    }
  }
  parts.push(CLOSE_ARRAY);
}

/** A plain object without `toJSON` (whose JSON is exactly its own enumerable keys). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !('toJSON' in value);
}

function isPlanResponse(body: unknown): body is Record<string, unknown> {
  return isPlainObject(body) && Array.isArray(body['responses']);
}
