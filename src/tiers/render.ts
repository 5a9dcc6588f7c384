/**
 * Plain-text renderings of the tier commands' results (non-TTY output, CI, pipes). The Ink views
 * live in src/ui; these never move the cursor and use no colour.
 */
import { CATALOG } from '../catalog/catalog.js';
import { textTable } from '../ui/text-table.js';
import { type DebugKeyResult, staleTiers } from './debug-key.js';
import { formatBytes, type LoadEvent, type LoadResult } from './load.js';
import type { RollbackResult, TiersStatusResult } from './status.js';

export function renderStatus(result: TiersStatusResult): string {
  const rows = result.tiers.flatMap((t) => {
    const head = {
      tier: t.tier,
      engine: t.engine,
      dataset: t.error ? `ERROR: ${t.error}` : t.datasets.length === 0 ? '(nothing loaded)' : '',
      version: '',
      rows: '',
      bytes: '',
      used: `${formatBytes(t.used_bytes)} / ${t.capacity_bytes === null ? 'unlimited' : formatBytes(t.capacity_bytes)}`,
      previous: t.previous_version ?? '',
    };
    return [
      head,
      ...t.datasets.map((d) => ({
        tier: '',
        engine: '',
        dataset: d.dataset,
        version: d.version,
        rows: String(d.rows),
        bytes: formatBytes(d.bytes),
        used: '',
        previous: '',
      })),
    ];
  });
  return textTable(rows, [
    { header: 'tier', value: (r) => r.tier },
    { header: 'engine', value: (r) => r.engine },
    { header: 'used / capacity', value: (r) => r.used },
    { header: 'rollback to', value: (r) => r.previous },
    { header: 'dataset', value: (r) => r.dataset },
    { header: 'version', value: (r) => r.version },
    { header: 'rows', value: (r) => r.rows, align: 'right' },
    { header: 'bytes', value: (r) => r.bytes, align: 'right' },
  ]);
}

export function renderLoadEvent(event: LoadEvent): string | undefined {
  switch (event.type) {
    case 'tier-start':
      return `${event.tier}: building`;
    case 'dataset':
      return undefined;
    case 'tier-built':
      return `${event.tier}: built ${formatBytes(event.bytes)} in ${(event.ms / 1000).toFixed(1)} s`;
    case 'tier-switched':
      return `${event.tier}: now serving ${event.version}`;
  }
}

export function renderLoad(result: LoadResult): string {
  const table = textTable(result.tiers, [
    { header: 'tier', value: (t) => t.tier },
    { header: 'version', value: (t) => t.version },
    { header: 'records', value: (t) => String(t.records), align: 'right' },
    {
      header: 'size / capacity',
      value: (t) =>
        `${formatBytes(t.bytes)} / ${t.capacity_bytes === null ? 'unlimited' : formatBytes(t.capacity_bytes)}`,
    },
    { header: 'time', value: (t) => `${(t.ms / 1000).toFixed(2)} s`, align: 'right' },
  ]);
  return `${table}\nloaded ${result.version} into ${result.tiers.length} tiers`;
}

export function renderRollback(result: RollbackResult): string {
  return result.tiers.map((t) => `${t.tier}: rolled back from ${t.from} to ${t.to}`).join('\n');
}

const LIGHT_OMITTED = '(light: not held)';

function cell(value: unknown, width: number): string {
  const text = value === undefined ? '' : (JSON.stringify(value) ?? 'null');
  return text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;
}

/** The record side by side: one row per field, one column per tier; differing fields marked `≠`. */
export function renderDebugKey(result: DebugKeyResult, columns = 100): string {
  const dataset = CATALOG.get(result.dataset);
  const stale = new Set(staleTiers(result));
  const lines: string[] = [`${result.dataset} ${JSON.stringify(result.key)}`, ''];
  lines.push(
    textTable(result.tiers, [
      { header: 'tier', value: (t) => t.tier },
      { header: 'found', value: (t) => (t.error ? 'error' : t.found ? 'yes' : 'no') },
      {
        header: 'version',
        value: (t) => (t.version ?? 'not loaded') + (stale.has(t.tier) ? ' (stale)' : ''),
      },
      { header: 'latency', value: (t) => (t.error ? '' : `${t.latency_ms.toFixed(3)} ms`), align: 'right' },
      { header: 'holds', value: (t) => (t.light ? 'light version' : 'full version') },
      { header: 'note', value: (t) => t.error ?? '' },
    ]),
  );
  const shown = result.tiers.filter((t) => t.found);
  const differing = new Set(result.differences.map((d) => d.field));
  const width = Math.max(12, Math.floor((columns - 24) / Math.max(1, shown.length)) - 2);
  lines.push('');
  lines.push(
    textTable(dataset.fields, [
      { header: ' field', value: (f) => `${differing.has(f.name) ? '≠' : ' '}${f.name}` },
      ...shown.map((t) => ({
        header: t.tier,
        value: (f: (typeof dataset.fields)[number]) =>
          t.light && !f.light ? LIGHT_OMITTED : cell(t.record?.[f.name], width),
      })),
    ]),
  );
  lines.push('');
  if (result.differences.length === 0) {
    lines.push('no differences between tiers');
  } else {
    lines.push(`${result.differences.length} field(s) differ between tiers:`);
    for (const d of result.differences) {
      const values = Object.entries(d.values)
        .map(([tier, v]) => `${tier}${stale.has(tier as never) ? ' (stale)' : ''}=${cell(v, 40)}`)
        .join('  ');
      lines.push(`  ${d.field}: ${values}`);
    }
  }
  return lines.join('\n');
}
