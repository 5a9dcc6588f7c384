/** `--format json`: exactly the SPEC §5 shape — files, diagnostics, summary; nothing else. */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { FileResult, ValidationReport } from '../validate.js';

export interface ValidationJson {
  files: FileResult[];
  diagnostics: Diagnostic[];
  summary: { files: number; errors: number; warnings: number };
}

export function toJson(report: ValidationReport): ValidationJson {
  return {
    files: report.files.map((f) => ({ file: f.file, plan: f.plan, valid: f.valid })),
    diagnostics: report.diagnostics.map((d) => ({
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      severity: d.severity,
      code: d.code,
      path: [...d.path],
      message: d.message,
    })),
    summary: { ...report.summary },
  };
}

export function formatJson(report: ValidationReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
