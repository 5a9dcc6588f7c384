/** The output formats of `disco plan validate` (SPEC §5). */
import type { ValidationReport } from '../validate.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatPretty, type PrettyOptions } from './pretty.js';
import { formatSarif } from './sarif.js';

export const FORMATS = ['pretty', 'json', 'github', 'junit', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];

export function formatReport(
  report: ValidationReport,
  format: FormatName,
  options: PrettyOptions = { color: false },
): string {
  switch (format) {
    case 'pretty':
      return formatPretty(report, options);
    case 'json':
      return `${JSON.stringify(toJson(report), null, 2)}\n`;
    case 'github':
      return formatGithub(report);
    case 'junit':
      return formatJunit(report);
    case 'sarif':
      return formatSarif(report);
  }
}

export { formatGithub, formatJson, formatJunit, formatPretty, formatSarif, type PrettyOptions };
import { toJson } from './json.js';
export { toJson };
