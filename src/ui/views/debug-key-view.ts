/**
 * The `disco debug key` view: one row per field, one column per tier, values side by side.
 * Fields that differ between tiers are marked `≠` and drawn in red; a field a light tier leaves
 * out by design is shown dim as `(light)` and is not a difference.
 */
import { type Block, heading, line, text, vstack } from '../blocks.js';
import { formatMs } from '../charts.js';
import { BAD_STYLE, DIM_STYLE, GOOD_STYLE, TIER_STYLE, isTierTone, PROBLEM_STYLE } from '../palette.js';
import { styledTable } from '../styled-table.js';
import type { Style, StyledLine } from '../style.js';
import type { DebugKeyResult } from '../../tiers/debug-key.js';

export interface DebugKeyViewOptions {
  width: number;
  ascii?: boolean;
}

/** A compact one-line rendering of a record value. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (Array.isArray(value) && value.length > 3)
    return `[${value
      .slice(0, 3)
      .map((v) => JSON.stringify(v))
      .join(',')},… ${value.length} items]`;
  return JSON.stringify(value);
}

export function debugKeyView(result: DebugKeyResult, options: DebugKeyViewOptions): StyledLine[] {
  const head: Block = [heading(`${result.dataset} ${JSON.stringify(result.key)}`)];
  const tierStyle = (tier: string): Style | undefined => (isTierTone(tier) ? TIER_STYLE[tier] : undefined);

  const tiers = styledTable(result.tiers, [
    { header: 'tier', value: (t) => t.tier, style: (t) => tierStyle(t.tier) },
    {
      header: 'found',
      value: (t) =>
        t.error ? 'error' : t.found ? (options.ascii ? 'yes' : '✔ yes') : options.ascii ? 'no' : '✖ no',
      style: (t) => (t.error || !t.found ? BAD_STYLE : GOOD_STYLE),
    },
    { header: 'version', value: (t) => t.version ?? '(none)' },
    { header: 'latency', value: (t) => formatMs(t.latency_ms), align: 'right' },
    { header: 'light', value: (t) => (t.light ? 'light' : 'full'), style: () => DIM_STYLE },
    { header: 'error', value: (t) => t.error ?? '', style: () => PROBLEM_STYLE, maxWidth: 40 },
  ]);
  // Versions that disagree are the usual reason for differences: call them out.
  const versions = new Set(result.tiers.filter((t) => t.found).map((t) => t.version));
  const versionNote: Block =
    versions.size > 1
      ? [line(text(`tiers serve different versions: ${[...versions].join(', ')}`, BAD_STYLE))]
      : [];

  const differing = new Set(result.differences.map((d) => d.field));
  const present = result.tiers.filter((t) => t.record !== null);
  const fields: string[] = [];
  for (const t of present)
    for (const f of Object.keys(t.record ?? {})) if (!fields.includes(f)) fields.push(f);
  fields.sort((a, b) => Number(differing.has(b)) - Number(differing.has(a)));
  const fieldW = Math.max(5, ...fields.map((f) => f.length)) + 2;
  const colW = Math.max(
    8,
    Math.floor((options.width - fieldW - 2 * present.length) / Math.max(1, present.length)),
  );
  const mark = options.ascii ? '!=' : '≠';
  const table = styledTable(fields, [
    {
      header: 'field',
      value: (f) => `${differing.has(f) ? mark : ' '.repeat(mark.length)} ${f}`,
      style: (f) => (differing.has(f) ? BAD_STYLE : undefined),
    },
    ...present.map((t) => ({
      header: t.tier,
      maxWidth: colW,
      value: (f: string) =>
        t.record && f in t.record ? formatValue(t.record[f]) : t.light ? '(light)' : '—',
      style: (f: string): Style | undefined =>
        !(t.record && f in t.record) ? DIM_STYLE : differing.has(f) ? BAD_STYLE : undefined,
    })),
  ]);
  const summary: Block = [
    result.differences.length === 0
      ? line(text(`no differences between ${present.length} tiers`, GOOD_STYLE))
      : line(
          text(
            `${result.differences.length} field${result.differences.length === 1 ? '' : 's'} differ: ${result.differences.map((d) => d.field).join(', ')}`,
            BAD_STYLE,
          ),
        ),
  ];
  return vstack([head, tiers, versionNote, present.length > 0 ? table : [], summary]);
}
