/** `--format sarif`: SARIF 2.1.0 for code-scanning tools, with rule metadata for every code. */
import { DIAGNOSTIC_CODES } from '../codes.js';
import type { ValidationReport } from '../validate.js';

export function formatSarif(report: ValidationReport, version = '0.1.0'): string {
  const rules = DIAGNOSTIC_CODES.map((c) => ({
    id: c.code,
    name: c.code.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.summary },
    fullDescription: { text: c.summary },
    help: { text: `${c.summary} See the README section "Diagnostic codes" (${c.code}).` },
    defaultConfiguration: { level: c.severity === 'error' ? 'error' : 'warning' },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.diagnostics.map((d) => ({
    ruleId: d.code,
    ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: d.file.split('\\').join('/') },
          region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
        },
        ...(d.path.length > 0
          ? { logicalLocations: [{ fullyQualifiedName: d.path.join('.'), kind: 'member' }] }
          : {}),
      },
    ],
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'disco plan validate',
            version,
            rules,
          },
        },
        artifacts: report.files.map((f) => ({ location: { uri: f.file.split('\\').join('/') } })),
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
