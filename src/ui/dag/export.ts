/**
 * The same graph for documentation tools: Graphviz DOT and Mermaid flowcharts
 * (`disco plan graph --format dot|mermaid`). Ids and text are quoted/escaped so any node name
 * and any label survive.
 */
import { isTierTone } from '../palette.js';
import type { Graph, GraphNode } from './graph.js';

const DOT_TIER_COLOR: Record<string, string> = {
  prod: '#2e7d32',
  batch: '#00838f',
  archive: '#8e24aa',
  debug: '#f9a825',
};

function dotString(text: string): string {
  return `"${text.replace(/\\/gu, '\\\\').replace(/"/gu, '\\"').replace(/\n/gu, '\\n')}"`;
}

function nodeText(n: GraphNode): string[] {
  const head = n.badge ? `${n.title}  ${n.badge}` : n.title;
  return [head, ...n.lines, ...(n.problem === undefined ? [] : [`✖ ${n.problem}`])];
}

export function toDot(graph: Graph, name = 'plan'): string {
  const out = [
    `digraph ${dotString(name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, style="rounded", fontname="Helvetica"];',
  ];
  for (const n of graph.nodes) {
    const attrs = [`label=${dotString(nodeText(n).join('\n'))}`];
    if (n.problem !== undefined) attrs.push('color="#c62828"', 'penwidth=2');
    else if (isTierTone(n.tone)) attrs.push(`color="${DOT_TIER_COLOR[n.tone]}"`);
    out.push(`  ${dotString(n.id)} [${attrs.join(', ')}];`);
  }
  for (const e of graph.edges) {
    const label = e.label === undefined ? '' : ` [label=${dotString(e.label)}]`;
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${label};`);
  }
  out.push('}');
  return out.join('\n');
}

/** Mermaid ids must be simple: nodes get `n0, n1, …`; names live in the (quoted) labels. */
export function toMermaid(graph: Graph): string {
  const ids = new Map<string, string>();
  graph.nodes.forEach((n, i) => {
    if (!ids.has(n.id)) ids.set(n.id, `n${i}`);
  });
  const text = (s: string) => s.replace(/"/gu, '#quot;').replace(/</gu, '#lt;').replace(/>/gu, '#gt;');
  const out = ['flowchart TD'];
  for (const n of graph.nodes) {
    if (ids.get(n.id) !== `n${graph.nodes.indexOf(n)}`) continue;
    out.push(`  ${ids.get(n.id)}["${nodeText(n).map(text).join('<br/>')}"]`);
  }
  for (const e of graph.edges) {
    const a = ids.get(e.from);
    const b = ids.get(e.to);
    if (a === undefined || b === undefined) continue;
    out.push(e.label === undefined ? `  ${a} --> ${b}` : `  ${a} -->|"${text(e.label)}"| ${b}`);
  }
  const classes = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const cls = n.problem !== undefined ? 'problem' : isTierTone(n.tone) ? n.tone : undefined;
    if (cls === undefined) continue;
    classes.set(cls, [...(classes.get(cls) ?? []), ids.get(n.id)!]);
  }
  for (const [cls, members] of classes) {
    const color = cls === 'problem' ? '#c62828' : DOT_TIER_COLOR[cls]!;
    out.push(`  classDef ${cls} stroke:${color},stroke-width:2px`);
    out.push(`  class ${[...new Set(members)].join(',')} ${cls}`);
  }
  return out.join('\n');
}
