/**
 * The critical path of a plan run: the chain of nodes, from a source to an output, whose summed
 * latency is the largest — the nodes worth optimising first. Computed on the DAG with each node
 * weighted by its (median) latency.
 */

export interface PathNode {
  node: string;
  /** The nodes whose outputs this node reads. */
  inputs: readonly string[];
  ms: number;
}

/** Node names along the heaviest path (source first). Unknown inputs are ignored; cycles are not expected. */
export function criticalPath(nodes: readonly PathNode[]): string[] {
  const byName = new Map(nodes.map((n) => [n.node, n]));
  const best = new Map<string, { total: number; via: string | undefined }>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = best.get(name);
    if (known) return known.total;
    const node = byName.get(name);
    if (!node || visiting.has(name)) return 0;
    visiting.add(name);
    let via: string | undefined;
    let longest = 0;
    for (const input of node.inputs) {
      const base = input.split('.')[0]!; // `split.port` → `split`
      if (!byName.has(base)) continue;
      const t = visit(base);
      if (via === undefined || t > longest) {
        longest = t;
        via = base;
      }
    }
    visiting.delete(name);
    const total = longest + node.ms;
    best.set(name, { total, via });
    return total;
  };
  let end: string | undefined;
  let endTotal = -1;
  for (const n of nodes) {
    const t = visit(n.node);
    if (t > endTotal) {
      endTotal = t;
      end = n.node;
    }
  }
  const path: string[] = [];
  for (let at = end; at !== undefined; at = best.get(at)?.via) path.unshift(at);
  return path;
}
