/** Plain JSON values from positioned YAML nodes (param defaults, literal keys). */
import type { YNode } from './yaml-tree.js';

export function toPlain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries)
    Object.defineProperty(out, e.key, {
      value: toPlain(e.value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
