import { describe, expect, it } from 'vitest';
import { flow, hstack, keyValues, paragraph, sliceColumns, text } from '../../src/ui/blocks.js';
import { bar, formatMs, histogram, sparkline, spanBar } from '../../src/ui/charts.js';
import { statusBadge, toneStyle } from '../../src/ui/palette.js';
import { styledTable } from '../../src/ui/styled-table.js';
import { ansi, linesToString, truncate } from '../../src/ui/style.js';

const plain = (lines: Parameters<typeof linesToString>[0]) => linesToString(lines, false);

describe('toolkit', () => {
  it('styles text with ANSI only when colour is on (NO_COLOR → plain)', () => {
    expect(ansi('prod', toneStyle('prod'), true)).toBe('\u001b[32mprod\u001b[0m');
    expect(ansi('prod', toneStyle('prod'), false)).toBe('prod');
    expect(linesToString([[text('x', { bold: true, color: 'red' })]], true)).toBe('\u001b[1;31mx\u001b[0m');
  });

  it('has status badges readable without colour, with an ASCII variant', () => {
    expect(statusBadge('succeeded')).toBe('✔ succeeded');
    expect(statusBadge('failed', true)).toBe('x failed');
    expect(statusBadge('running')).toBe('◐ running');
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('pinjoin', 5)).toBe('pinj…');
    expect(truncate('pin', 5)).toBe('pin');
  });

  it('wraps a paragraph at spaces, in its style, and cuts only a word wider than the line', () => {
    expect(plain(paragraph('the hypervisor  took\nsome CPU', 10))).toBe('the\nhypervisor\ntook some\nCPU');
    expect(plain(paragraph('a supercalifragilistic word', 8))).toBe('a\nsuperca…\nword');
    expect(paragraph('warn me', 80, { bold: true })).toEqual([[{ text: 'warn me', style: { bold: true } }]]);
  });

  it('lays blocks side by side, or stacks them when they do not fit', () => {
    const a = [[text('aaaa')], [text('a')]];
    const b = [[text('bb')]];
    expect(plain(hstack([a, b]))).toBe('aaaa  bb\na');
    expect(plain(flow([a, b], 8))).toBe('aaaa  bb\na');
    expect(plain(flow([a, b], 6))).toBe('aaaa\na\n\nbb');
    expect(
      plain(
        keyValues([
          ['rows', '12'],
          ['version', '2026-11-21/1'],
        ]),
      ),
    ).toBe('rows:    12\nversion: 2026-11-21/1');
  });

  it('cuts a picture wider than the terminal into strips instead of wrapping it', () => {
    const wide = [[text('0123456789')], [text('abcdefghij')]];
    expect(plain(sliceColumns(wide, 20))).toBe('0123456789\nabcdefghij');
    expect(plain(sliceColumns(wide, 6))).toBe(
      'columns 1–6 of 10\n012345\nabcdef\n\ncolumns 7–10 of 10\n6789\nghij',
    );
  });

  it('draws bars, span bars, sparklines and histograms', () => {
    expect(bar(5, 10, 4)).toBe('██');
    expect(bar(1, 8, 1)).toBe('▏');
    expect(bar(3, 4, 4, true)).toBe('###');
    expect(spanBar(1, 2, 4, 8)).toBe('  ██');
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(
      plain(
        histogram(
          [
            { label: '≤ 1 ms', count: 3 },
            { label: '≤ 10 ms', count: 1 },
          ],
          40,
        ),
      ),
    ).toMatchInlineSnapshot(`
      " ≤ 1 ms ████████████████████ 3  75.0%
      ≤ 10 ms ██████▋              1  25.0%"
    `);
    expect([formatMs(0.25), formatMs(2.5), formatMs(25), formatMs(2500)]).toEqual([
      '250 µs',
      '2.50 ms',
      '25.0 ms',
      '2.50 s',
    ]);
  });

  it('renders styled tables with the plain table columns', () => {
    const rows = [{ tier: 'prod', ms: '0.05' }];
    const lines = styledTable(rows, [
      { header: 'tier', value: (r) => r.tier, style: () => toneStyle('prod') },
      { header: 'latency', value: (r) => r.ms, align: 'right' },
    ]);
    expect(plain(lines)).toBe('TIER  LATENCY\nprod     0.05');
  });
});
