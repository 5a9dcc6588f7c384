/** `--format github`: GitHub Actions workflow commands, so problems annotate the PR's lines. */
import type { ValidationReport } from '../validate.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(report: ValidationReport): string {
  const lines = report.diagnostics.map(
    (d) =>
      `::${d.severity === 'error' ? 'error' : 'warning'} file=${escapeProp(d.file)},line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn},title=${escapeProp(d.code)}::${escapeData(`${d.message} [${d.code}]`)}`,
  );
  const { files, errors, warnings } = report.summary;
  lines.push(`${files} plan file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return `${lines.join('\n')}\n`;
}
