/**
 * Tables as styled lines: the same columns as `text-table.ts` (plain listings) plus a style per
 * cell, so a table can highlight a difference or colour a status without a second renderer.
 */
import { DIM_STYLE } from './palette.js';
import { type Style, type StyledLine, cellWidth, padEnd, padStart, truncate } from './style.js';
import type { Column } from './text-table.js';

export interface StyledColumn<Row> extends Column<Row> {
  style?: (row: Row) => Style | undefined;
  /** Widest the column may get before cells are cut with `…`. */
  maxWidth?: number;
}

export function styledTable<Row>(rows: readonly Row[], columns: readonly StyledColumn<Row>[]): StyledLine[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.min(
      c.maxWidth ?? Number.POSITIVE_INFINITY,
      Math.max(cellWidth(c.header), ...cells.map((r) => cellWidth(r[i]!))),
    ),
  );
  const cell = (v: string, i: number) => {
    const t = truncate(v, widths[i]!);
    return columns[i]!.align === 'right' ? padStart(t, widths[i]!) : padEnd(t, widths[i]!);
  };
  const header: StyledLine = columns.map((c, i) => ({
    text: cell(c.header.toUpperCase(), i) + (i < columns.length - 1 ? '  ' : ''),
    style: DIM_STYLE,
  }));
  const body = rows.map((row, r) =>
    columns.map((c, i) => {
      const style = c.style?.(row);
      const t = cell(cells[r]![i]!, i) + (i < columns.length - 1 ? '  ' : '');
      return style === undefined ? { text: t } : { text: t, style };
    }),
  );
  return [header, ...body];
}
