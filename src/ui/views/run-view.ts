/**
 * The `disco plan run` view: the response lists as small tables, then a waterfall of the node
 * timings in the DAG's topological order, with the critical path (the chain of inputs that
 * finished last) highlighted — that is where the latency goes.
 */
import type { NodeTiming, PlanResponse } from '../../engine/response.js';
import { type Block, heading, line, text, vstack } from '../blocks.js';
import { formatMs, spanBar } from '../charts.js';
import type { Graph } from '../dag/graph.js';
import { BAD_STYLE, DIM_STYLE, HIGHLIGHT_STYLE, TIER_STYLE, isTierTone } from '../palette.js';
import { styledTable } from '../styled-table.js';
import { type StyledLine, cellWidth, padEnd, truncate } from '../style.js';
import { formatValue } from './debug-key-view.js';

export interface RunViewOptions {
  width: number;
  ascii?: boolean;
  /** Items shown per response list (default 10). */
  maxItems?: number;
}

/** Node names in a topological order of `graph` (input order breaks ties); unknown names last. */
export function topologicalOrder(graph: Graph | undefined, names: readonly string[]): string[] {
  if (graph === undefined) return [...names];
  const indeg = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges)
    if (indeg.has(e.from) && indeg.has(e.to)) indeg.set(e.to, indeg.get(e.to)! + 1);
  const order: string[] = [];
  const ready = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of graph.edges)
      if (e.from === id && indeg.has(e.to)) {
        indeg.set(e.to, indeg.get(e.to)! - 1);
        if (indeg.get(e.to) === 0) ready.push(e.to);
      }
  }
  const known = new Set(order);
  return [...order.filter((n) => names.includes(n)), ...names.filter((n) => !known.has(n))];
}

/**
 * The critical path: from the node that finished last, repeatedly the input that finished last.
 * Without a graph it is just the last node.
 */
export function criticalPath(timings: readonly NodeTiming[], graph: Graph | undefined): string[] {
  if (timings.length === 0) return [];
  const byName = new Map(timings.map((t) => [t.node, t]));
  let current = timings.reduce((a, b) => (b.end_ms > a.end_ms ? b : a));
  const path = [current.node];
  const seen = new Set(path);
  while (graph) {
    const preds = graph.edges
      .filter((e) => e.to === current.node)
      .map((e) => byName.get(e.from))
      .filter((t): t is NodeTiming => t !== undefined && !seen.has(t.node));
    if (preds.length === 0) break;
    current = preds.reduce((a, b) => (b.end_ms > a.end_ms ? b : a));
    path.unshift(current.node);
    seen.add(current.node);
  }
  return path;
}

export function waterfall(
  timings: readonly NodeTiming[],
  graph: Graph | undefined,
  options: RunViewOptions,
  totalMs?: number,
): StyledLine[] {
  if (timings.length === 0) return [line(text('no node timings', DIM_STYLE))];
  const order = topologicalOrder(
    graph,
    timings.map((t) => t.node),
  );
  const byName = new Map(timings.map((t) => [t.node, t]));
  const critical = new Set(criticalPath(timings, graph));
  const total = Math.max(totalMs ?? 0, ...timings.map((t) => t.end_ms), 1e-6);
  const nameW = Math.min(24, Math.max(4, ...order.map((n) => cellWidth(n) + 2)));
  const procW = Math.min(12, Math.max(4, ...timings.map((t) => cellWidth(t.processor))));
  const tailW = 22;
  const barW = Math.max(10, options.width - nameW - procW - tailW - 4);
  const rows: StyledLine[] = [
    [
      text(`${padEnd('node', nameW)}  ${padEnd('use', procW)}  `, DIM_STYLE),
      text(
        padEnd(
          `0 ${'─'.repeat(Math.max(0, barW - cellWidth(formatMs(total)) - 3))} ${formatMs(total)}`,
          barW,
        ),
        DIM_STYLE,
      ),
      text('  start     duration', DIM_STYLE),
    ],
  ];
  for (const name of order) {
    const t = byName.get(name)!;
    const onPath = critical.has(name);
    const mark = onPath ? (options.ascii ? '* ' : '▸ ') : '  ';
    const barStyle =
      t.status === 'error'
        ? BAD_STYLE
        : onPath
          ? HIGHLIGHT_STYLE
          : isTierTone(t.tier)
            ? TIER_STYLE[t.tier]
            : DIM_STYLE;
    rows.push([
      text(padEnd(truncate(mark + name, nameW), nameW), onPath ? HIGHLIGHT_STYLE : undefined),
      text(`  ${padEnd(truncate(t.processor, procW), procW)}  `),
      text(padEnd(spanBar(t.start_ms, t.end_ms, total, barW, options.ascii), barW), barStyle),
      text(`  ${formatMs(t.start_ms).padStart(8)}  ${formatMs(t.end_ms - t.start_ms).padStart(8)}`),
      ...(t.status === 'ok' ? [] : [text(` ${t.status}`, BAD_STYLE)]),
    ]);
  }
  rows.push(line(text(`critical path: ${[...critical].join(' → ')}`, HIGHLIGHT_STYLE)));
  return rows;
}

function responseTable(list: PlanResponse['responses'][number], options: RunViewOptions): Block {
  const max = options.maxItems ?? 10;
  const head: Block = [
    heading(
      `${list.name}`,
      `${list.dataset ?? 'rows'} · ${list.items.length} item${list.items.length === 1 ? '' : 's'}`,
    ),
  ];
  if (list.items.length === 0) return [...head, line(text('  (empty)', DIM_STYLE))];
  const fields: string[] = [];
  for (const item of list.items.slice(0, max))
    for (const [k, v] of Object.entries(item))
      if (!fields.includes(k) && (v === null || typeof v !== 'object')) fields.push(k);
  // As many scalar columns as the width allows (at least the key-like first one).
  const shown: string[] = [];
  let used = 0;
  for (const f of fields) {
    const w = Math.min(
      30,
      Math.max(f.length, ...list.items.slice(0, max).map((i) => cellWidth(formatValue(i[f])))),
    );
    if (shown.length > 0 && used + w + 2 > options.width - 2) break;
    shown.push(f);
    used += w + 2;
  }
  const table = styledTable(
    list.items.slice(0, max),
    shown.map((f) => ({ header: f, value: (i: Record<string, unknown>) => formatValue(i[f]), maxWidth: 30 })),
  ).map((l) => [text('  '), ...l]);
  const more = list.items.length > max ? [line(text(`  … ${list.items.length - max} more`, DIM_STYLE))] : [];
  return [...head, ...table, ...more];
}

export function runView(
  response: PlanResponse,
  graph: Graph | undefined,
  options: RunViewOptions,
): StyledLine[] {
  const blocks: Block[] = [
    [
      heading(
        `plan ${response.plan}`,
        response.timings ? `${formatMs(response.timings.total_ms)} total` : undefined,
      ),
    ],
  ];
  for (const list of response.responses) blocks.push(responseTable(list, options));
  if (response.errors && response.errors.length > 0)
    blocks.push([
      line(text('node errors the response survived:', BAD_STYLE)),
      ...response.errors.map((e) =>
        line(text(`  ${e.node}: ${e.message} (${e.handled}${e.by ? ` by ${e.by}` : ''})`, BAD_STYLE)),
      ),
    ]);
  if (response.timings)
    blocks.push(waterfall(response.timings.nodes, graph, options, response.timings.total_ms));
  return vstack(blocks);
}
