/**
 * Bars, sparklines and histograms in text (eighth-block glyphs, or `#` in ASCII). Pure functions
 * returning strings or styled lines; used by the waterfall, the bench views and job timings.
 */
import { DIM_STYLE } from './palette.js';
import { type Style, type StyledLine, padStart } from './style.js';

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const SPARKS = '▁▂▃▄▅▆▇█';

/** A horizontal bar of `value / max` of `width` cells (eighth-cell resolution in Unicode). */
export function bar(value: number, max: number, width: number, ascii = false): string {
  if (width <= 0) return '';
  const ratio = max > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, value / max)) : 0;
  if (ascii) return '#'.repeat(Math.round(ratio * width));
  const eighths = Math.round(ratio * width * 8);
  const full = Math.floor(eighths / 8);
  return '█'.repeat(full) + (EIGHTHS[eighths % 8] ?? '');
}

/** A bar that starts at `start` and ends at `end` on a scale of `total` (the waterfall's span). */
export function spanBar(start: number, end: number, total: number, width: number, ascii = false): string {
  if (width <= 0 || total <= 0) return '';
  const a = Math.max(0, Math.min(width, Math.floor((start / total) * width)));
  const b = Math.max(a + 1, Math.min(width, Math.ceil((end / total) * width)));
  return ' '.repeat(a) + (ascii ? '=' : '█').repeat(b - a);
}

/** `▁▂▅█` for a series (scaled to its own max); ASCII falls back to digits 0-7. */
export function sparkline(values: readonly number[], ascii = false): string {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  return values
    .map((v) => {
      const i = max > 0 && Number.isFinite(v) ? Math.min(7, Math.max(0, Math.round((v / max) * 7))) : 0;
      return ascii ? String(i) : SPARKS[i]!;
    })
    .join('');
}

export interface HistogramRow {
  label: string;
  count: number;
  style?: Style;
}

/** A horizontal histogram: label, bar, count and share; bars fill `width` in total. */
export function histogram(rows: readonly HistogramRow[], width: number, ascii = false): StyledLine[] {
  const total = rows.reduce((n, r) => n + r.count, 0);
  const max = Math.max(0, ...rows.map((r) => r.count));
  const labelW = Math.max(0, ...rows.map((r) => r.label.length));
  const countW = Math.max(1, ...rows.map((r) => String(r.count).length));
  const barW = Math.max(4, width - labelW - countW - 12);
  return rows.map((r) => {
    const share = total > 0 ? `${((100 * r.count) / total).toFixed(1)}%` : '';
    return [
      { text: `${padStart(r.label, labelW)} ` },
      { text: bar(r.count, max, barW, ascii).padEnd(barW), ...(r.style ? { style: r.style } : {}) },
      { text: ` ${padStart(String(r.count), countW)}` },
      { text: ` ${padStart(share, 6)}`, style: DIM_STYLE },
    ];
  });
}

/** `1.23 ms`, `456 µs`, `2.1 s`: latencies at a glance. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}
