/**
 * Styled text as plain data: a line is a list of segments, each with an optional style.
 * Every view renders to these lines first; the same lines become ANSI text (plain output,
 * `plan graph`), uncoloured text (NO_COLOR, pipes) or Ink `<Text>` (terminals), so a view
 * never draws its picture twice.
 */

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'gray';

export interface Style {
  color?: Color;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style?: Style;
}

export type StyledLine = Segment[];

const FG: Record<Color, number> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
};

/** Wraps `text` in the ANSI codes of `style` (no-op when `color` is false or there is no style). */
export function ansi(text: string, style: Style | undefined, color: boolean): string {
  if (!color || style === undefined || text === '') return text;
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.inverse) codes.push(7);
  if (style.color) codes.push(FG[style.color]);
  return codes.length === 0 ? text : `\u001b[${codes.join(';')}m${text}\u001b[0m`;
}

export function lineToString(line: StyledLine, color: boolean): string {
  return line.map((s) => ansi(s.text, s.style, color)).join('');
}

/** Lines to text; trailing spaces are trimmed so plain output diffs cleanly. */
export function linesToString(lines: readonly StyledLine[], color: boolean): string {
  return lines.map((l) => trimEndStyled(lineToString(l, color))).join('\n');
}

function trimEndStyled(text: string): string {
  // Trailing spaces may sit before a reset code; only plain trailing spaces are trimmed.
  return text.replace(/ +$/u, '');
}

/** Length in terminal cells, counting code points (the toolkit draws only single-width glyphs). */
export function cellWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to `width` cells, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

export function padEnd(text: string, width: number): string {
  const w = cellWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

export function padStart(text: string, width: number): string {
  const w = cellWidth(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

export function lineWidth(line: StyledLine): number {
  return line.reduce((n, s) => n + cellWidth(s.text), 0);
}

/** Strips ANSI escape codes (for tests and width checks). */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/gu, '');
}
