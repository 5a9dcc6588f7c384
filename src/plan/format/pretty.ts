/**
 * `--format pretty` (default), in the actionlint style: `file:line:col: message [code]`, then the
 * source line and a caret under the offending range; colour in a terminal (not with NO_COLOR).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ValidationReport } from '../validate.js';

export interface PrettyOptions {
  color: boolean;
}

const paint = (on: boolean) => (code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function formatDiagnostic(
  d: Diagnostic,
  lines: readonly string[] | undefined,
  color: boolean,
): string {
  const c = paint(color);
  const sev = d.severity === 'error' ? c('31', 'error') : c('33', 'warning');
  const head = `${c('1', `${d.file}:${d.line}:${d.column}:`)} ${sev}: ${d.message} ${c('90', `[${d.code}]`)}`;
  const source = lines?.[d.line - 1];
  if (source === undefined) return head;
  const text = source.replace(/\t/g, ' ').replace(/\r$/, '');
  const width =
    d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, text.length - d.column + 1);
  const gutter = String(d.line).padStart(4);
  const caret =
    ' '.repeat(Math.max(0, d.column - 1)) +
    '^'.repeat(Math.min(width, Math.max(1, text.length - d.column + 1)));
  return `${head}\n${c('90', `${gutter} |`)} ${text}\n${c('90', `${' '.repeat(gutter.length)} |`)} ${c(d.severity === 'error' ? '31' : '33', caret)}`;
}

export function formatPretty(report: ValidationReport, options: PrettyOptions): string {
  const cache = new Map<string, string[]>();
  const linesOf = (file: string) => {
    if (!cache.has(file)) {
      const text = report.sources.get(file);
      if (text !== undefined) cache.set(file, text.split('\n'));
    }
    return cache.get(file);
  };
  const out = report.diagnostics.map((d) => formatDiagnostic(d, linesOf(d.file), options.color));
  const { files, errors, warnings } = report.summary;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const valid = report.files.filter((f) => f.valid).length;
  out.push(
    `${plural(files, 'plan file')} checked: ${valid} valid, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  );
  return `${out.join('\n\n')}\n`;
}
