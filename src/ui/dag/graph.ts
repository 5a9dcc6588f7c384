/**
 * The generic graph every DAG view draws: execution plans (`plan show`, `plan run`) and the
 * offline job DAG (`jobs run`) are turned into this shape by small adapters.
 */
import type { Tone } from '../palette.js';

export interface GraphNode {
  id: string;
  title: string;
  /** Extra lines inside the box (processor, tier · dataset, timings, rows …). */
  lines: string[];
  /** Short text on the title line, right-aligned (e.g. `→ pins`, `✔ 1.2s`). */
  badge?: string;
  /** A validation problem: the box is marked and the text shown in it. */
  problem?: string;
  /** Colour of the box border (a tier or a status). */
  tone?: Tone;
  /** Colour of individual lines (same index as `lines`). */
  lineTones?: Array<Tone | undefined>;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Drawn next to the arrow (e.g. the `split` port). */
  label?: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
