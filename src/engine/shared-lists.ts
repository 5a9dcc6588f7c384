/**
 * Lists the engine hands to more than one request: an expand's remembered scans (see
 * processors/expand-memo.ts). Like every node's output they are never mutated, and these come
 * back as the same objects, so a consumer may cache what it derives from one, keyed by the list
 * (the HTTP server keeps a shared list's JSON bytes: related-pins' `boards` output is ~80 % of
 * its response).
 */
const SHARED = new WeakSet<readonly unknown[]>();

export function markShared(list: readonly unknown[]): void {
  SHARED.add(list);
}

export function isShared(list: readonly unknown[]): boolean {
  return SHARED.has(list);
}
