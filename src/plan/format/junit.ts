/** `--format junit`: a JUnit XML report, one test case per plan file; errors are failures. */
import type { ValidationReport } from '../validate.js';

export const xmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function formatJunit(report: ValidationReport): string {
  const failures = report.files.filter((f) => !f.valid).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="disco plan validate" tests="${report.files.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="plans" tests="${report.files.length}" failures="${failures}" errors="0" skipped="0">`,
  ];
  for (const f of report.files) {
    const ds = report.diagnostics.filter((d) => d.file === f.file);
    const name = f.plan ?? f.file;
    out.push(`    <testcase classname="plans" name="${xmlEscape(name)}" file="${xmlEscape(f.file)}">`);
    const errors = ds.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const body = errors.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message} [${d.code}]`).join('\n');
      out.push(
        `      <failure message="${xmlEscape(`${errors.length} error(s); first: ${errors[0]!.message}`)}" type="${xmlEscape(errors[0]!.code)}">${xmlEscape(body)}</failure>`,
      );
    }
    const warnings = ds.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) {
      out.push(
        `      <system-out>${xmlEscape(warnings.map((d) => `${d.file}:${d.line}:${d.column}: warning: ${d.message} [${d.code}]`).join('\n'))}</system-out>`,
      );
    }
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}
