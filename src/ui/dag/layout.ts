/**
 * Layered (Sugiyama-style) layout of a graph for a character grid, top to bottom:
 *
 * 1. cycles are broken by reversing DFS back edges (a plan with a cycle is invalid, but `plan show`
 *    must still draw it; reversed edges are marked and drawn with an upward arrow);
 * 2. longest-path layering, sources pulled down next to their first consumer, then a width bound:
 *    while a layer is wider than the terminal, a node is pushed to the next layer (with its
 *    successors), so wide plans wrap into more layers instead of running off the screen;
 * 3. long edges are cut into dummy nodes, one per layer they cross;
 * 4. crossings are reduced by barycenter sweeps (down and up, the best order is kept);
 * 5. x coordinates: each layer is pulled towards the ports of its neighbours, keeping order, gaps
 *    and the width bound;
 * 6. edges are routed orthogonally in the channel between two layers: one horizontal "bus" per
 *    source on its own track, drops to the targets' ports. Target ports never sit on another
 *    source's column, and a bus dropping where another source comes down gets a lower track, so
 *    lines never run into each other: `┼` is always a crossing, never a junction.
 *
 * The result is pure geometry (boxes, dummy runs, polylines, labels); `render-text.ts` draws it.
 */
import { cellWidth } from '../style.js';
import type { Graph, GraphNode } from './graph.js';

export interface LayoutOptions {
  /** Columns available (default 80). Layers wider than this wrap into further layers. */
  maxWidth?: number;
  /** Widest box (default: a third of `maxWidth`, between 12 and 30). */
  maxBoxWidth?: number;
}

export interface BoxGeom {
  id: string;
  node: GraphNode;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeRoute {
  from: string;
  to: string;
  label?: string;
  /** The edge closes a cycle: laid out upside down, drawn with an upward arrow. */
  reversed: boolean;
  /** Orthogonal polyline from the upper box's bottom border to the cell above the lower box. */
  points: Array<[number, number]>;
}

export interface LabelGeom {
  x: number;
  y: number;
  text: string;
}

export interface DagLayout {
  width: number;
  height: number;
  /** Node ids per layer, in drawing order (dummies excluded). */
  layers: string[][];
  boxes: BoxGeom[];
  edges: EdgeRoute[];
  /** Cells where an arrow head is drawn (`▼`, or `▲` for reversed edges). */
  arrows: Array<{ x: number; y: number; up: boolean }>;
  labels: LabelGeom[];
  /** Edge crossings between adjacent layers after ordering (for tests and tuning). */
  crossings: number;
}

const GAP = 2;
const SWEEPS = 8;

interface LNode {
  key: string;
  real: boolean;
  node?: GraphNode;
  width: number;
  height: number;
  layer: number;
  pos: number;
  x: number;
  up: LLink[];
  down: LLink[];
}

interface LLink {
  upper: LNode;
  lower: LNode;
  edge: number;
}

interface WorkEdge {
  from: string;
  to: string;
  label?: string;
  reversed: boolean;
}

export function defaultBoxWidth(maxWidth: number): number {
  return Math.max(12, Math.min(30, Math.floor((maxWidth - 2 * GAP) / 3)));
}

export function layoutDag(graph: Graph, options: LayoutOptions = {}): DagLayout {
  const maxWidth = Math.max(20, options.maxWidth ?? 80);
  const maxBox = Math.min(maxWidth, options.maxBoxWidth ?? defaultBoxWidth(maxWidth));

  // Nodes (first of a duplicated id wins), self-loops folded into their box.
  const nodes = new Map<string, GraphNode>();
  for (const n of graph.nodes) {
    if (nodes.has(n.id)) continue;
    const copy: GraphNode = { ...n, lines: [...n.lines] };
    // A badge that would squeeze the title moves to a line of its own.
    if (copy.badge !== undefined && cellWidth(copy.title) + cellWidth(copy.badge) + 1 > maxBox - 4) {
      copy.lines.push(copy.badge);
      if (copy.lineTones) copy.lineTones = [...copy.lineTones, copy.tone];
      delete copy.badge;
    }
    nodes.set(n.id, copy);
  }
  const edges = mergeEdges(graph, nodes);

  const order = [...nodes.keys()];
  const lnodes = new Map<string, LNode>();
  for (const id of order) {
    const node = nodes.get(id)!;
    lnodes.set(id, {
      key: id,
      real: true,
      node,
      width: boxWidth(node, maxBox),
      height: boxHeight(node),
      layer: 0,
      pos: 0,
      x: 0,
      up: [],
      down: [],
    });
  }

  const work = breakCycles(order, edges);
  assignLayers(order, work, lnodes, maxWidth);

  // Layered graph with dummies.
  const layerCount = Math.max(0, ...[...lnodes.values()].map((n) => n.layer)) + 1;
  const layers: LNode[][] = Array.from({ length: layerCount }, () => []);
  for (const id of order) layers[lnodes.get(id)!.layer]!.push(lnodes.get(id)!);
  work.forEach((e, i) => {
    const upper = lnodes.get(e.reversed ? e.to : e.from)!;
    const lower = lnodes.get(e.reversed ? e.from : e.to)!;
    let prev = upper;
    for (let l = upper.layer + 1; l < lower.layer; l++) {
      const d: LNode = {
        key: `\u0000${i}:${l}`,
        real: false,
        width: 1,
        height: 1,
        layer: l,
        pos: 0,
        x: 0,
        up: [],
        down: [],
      };
      layers[l]!.push(d);
      link(prev, d, i);
      prev = d;
    }
    link(prev, lower, i);
  });

  const crossings = orderLayers(layers);
  placeX(layers, maxWidth);
  straightenDummies(layers);

  // Vertical geometry and routing.
  const bandHeight = layers.map((ls) => Math.max(1, ...ls.map((n) => (n.real ? n.height : 1))));
  const routes = work.map<EdgeRoute>((e) => ({
    from: e.from,
    to: e.to,
    ...(e.label === undefined ? {} : { label: e.label }),
    reversed: e.reversed,
    points: [],
  }));
  const arrows: DagLayout['arrows'] = [];
  const labelRequests: Array<{ target: LNode; y: number; port: number; text: string }> = [];
  const bandTop: number[] = [];
  let y = 0;
  for (let l = 0; l < layers.length; l++) {
    bandTop[l] = y;
    for (const n of layers[l]!) {
      if (!n.real) {
        const link0 = n.up[0]!;
        addPoints(routes[link0.edge]!.points, [
          [n.x, y],
          [n.x, y + bandHeight[l]! - 1],
        ]);
      }
    }
    y += bandHeight[l]!;
    if (l < layers.length - 1) {
      const bottom = (n: LNode) => (n.real ? bandTop[l]! + n.height - 1 : bandTop[l]! + bandHeight[l]! - 1);
      const ch = routeChannel(layers[l]!, layers[l + 1]!);
      const arrowRow = y + ch.tracks;
      for (const r of ch.links) {
        const pts = routes[r.link.edge]!.points;
        const from: [number, number] = [r.sx, bottom(r.link.upper)];
        if (r.track === undefined) addPoints(pts, [from, [r.tx, arrowRow]]);
        else addPoints(pts, [from, [r.sx, y + r.track], [r.tx, y + r.track], [r.tx, arrowRow]]);
        if (r.link.lower.real) {
          const edge = work[r.link.edge]!;
          arrows.push({ x: r.tx, y: arrowRow, up: edge.reversed });
          const text = edge.reversed ? (edge.label ? `${edge.label} (cycle)` : 'cycle') : edge.label;
          if (text !== undefined) labelRequests.push({ target: r.link.lower, y: arrowRow, port: r.tx, text });
        }
      }
      y = arrowRow + 1;
    }
  }
  const height = y;

  // Boxes of layers whose band is taller keep their own height; the band pads below them.
  const boxes: BoxGeom[] = [];
  for (let l = 0; l < layers.length; l++)
    for (const n of layers[l]!)
      if (n.real)
        boxes.push({
          id: n.key,
          node: n.node!,
          layer: l,
          x: n.x,
          y: bandTop[l]!,
          width: n.width,
          height: n.height,
        });

  const labels = placeLabels(
    labelRequests,
    arrows,
    routes,
    Math.max(maxWidth, ...layers.flat().map((n) => n.x + n.width)),
  );
  let width = 0;
  for (const b of boxes) width = Math.max(width, b.x + b.width);
  for (const l of layers) for (const n of l) width = Math.max(width, n.x + n.width);
  for (const lab of labels) width = Math.max(width, lab.x + cellWidth(lab.text));

  return {
    width,
    height,
    layers: layers.map((ls) => ls.filter((n) => n.real).map((n) => n.key)),
    boxes,
    edges: routes,
    arrows: dedupeArrows(arrows),
    labels,
    crossings,
  };
}

function link(upper: LNode, lower: LNode, edge: number): void {
  const l: LLink = { upper, lower, edge };
  upper.down.push(l);
  lower.up.push(l);
}

function addPoints(points: Array<[number, number]>, more: Array<[number, number]>): void {
  for (const p of more) {
    const last = points[points.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    points.push(p);
  }
}

/** Known endpoints only; duplicates merged (labels joined); self-loops become a line in the box. */
function mergeEdges(graph: Graph, nodes: Map<string, GraphNode>): WorkEdge[] {
  const byPair = new Map<string, WorkEdge>();
  for (const e of graph.edges) {
    if (!nodes.has(e.from) || !nodes.has(e.to)) continue;
    if (e.from === e.to) {
      const n = nodes.get(e.from)!;
      if (!n.lines.includes('↺ feeds itself')) n.lines.push('↺ feeds itself');
      continue;
    }
    const key = `${e.from}\u0000${e.to}`;
    const prev = byPair.get(key);
    if (prev === undefined) {
      byPair.set(key, {
        from: e.from,
        to: e.to,
        reversed: false,
        ...(e.label === undefined ? {} : { label: e.label }),
      });
    } else if (e.label !== undefined) {
      prev.label = prev.label === undefined ? e.label : `${prev.label},${e.label}`;
    }
  }
  return [...byPair.values()];
}

export function boxWidth(node: GraphNode, maxBox: number): number {
  const title = cellWidth(node.title) + (node.badge ? cellWidth(node.badge) + 1 : 0);
  const content = Math.max(
    title,
    ...node.lines.map(cellWidth),
    node.problem === undefined ? 0 : cellWidth(node.problem) + 2,
  );
  return Math.max(7, Math.min(maxBox, content + 4));
}

export function boxHeight(node: GraphNode): number {
  return 3 + node.lines.length + (node.problem === undefined ? 0 : 1);
}

/** DFS in input order; an edge into a node on the stack closes a cycle and is reversed. */
function breakCycles(order: string[], edges: WorkEdge[]): WorkEdge[] {
  const out = new Map<string, number[]>();
  edges.forEach((e, i) => {
    const list = out.get(e.from) ?? [];
    list.push(i);
    out.set(e.from, list);
  });
  const state = new Map<string, 1 | 2>();
  for (const root of order) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const list = out.get(top.id) ?? [];
      if (top.next >= list.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const e = edges[list[top.next++]!]!;
      const s = state.get(e.to);
      if (s === 1) e.reversed = true;
      else if (s === undefined) {
        state.set(e.to, 1);
        stack.push({ id: e.to, next: 0 });
      }
    }
  }
  return edges;
}

function assignLayers(
  order: string[],
  edges: WorkEdge[],
  lnodes: Map<string, LNode>,
  maxWidth: number,
): void {
  const succ = new Map<string, string[]>(order.map((id) => [id, []]));
  const pred = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const e of edges) {
    const [a, b] = e.reversed ? [e.to, e.from] : [e.from, e.to];
    succ.get(a)!.push(b);
    pred.get(b)!.push(a);
  }
  // Kahn's order on the acyclic orientation; longest path from the sources.
  const indeg = new Map(order.map((id) => [id, pred.get(id)!.length]));
  const queue = order.filter((id) => indeg.get(id) === 0);
  const topo: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    topo.push(id);
    for (const s of succ.get(id)!) {
      indeg.set(s, indeg.get(s)! - 1);
      if (indeg.get(s) === 0) queue.push(s);
    }
  }
  const layer = (id: string) => lnodes.get(id)!.layer;
  for (const id of topo) {
    const ps = pred.get(id)!;
    lnodes.get(id)!.layer = ps.length === 0 ? 0 : Math.max(...ps.map(layer)) + 1;
  }
  // A source sits right above its first consumer rather than at the very top.
  for (const id of [...topo].reverse()) {
    const ss = succ.get(id)!;
    if (pred.get(id)!.length === 0 && ss.length > 0) lnodes.get(id)!.layer = Math.min(...ss.map(layer)) - 1;
  }

  // Width bound: push nodes of an over-wide layer down (with whatever must follow them).
  const topoIndex = new Map(topo.map((id, i) => [id, i]));
  const push = (id: string): void => {
    const n = lnodes.get(id)!;
    n.layer++;
    for (const s of succ.get(id)!) if (layer(s) <= n.layer) push(s);
  };
  const closure = (id: string, seen = new Set<string>()): number => {
    seen.add(id);
    for (const s of succ.get(id)!) if (!seen.has(s) && layer(s) <= layer(id) + 1) closure(s, seen);
    return seen.size;
  };
  for (let iter = 0; iter < 4 * order.length + 10; iter++) {
    const widths = new Map<number, number>();
    const counts = new Map<number, number>();
    const addTo = (l: number, w: number) => {
      widths.set(l, (widths.get(l) ?? 0) + w + (counts.get(l) ? GAP : 0));
      counts.set(l, (counts.get(l) ?? 0) + 1);
    };
    for (const id of order) addTo(layer(id), lnodes.get(id)!.width);
    for (const e of edges) {
      const [a, b] = e.reversed ? [e.to, e.from] : [e.from, e.to];
      for (let l = layer(a) + 1; l < layer(b); l++) addTo(l, 1);
    }
    const overflowing = [...widths.entries()].filter(([, w]) => w > maxWidth).sort((p, q) => p[0] - q[0]);
    let pushed = false;
    for (const [l] of overflowing) {
      const inLayer = order.filter((id) => layer(id) === l);
      if (inLayer.length < 2) continue; // one box alone: nothing to wrap
      const candidates = inLayer
        .map((id) => ({
          id,
          // Moving a box down frees its width but adds a dummy column per input.
          gain: lnodes.get(id)!.width + GAP - pred.get(id)!.length * (1 + GAP),
          cost: closure(id),
          index: topoIndex.get(id) ?? 0,
        }))
        .filter((c) => c.gain > 0)
        .sort((p, q) => p.cost - q.cost || q.index - p.index);
      if (candidates.length === 0) continue;
      push(candidates[0]!.id);
      pushed = true;
      break;
    }
    if (!pushed) break;
  }
}

/** Barycenter sweeps; returns the crossing count of the best order found (which is kept). */
function orderLayers(layers: LNode[][]): number {
  // Initial order: each layer sorted by its parents' positions (keeps input order for ties).
  const setPos = () => {
    for (const l of layers)
      l.forEach((n, i) => {
        n.pos = i;
      });
  };
  setPos();
  for (let l = 1; l < layers.length; l++) sortBy(layers[l]!, (n) => bary(n.up.map((k) => k.upper.pos)));
  setPos();
  let best = layers.map((l) => [...l]);
  let bestCount = countCrossings(layers);
  for (let s = 0; s < SWEEPS && bestCount > 0; s++) {
    if (s % 2 === 0) {
      for (let l = 1; l < layers.length; l++) {
        sortBy(layers[l]!, (n) => bary(n.up.map((k) => k.upper.pos)));
        layers[l]!.forEach((n, i) => {
          n.pos = i;
        });
      }
    } else {
      for (let l = layers.length - 2; l >= 0; l--) {
        sortBy(layers[l]!, (n) => bary(n.down.map((k) => k.lower.pos)));
        layers[l]!.forEach((n, i) => {
          n.pos = i;
        });
      }
    }
    const c = countCrossings(layers);
    if (c < bestCount) {
      bestCount = c;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((l, i) => {
    layers[i] = l;
  });
  setPos();
  return bestCount;
}

function bary(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Stable sort by a key; nodes without one keep their current position as the key. */
function sortBy(layer: LNode[], key: (n: LNode) => number | undefined): void {
  const keyed = layer.map((n, i) => ({ n, k: key(n) ?? n.pos, i }));
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  keyed.forEach((e, i) => {
    layer[i] = e.n;
  });
}

export function countCrossingsBetween(links: Array<[number, number]>): number {
  let c = 0;
  for (let i = 0; i < links.length; i++)
    for (let j = i + 1; j < links.length; j++) {
      const [a1, b1] = links[i]!;
      const [a2, b2] = links[j]!;
      if ((a1 - a2) * (b1 - b2) < 0) c++;
    }
  return c;
}

function countCrossings(layers: LNode[][]): number {
  let c = 0;
  for (let l = 0; l < layers.length - 1; l++) {
    const links: Array<[number, number]> = [];
    for (const n of layers[l]!) for (const k of n.down) links.push([k.upper.pos, k.lower.pos]);
    c += countCrossingsBetween(links);
  }
  return c;
}

const center = (n: LNode) => n.x + Math.floor(n.width / 2);

function placeX(layers: LNode[][], maxWidth: number): void {
  const packed = (l: LNode[]) => l.reduce((w, n) => w + n.width, 0) + GAP * Math.max(0, l.length - 1);
  const bound = Math.max(maxWidth, ...layers.map(packed));
  for (const l of layers)
    place(
      l,
      l.map(() => 0),
      bound,
    );
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const desired = (n: LNode, ports: number[]) =>
    ports.length === 0 ? n.x : Math.round(mean(ports)) - Math.floor(n.width / 2);
  // Centre a layer's nodes on their neighbours above (`up`) or below (`down`).
  const align = (l: number, side: 'up' | 'down') => {
    const ls = layers[l]!;
    const ports = (n: LNode) =>
      side === 'up' ? n.up.map((k) => center(k.upper)) : n.down.map((k) => center(k.lower));
    place(
      ls,
      ls.map((n) => desired(n, ports(n))),
      bound,
    );
  };
  for (let pass = 0; pass < 4; pass++) {
    for (let l = 1; l < layers.length; l++) align(l, 'up');
    for (let l = layers.length - 2; l >= 0; l--) align(l, 'down');
  }
  // Final top-down pass so long edges (dummies) hang straight below their source.
  for (let l = 1; l < layers.length; l++) align(l, 'up');
  const minX = Math.min(...layers.flat().map((n) => n.x));
  if (Number.isFinite(minX) && minX > 0) for (const n of layers.flat()) n.x -= minX;
}

/** Positions as close to `desired` as order, gaps and [0, bound) allow. */
function place(layer: LNode[], desired: number[], bound: number): void {
  const n = layer.length;
  const x = desired.map((d) => Math.max(0, d));
  for (let i = 1; i < n; i++) x[i] = Math.max(x[i]!, x[i - 1]! + layer[i - 1]!.width + GAP);
  for (let i = n - 1; i >= 0; i--) {
    const limit = i === n - 1 ? bound - layer[i]!.width : x[i + 1]! - GAP - layer[i]!.width;
    x[i] = Math.min(x[i]!, limit);
  }
  for (let i = 0; i < n; i++) x[i] = Math.max(x[i]!, i === 0 ? 0 : x[i - 1]! + layer[i - 1]!.width + GAP);
  layer.forEach((node, i) => {
    node.x = x[i]!;
  });
}

/**
 * A long edge whose dummy sits below ANOTHER source's port drops where that source comes down, so
 * its bus must run below that source's; when such constraints form a cycle (two dummies swapping
 * columns, or a rotation through several), no order of tracks works and lines would run into each
 * other. So, top down, a dummy off its source's column trades columns with the dummy that sits
 * below its source: each trade puts one dummy straight under its source for good, and the
 * layer's set of columns (its packing) does not change.
 */
function straightenDummies(layers: LNode[][]): void {
  const port = (n: LNode) => (n.real ? center(n) : n.x);
  for (let l = 1; l < layers.length; l++) {
    const dummies = layers[l]!.filter((n) => !n.real && n.up.length === 1);
    const source = (d: LNode) => port(d.up[0]!.upper);
    const at = new Map(dummies.map((d) => [d.x, d]));
    for (let moved = true; moved; ) {
      moved = false;
      for (const d of dummies) {
        const target = source(d);
        const other = at.get(target);
        if (d.x === target || other === undefined || source(other) === target) continue;
        other.x = d.x;
        d.x = target;
        at.set(other.x, other);
        at.set(d.x, d);
        moved = true;
      }
    }
    layers[l]!.sort((p, q) => p.x - q.x);
    layers[l]!.forEach((n, i) => {
      n.pos = i;
    });
  }
}

interface RoutedLink {
  link: LLink;
  sx: number;
  tx: number;
  track?: number;
}

/** Ports, buses and tracks of the channel between two adjacent layers. */
function routeChannel(upper: LNode[], lower: LNode[]): { links: RoutedLink[]; tracks: number } {
  const links = upper.flatMap((n) => n.down);
  const sourcePort = (n: LNode) => (n.real ? center(n) : n.x);
  const sources = new Set(links.map((k) => sourcePort(k.upper)));
  const targetPort = new Map<LNode, number>();
  for (const t of lower) {
    if (t.up.length === 0) continue;
    if (!t.real) {
      targetPort.set(t, t.x);
      continue;
    }
    const lo = t.x + 1;
    const hi = t.x + t.width - 2;
    // A single input straight above the box: a straight line, no bus.
    if (t.up.length === 1) {
      const s = sourcePort(t.up[0]!.upper);
      if (s >= lo && s <= hi) {
        targetPort.set(t, s);
        continue;
      }
    }
    const c = center(t);
    // Not on a source's column (lines would merge); preferably not next to one either (cramped).
    const clear = (v: number) => !sources.has(v - 1) && !sources.has(v) && !sources.has(v + 1);
    const free = (v: number) => !sources.has(v);
    let chosen: number | undefined;
    for (const ok of [clear, free]) {
      for (let d = 0; d <= t.width && chosen === undefined; d++)
        chosen = [c - d, c + d].find((v) => v >= lo && v <= hi && ok(v));
      if (chosen !== undefined) break;
    }
    targetPort.set(t, chosen ?? c);
  }

  const routed: RoutedLink[] = links.map((k) => ({
    link: k,
    sx: sourcePort(k.upper),
    tx: targetPort.get(k.lower)!,
  }));

  // One bus per source over the links that are not straight.
  interface Bus {
    sx: number;
    drops: Set<number>;
    lo: number;
    hi: number;
    links: RoutedLink[];
    track: number;
  }
  const buses = new Map<LNode, Bus>();
  for (const r of routed) {
    if (r.sx === r.tx) continue;
    const b = buses.get(r.link.upper) ?? {
      sx: r.sx,
      drops: new Set<number>(),
      lo: r.sx,
      hi: r.sx,
      links: [],
      track: -1,
    };
    b.drops.add(r.tx);
    b.lo = Math.min(b.lo, r.tx);
    b.hi = Math.max(b.hi, r.tx);
    b.links.push(r);
    buses.set(r.link.upper, b);
  }
  const list = [...buses.values()].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  // A bus whose source column is a drop column of another bus must run above that one.
  const above = new Map<Bus, Bus[]>(list.map((b) => [b, []]));
  for (const a of list) for (const b of list) if (a !== b && b.drops.has(a.sx)) above.get(b)!.push(a);
  const ordered = topoBuses(list, above);
  const tracks: Bus[][] = [];
  for (const b of ordered) {
    let t = Math.max(0, ...above.get(b)!.map((a) => (a.track >= 0 ? a.track + 1 : 0)));
    while ((tracks[t] ?? []).some((o) => !(b.hi + 1 < o.lo || o.hi + 1 < b.lo))) t++;
    b.track = t;
    const onTrack = tracks[t] ?? [];
    onTrack.push(b);
    tracks[t] = onTrack;
    for (const r of b.links) r.track = t;
  }
  return { links: routed, tracks: tracks.length };
}

function topoBuses<B>(list: B[], above: Map<B, B[]>): B[] {
  const out: B[] = [];
  const state = new Map<B, 1 | 2>();
  const visit = (b: B) => {
    if (state.get(b) === 2 || state.get(b) === 1) return; // a cycle of constraints: ignore the back one
    state.set(b, 1);
    for (const a of above.get(b)!) visit(a);
    state.set(b, 2);
    out.push(b);
  };
  for (const b of list) visit(b);
  return out;
}

function dedupeArrows(arrows: DagLayout['arrows']): DagLayout['arrows'] {
  const seen = new Map<string, { x: number; y: number; up: boolean }>();
  for (const a of arrows) {
    const key = `${a.x},${a.y}`;
    const prev = seen.get(key);
    // A port shared by forward and reversed edges points down (the label says "cycle").
    if (prev === undefined) seen.set(key, { ...a });
    else prev.up = prev.up && a.up;
  }
  return [...seen.values()];
}

/** One label per target port: right of the arrow inside the box's span, or left of it. */
function placeLabels(
  requests: Array<{ target: LNode; y: number; port: number; text: string }>,
  arrows: DagLayout['arrows'],
  routes: EdgeRoute[],
  maxWidth: number,
): LabelGeom[] {
  const byPort = new Map<string, { target: LNode; y: number; port: number; texts: string[] }>();
  for (const r of requests) {
    const key = `${r.port},${r.y}`;
    const prev = byPort.get(key);
    if (prev) {
      if (!prev.texts.includes(r.text)) prev.texts.push(r.text);
    } else byPort.set(key, { target: r.target, y: r.y, port: r.port, texts: [r.text] });
  }
  const busy = new Set<string>();
  for (const a of arrows) busy.add(`${a.x},${a.y}`);
  for (const e of routes)
    for (let i = 0; i + 1 < e.points.length; i++) {
      const [x1, y1] = e.points[i]!;
      const [x2, y2] = e.points[i + 1]!;
      for (let x = Math.min(x1, x2); x <= Math.max(x1, x2); x++)
        for (let y = Math.min(y1, y2); y <= Math.max(y1, y2); y++) busy.add(`${x},${y}`);
    }
  const out: LabelGeom[] = [];
  const isBusy = (x: number, y: number) => busy.has(`${x},${y}`);
  for (const r of byPort.values()) {
    const text = r.texts.join(', ');
    const want = cellWidth(text);
    // Room to the right of the arrow (past the box if the row is free there), else to the left;
    // one blank cell is kept before anything else drawn on the row.
    let right = 0;
    while (
      right < want &&
      r.port + 2 + right < maxWidth &&
      !isBusy(r.port + 2 + right, r.y) &&
      !isBusy(r.port + 3 + right, r.y)
    )
      right++;
    let left = 0;
    while (
      left < want &&
      r.port - 2 - left >= 0 &&
      !isBusy(r.port - 2 - left, r.y) &&
      !isBusy(r.port - 3 - left, r.y)
    )
      left++;
    const useRight = right >= want || right >= left;
    const len = useRight ? right : left;
    if (len <= 0) continue;
    const shown = cut(text, len);
    const x = useRight ? r.port + 2 : r.port - 1 - len;
    out.push({ x, y: r.y, text: shown });
    for (let i = 0; i < len; i++) busy.add(`${x + i},${r.y}`);
  }
  return out;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}
