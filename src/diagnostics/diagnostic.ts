/** Diagnostics are data: validators collect them and keep going (SPEC §5 fixes the JSON shape). */

export type Severity = 'error' | 'warning';

/** A 1-based, inclusive-start / exclusive-end range in a source file. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type DiagnosticPath = ReadonlyArray<string | number>;

export interface Diagnostic extends SourceRange {
  file: string;
  severity: Severity;
  /** Stable kebab-case code, documented in the README. */
  code: string;
  /** The YAML path of the offending node, e.g. `['nodes', 'ranked', 'by']`. */
  path: DiagnosticPath;
  message: string;
}

/** The range used when no better position is known: the start of the file. */
export const FILE_START: SourceRange = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** `file:line:col: message [code]` — the actionlint-style one-line form. */
export function formatDiagnosticLine(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message} [${d.code}]`;
}
