/**
 * The one palette of the project: colours per storage tier and per run status, the status
 * badges, and the glyph set (Unicode box drawing, or ASCII when asked). Views take their
 * colours from here, never from literals, so `prod` is the same green everywhere.
 */
import type { Style } from './style.js';

export type TierTone = 'prod' | 'batch' | 'archive' | 'debug';
export type Status = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
/** What a DAG node or table cell is coloured by. */
export type Tone = TierTone | Status | 'problem' | 'neutral';

export const TIER_STYLE: Record<TierTone, Style> = {
  prod: { color: 'green' },
  batch: { color: 'cyan' },
  archive: { color: 'magenta' },
  debug: { color: 'yellow' },
};

export const STATUS_STYLE: Record<Status, Style> = {
  pending: { color: 'gray' },
  running: { color: 'blue', bold: true },
  succeeded: { color: 'green' },
  failed: { color: 'red', bold: true },
  skipped: { color: 'gray', dim: true },
};

export const PROBLEM_STYLE: Style = { color: 'red', bold: true };
export const EDGE_STYLE: Style = { color: 'gray' };
export const LABEL_STYLE: Style = { color: 'yellow' };
export const TITLE_STYLE: Style = { bold: true };
export const DIM_STYLE: Style = { dim: true };
export const HIGHLIGHT_STYLE: Style = { color: 'yellow', bold: true };
export const GOOD_STYLE: Style = { color: 'green', bold: true };
export const BAD_STYLE: Style = { color: 'red', bold: true };

export function isTierTone(name: string | undefined): name is TierTone {
  return name === 'prod' || name === 'batch' || name === 'archive' || name === 'debug';
}

export function toneStyle(tone: Tone | undefined): Style | undefined {
  if (tone === undefined || tone === 'neutral') return undefined;
  if (tone === 'problem') return PROBLEM_STYLE;
  if (isTierTone(tone)) return TIER_STYLE[tone];
  return STATUS_STYLE[tone];
}

/** The glyphs of a status badge: readable without colour. */
export const STATUS_GLYPH: Record<Status, { unicode: string; ascii: string }> = {
  pending: { unicode: '○', ascii: '.' },
  running: { unicode: '◐', ascii: '~' },
  succeeded: { unicode: '✔', ascii: '+' },
  failed: { unicode: '✖', ascii: 'x' },
  skipped: { unicode: '–', ascii: '-' },
};

/** `✔ succeeded` (or `+ succeeded` in ASCII). */
export function statusBadge(status: Status, ascii = false): string {
  const g = STATUS_GLYPH[status];
  return `${ascii ? g.ascii : g.unicode} ${status}`;
}

export const PROBLEM_GLYPH = { unicode: '✖', ascii: 'x' } as const;
