/**
 * Layout primitives on styled lines: headings, key/value rows, blocks side by side or stacked,
 * fitted to a width. Every view composes these instead of hand-placing text.
 */
import { DIM_STYLE, TITLE_STYLE } from './palette.js';
import {
  type Segment,
  type Style,
  type StyledLine,
  cellWidth,
  lineWidth,
  padEnd,
  truncate,
} from './style.js';

export type Block = StyledLine[];

export function text(t: string, style?: Style): Segment {
  return style === undefined ? { text: t } : { text: t, style };
}

export function line(...segments: Array<Segment | string>): StyledLine {
  return segments.map((s) => (typeof s === 'string' ? { text: s } : s));
}

export function heading(title: string, detail?: string): StyledLine {
  return detail === undefined
    ? [text(title, TITLE_STYLE)]
    : [text(title, TITLE_STYLE), text(`  ${detail}`, DIM_STYLE)];
}

/** `key: value` rows with aligned keys. */
export function keyValues(rows: ReadonlyArray<[string, string | Segment]>): Block {
  const w = Math.max(0, ...rows.map(([k]) => cellWidth(k)));
  return rows.map(([k, v]) => [text(padEnd(`${k}:`, w + 2), DIM_STYLE), typeof v === 'string' ? text(v) : v]);
}

/** Cuts every line to `width` cells (styled segments are cut, not wrapped). */
export function fitWidth(block: Block, width: number): Block {
  return block.map((l) => {
    if (lineWidth(l) <= width) return l;
    const out: StyledLine = [];
    let room = width;
    for (const s of l) {
      if (room <= 0) break;
      const w = cellWidth(s.text);
      if (w <= room) {
        out.push(s);
        room -= w;
      } else {
        out.push({ ...s, text: truncate(s.text, room) });
        room = 0;
      }
    }
    return out;
  });
}

/** A paragraph in one style, wrapped at spaces to lines of at most `width` cells (long words are cut). */
export function paragraph(t: string, width: number, style?: Style): Block {
  const lines: string[] = [];
  let current = '';
  for (const word of t.split(/\s+/).filter(Boolean)) {
    const next = current === '' ? word : `${current} ${word}`;
    if (cellWidth(next) <= width || current === '') current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return fitWidth(
    lines.map((l) => [text(l, style)]),
    Math.max(1, width),
  );
}

/** Blocks next to each other (top-aligned), `gap` columns apart. */
export function hstack(blocks: readonly Block[], gap = 2): Block {
  const widths = blocks.map((b) => Math.max(0, ...b.map(lineWidth)));
  const height = Math.max(0, ...blocks.map((b) => b.length));
  const out: Block = [];
  for (let y = 0; y < height; y++) {
    const row: StyledLine = [];
    blocks.forEach((b, i) => {
      const l = b[y] ?? [];
      row.push(...l);
      if (i < blocks.length - 1) row.push({ text: ' '.repeat(widths[i]! - lineWidth(l) + gap) });
    });
    out.push(row);
  }
  return out;
}

/** Blocks one under the other, separated by `gap` blank lines. */
export function vstack(blocks: readonly Block[], gap = 1): Block {
  const out: Block = [];
  blocks
    .filter((b) => b.length > 0)
    .forEach((b, i) => {
      if (i > 0) for (let g = 0; g < gap; g++) out.push([]);
      out.push(...b);
    });
  return out;
}

/** Side by side when they fit in `width`, else stacked: how views "wrap sensibly". */
export function flow(blocks: readonly Block[], width: number, gap = 2): Block {
  const widths = blocks.map((b) => Math.max(0, ...b.map(lineWidth)));
  const rows: Block[][] = [];
  let current: Block[] = [];
  let used = 0;
  blocks.forEach((b, i) => {
    const w = widths[i]!;
    if (current.length > 0 && used + gap + w > width) {
      rows.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? gap : 0) + w;
    current.push(b);
  });
  if (current.length > 0) rows.push(current);
  return vstack(
    rows.map((r) => hstack(r, gap)),
    1,
  );
}

/** The cells [from, from + width) of a line. */
export function sliceLine(l: StyledLine, from: number, width: number): StyledLine {
  const out: StyledLine = [];
  let x = 0;
  for (const s of l) {
    const chars = [...s.text];
    const a = Math.max(0, from - x);
    const b = Math.min(chars.length, from + width - x);
    if (b > a) out.push({ ...s, text: chars.slice(a, b).join('') });
    x += chars.length;
  }
  return out;
}

/**
 * A picture wider than the terminal, cut into vertical strips printed one after the other, each
 * headed by the columns it shows: nothing is wrapped into garbage, every cell is shown once.
 */
export function sliceColumns(block: Block, width: number): Block {
  const total = Math.max(0, ...block.map(lineWidth));
  if (total <= width) return block;
  const out: Block = [];
  for (let from = 0; from < total; from += width) {
    const to = Math.min(total, from + width);
    if (out.length > 0) out.push([]);
    out.push([text(`columns ${from + 1}–${to} of ${total}`, DIM_STYLE)]);
    for (const l of block) out.push(sliceLine(l, from, width));
  }
  return out;
}
