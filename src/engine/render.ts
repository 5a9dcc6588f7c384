/**
 * The plain-text view of a response (`disco plan run` without `--json`): each response list
 * compactly (a few rows, the key and a few scalar fields), the soft errors, and the per-node
 * timeline with a bar per node. No colour and no cursor movement, so it suits pipes and CI; the
 * Ink waterfall (src/ui) can replace it in a terminal.
 */
import { CATALOG } from '../catalog/catalog.js';
import type { Item } from '../tiers/tier.js';
import { textTable } from '../ui/text-table.js';
import type { PlanResponse, RequestTimings } from './response.js';

export interface RenderOptions {
  /** Rows shown per list (default 10). */
  rows?: number;
  /** Width of the timeline bars (default 30). */
  barWidth?: number;
}

function cell(v: unknown, max = 40): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'number') s = Number.isInteger(v) ? String(v) : v.toPrecision(4);
  else if (typeof v === 'string') s = v;
  else if (Array.isArray(v)) s = `[${v.length}]`;
  else s = '{…}';
  s = s.replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The key first, then the first few scalar fields the items carry. */
function columnsFor(dataset: string | null, items: readonly Item[]): string[] {
  const ds = dataset ? CATALOG.find(dataset) : undefined;
  const names = new Set<string>(ds?.key ?? []);
  for (const item of items.slice(0, 20)) {
    for (const [k, v] of Object.entries(item)) {
      if (names.size >= 5) break;
      if (v === null || typeof v !== 'object') names.add(k);
    }
  }
  return [...names].slice(0, 5);
}

export function renderResponseText(response: PlanResponse, options: RenderOptions = {}): string {
  const rows = options.rows ?? 10;
  const out: string[] = [];
  for (const list of response.responses) {
    const n = list.items.length;
    out.push(`${list.name} — ${n} item${n === 1 ? '' : 's'}${list.dataset ? ` of ${list.dataset}` : ''}`);
    if (n > 0) {
      const cols = columnsFor(list.dataset, list.items);
      const shown = list.items.slice(0, rows).map((item, i) => ({ i, item }));
      const table = textTable(shown, [
        { header: '#', value: (r) => String(r.i + 1), align: 'right' },
        ...cols.map((c) => ({ header: c, value: (r: { item: Item }) => cell(r.item[c]) })),
      ]);
      out.push(table.replace(/^/gm, '  '));
      if (n > rows) out.push(`  … ${n - rows} more (--json prints every item)`);
    }
    out.push('');
  }
  if (response.errors && response.errors.length > 0) {
    out.push('errors (the request went on):');
    for (const e of response.errors) {
      out.push(
        `  ${e.node}: ${e.message} — ${e.handled === 'empty' ? 'on_error: empty' : `skipped by fallback '${e.by}'`}`,
      );
    }
    out.push('');
  }
  if (response.timings) out.push(renderTimeline(response.timings, options));
  return out.join('\n').trimEnd();
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

/** The per-node timeline: start, duration, items in → out, and a bar on a shared time axis. */
export function renderTimeline(timings: RequestTimings, options: RenderOptions = {}): string {
  const width = options.barWidth ?? 30;
  const total = Math.max(timings.total_ms, ...timings.nodes.map((t) => t.end_ms), 1e-6);
  const bar = (start: number, end: number) => {
    const a = Math.min(width - 1, Math.floor((start / total) * width));
    const b = Math.max(a + 1, Math.min(width, Math.ceil((end / total) * width)));
    return `${' '.repeat(a)}${'█'.repeat(b - a)}${' '.repeat(width - b)}|`;
  };
  const table = textTable(timings.nodes, [
    { header: 'node', value: (t) => t.node },
    { header: 'processor', value: (t) => t.processor },
    { header: 'tier', value: (t) => (t.tier ? `${t.tier}${t.dataset ? `/${t.dataset}` : ''}` : '') },
    { header: 'start ms', value: (t) => fmt(t.start_ms), align: 'right' },
    { header: 'ms', value: (t) => fmt(t.end_ms - t.start_ms), align: 'right' },
    { header: 'in', value: (t) => String(t.items_in), align: 'right' },
    { header: 'out', value: (t) => String(t.items_out), align: 'right' },
    { header: 'status', value: (t) => (t.status === 'ok' ? '' : t.status) },
    { header: 'timeline', value: (t) => bar(t.start_ms, t.end_ms) },
  ]);
  return `timeline — total ${fmt(timings.total_ms)} ms\n${table}`;
}
