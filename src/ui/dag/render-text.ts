/**
 * Draws a `DagLayout` on a character grid: boxes with box-drawing borders (or ASCII), edges as
 * orthogonal lines whose junctions are computed from connection bits, arrow heads and labels.
 * The result is styled lines (`style.ts`), so the same picture becomes ANSI text, plain text or
 * Ink `<Text>`.
 */
import { EDGE_STYLE, LABEL_STYLE, PROBLEM_GLYPH, PROBLEM_STYLE, TITLE_STYLE, toneStyle } from '../palette.js';
import { type Style, type StyledLine, cellWidth, linesToString, truncate } from '../style.js';
import type { Graph } from './graph.js';
import { type DagLayout, type LayoutOptions, layoutDag } from './layout.js';

export interface DagTextOptions extends LayoutOptions {
  /** ASCII only (`+ - | v`), for terminals and logs without Unicode. */
  ascii?: boolean;
}

const U = 1;
const D = 2;
const L = 4;
const R = 8;

const UNICODE: Record<number, string> = {
  [U]: '│',
  [D]: '│',
  [U | D]: '│',
  [L]: '─',
  [R]: '─',
  [L | R]: '─',
  [D | R]: '┌',
  [D | L]: '┐',
  [U | R]: '└',
  [U | L]: '┘',
  [U | D | R]: '├',
  [U | D | L]: '┤',
  [D | L | R]: '┬',
  [U | L | R]: '┴',
  [U | D | L | R]: '┼',
};

function glyph(mask: number, ascii: boolean): string {
  if (!ascii) return UNICODE[mask] ?? ' ';
  if (mask === 0) return ' ';
  if ((mask & (L | R)) === 0) return '|';
  if ((mask & (U | D)) === 0) return '-';
  return '+';
}

class Canvas {
  readonly mask: number[][];
  readonly text: Array<Array<string | undefined>>;
  readonly style: Array<Array<Style | undefined>>;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.mask = Array.from({ length: height }, () => new Array<number>(width).fill(0));
    this.text = Array.from({ length: height }, () => new Array<string | undefined>(width).fill(undefined));
    this.style = Array.from({ length: height }, () => new Array<Style | undefined>(width).fill(undefined));
  }
  inside(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height;
  }
  bits(x: number, y: number, b: number, style?: Style): void {
    if (!this.inside(x, y)) return;
    this.mask[y]![x]! |= b;
    if (style !== undefined && this.style[y]![x] === undefined) this.style[y]![x] = style;
  }
  put(x: number, y: number, s: string, style?: Style): void {
    let i = 0;
    for (const ch of s) {
      if (this.inside(x + i, y)) {
        this.text[y]![x + i] = ch;
        this.style[y]![x + i] = style;
      }
      i++;
    }
  }
  hline(x1: number, x2: number, y: number, style?: Style): void {
    const [a, b] = x1 <= x2 ? [x1, x2] : [x2, x1];
    for (let x = a; x <= b; x++) this.bits(x, y, (x > a ? L : 0) | (x < b ? R : 0), style);
  }
  vline(x: number, y1: number, y2: number, style?: Style): void {
    const [a, b] = y1 <= y2 ? [y1, y2] : [y2, y1];
    for (let y = a; y <= b; y++) this.bits(x, y, (y > a ? U : 0) | (y < b ? D : 0), style);
  }
  lines(ascii: boolean): StyledLine[] {
    const out: StyledLine[] = [];
    for (let y = 0; y < this.height; y++) {
      const line: StyledLine = [];
      for (let x = 0; x < this.width; x++) {
        const written = this.text[y]![x];
        const ch = written ?? glyph(this.mask[y]![x]!, ascii);
        // Blank cells carry no style, except inside written text (one run per label or line).
        const st = ch === ' ' && written === undefined ? undefined : this.style[y]![x];
        const last = line[line.length - 1];
        if (last && last.style === st) last.text += ch;
        else line.push(st === undefined ? { text: ch } : { text: ch, style: st });
      }
      // Trailing blanks carry no information.
      const last = line[line.length - 1];
      if (last && last.style === undefined) last.text = last.text.replace(/ +$/u, '');
      if (last && last.text === '') line.pop();
      out.push(line);
    }
    return out;
  }
}

/** Draws a computed layout. */
export function drawDag(layout: DagLayout, options: { ascii?: boolean } = {}): StyledLine[] {
  const ascii = options.ascii ?? false;
  const c = new Canvas(layout.width, layout.height);
  for (const e of layout.edges) {
    for (let i = 0; i + 1 < e.points.length; i++) {
      const [x1, y1] = e.points[i]!;
      const [x2, y2] = e.points[i + 1]!;
      if (x1 === x2) c.vline(x1, y1, y2, EDGE_STYLE);
      else c.hline(x1, x2, y1, EDGE_STYLE);
    }
  }
  for (const b of layout.boxes) {
    const border = b.node.problem !== undefined ? PROBLEM_STYLE : toneStyle(b.node.tone);
    const { x, y, width: w, height: h } = b;
    // Border bits: the edge bits already on the bottom border turn it into `┬`.
    c.hline(x, x + w - 1, y, border);
    c.hline(x, x + w - 1, y + h - 1, border);
    c.vline(x, y, y + h - 1, border);
    c.vline(x + w - 1, y, y + h - 1, border);
    for (let yy = y; yy < y + h; yy++)
      for (const xx of [x, x + w - 1]) if (c.style[yy]![xx] === EDGE_STYLE) c.style[yy]![xx] = border;
    for (let xx = x; xx < x + w; xx++)
      for (const yy of [y, y + h - 1]) if (c.style[yy]![xx] === EDGE_STYLE) c.style[yy]![xx] = border;
    const inner = w - 4;
    const node = b.node;
    let row = y + 1;
    const badge = node.badge === undefined ? '' : truncate(node.badge, Math.max(0, inner - 2));
    const titleRoom = badge === '' ? inner : inner - cellWidth(badge) - 1;
    c.put(x + 2, row, truncate(node.title, titleRoom), TITLE_STYLE);
    if (badge !== '') c.put(x + 2 + inner - cellWidth(badge), row, badge, toneStyle(node.tone));
    row++;
    node.lines.forEach((line, i) => {
      c.put(x + 2, row++, truncate(line, inner), toneStyle(node.lineTones?.[i]));
    });
    if (node.problem !== undefined) {
      const mark = ascii ? PROBLEM_GLYPH.ascii : PROBLEM_GLYPH.unicode;
      c.put(x + 2, row, truncate(`${mark} ${node.problem}`, inner), PROBLEM_STYLE);
    }
  }
  for (const a of layout.arrows) c.put(a.x, a.y, a.up ? (ascii ? '^' : '▲') : ascii ? 'v' : '▼', EDGE_STYLE);
  for (const l of layout.labels) c.put(l.x, l.y, l.text, LABEL_STYLE);
  return c.lines(ascii);
}

/**
 * The layout, with narrower boxes when the default ones do not fit the width (long edges take
 * columns that wrapping layers cannot give back). Still too wide: the caller slices the picture.
 */
export function fittedLayout(graph: Graph, options: LayoutOptions = {}): DagLayout {
  const maxWidth = options.maxWidth ?? 80;
  let best = layoutDag(graph, options);
  if (options.maxBoxWidth !== undefined) return best;
  for (const maxBoxWidth of [20, 16, 12]) {
    if (best.width <= maxWidth) break;
    const next = layoutDag(graph, { ...options, maxBoxWidth });
    if (next.width < best.width) best = next;
  }
  return best;
}

/** Lays out and draws a graph: the picture of `plan show` and `plan graph --format text`. */
export function renderDag(graph: Graph, options: DagTextOptions = {}): StyledLine[] {
  if (graph.nodes.length === 0) return [[{ text: '(empty graph)', style: { dim: true } }]];
  return drawDag(fittedLayout(graph, options), options);
}

/** The DAG as a string (ANSI colours only when `color`). */
export function renderDagText(graph: Graph, options: DagTextOptions & { color?: boolean } = {}): string {
  return linesToString(renderDag(graph, options), options.color ?? false);
}
