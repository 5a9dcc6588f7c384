/** Geometric invariants of a DAG layout, shared by the layout tests (returns the violations). */
import type { Graph } from '../../src/ui/dag/graph.js';
import type { DagLayout } from '../../src/ui/dag/layout.js';

export function layoutViolations(graph: Graph, layout: DagLayout): string[] {
  const out: string[] = [];
  const box = new Map(layout.boxes.map((b) => [b.id, b]));
  // Every node is drawn once.
  const ids = new Set(graph.nodes.map((n) => n.id));
  if (layout.boxes.length !== ids.size) out.push(`${layout.boxes.length} boxes for ${ids.size} nodes`);
  // No overlapping boxes.
  for (let i = 0; i < layout.boxes.length; i++)
    for (let j = i + 1; j < layout.boxes.length; j++) {
      const a = layout.boxes[i]!;
      const b = layout.boxes[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        out.push(`boxes ${a.id} and ${b.id} overlap`);
    }
  // Every edge between two distinct known nodes is routed, from the upper box to above the lower box.
  const pairs = new Set(
    graph.edges
      .filter((e) => e.from !== e.to && ids.has(e.from) && ids.has(e.to))
      .map((e) => `${e.from}>${e.to}`),
  );
  const routed = new Set(layout.edges.map((e) => `${e.from}>${e.to}`));
  for (const p of pairs) if (!routed.has(p)) out.push(`edge ${p} not drawn`);
  const cells = new Map<string, Array<{ edge: number; dir: 'h' | 'v' }>>();
  layout.edges.forEach((e, k) => {
    const [upper, lower] = e.reversed
      ? [box.get(e.to)!, box.get(e.from)!]
      : [box.get(e.from)!, box.get(e.to)!];
    // Layers respect edges.
    if (!(upper.layer < lower.layer)) out.push(`edge ${e.from}>${e.to} does not go down the layers`);
    const first = e.points[0];
    const last = e.points[e.points.length - 1];
    if (!first || !last) {
      out.push(`edge ${e.from}>${e.to} has no route`);
      return;
    }
    if (
      first[1] !== upper.y + upper.height - 1 ||
      first[0] <= upper.x ||
      first[0] >= upper.x + upper.width - 1
    )
      out.push(`edge ${e.from}>${e.to} does not start on ${upper.id}'s bottom border`);
    if (last[1] !== lower.y - 1 || last[0] <= lower.x || last[0] >= lower.x + lower.width - 1)
      out.push(`edge ${e.from}>${e.to} does not end above ${lower.id}`);
    for (let i = 0; i + 1 < e.points.length; i++) {
      const [x1, y1] = e.points[i]!;
      const [x2, y2] = e.points[i + 1]!;
      if (x1 !== x2 && y1 !== y2) out.push(`edge ${e.from}>${e.to} has a diagonal segment`);
      const dir = x1 === x2 ? 'v' : 'h';
      for (let x = Math.min(x1, x2); x <= Math.max(x1, x2); x++)
        for (let y = Math.min(y1, y2); y <= Math.max(y1, y2); y++) {
          const key = `${x},${y}`;
          cells.set(key, [...(cells.get(key) ?? []), { edge: k, dir }]);
          // Lines never run through a box (the start cell is the upper box's border).
          for (const b of layout.boxes)
            if (
              x >= b.x &&
              x < b.x + b.width &&
              y >= b.y &&
              y < b.y + b.height &&
              !(b === upper && y === first[1])
            )
              out.push(`edge ${e.from}>${e.to} runs through box ${b.id} at ${key}`);
        }
    }
  });
  // Two lines share a cell in the same direction only when they share a source or a target.
  for (const [key, uses] of cells)
    for (let i = 0; i < uses.length; i++)
      for (let j = i + 1; j < uses.length; j++) {
        const a = layout.edges[uses[i]!.edge]!;
        const b = layout.edges[uses[j]!.edge]!;
        const top = (e: typeof a) => (e.reversed ? e.to : e.from);
        const bottom = (e: typeof a) => (e.reversed ? e.from : e.to);
        if (
          uses[i]!.edge !== uses[j]!.edge &&
          uses[i]!.dir === uses[j]!.dir &&
          top(a) !== top(b) &&
          bottom(a) !== bottom(b)
        )
          out.push(`edges ${a.from}>${a.to} and ${b.from}>${b.to} overlap at ${key}`);
      }
  return [...new Set(out)];
}
