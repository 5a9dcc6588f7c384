/**
 * Every diagnostic code `disco plan validate` reports: stable, kebab-case, with a one-line
 * description. SARIF rule metadata and the README's code table come from here.
 */
export interface CodeInfo {
  code: string;
  severity: 'error' | 'warning';
  summary: string;
}

export const DIAGNOSTIC_CODES: readonly CodeInfo[] = [
  { code: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.' },
  { code: 'duplicate-key', severity: 'error', summary: 'A mapping has the same key twice.' },
  {
    code: 'yaml-alias-limit',
    severity: 'error',
    summary: 'Aliases expand to too many nodes (a "billion laughs" bomb).',
  },
  { code: 'yaml-too-deep', severity: 'error', summary: 'Collections nest deeper than 64 levels.' },
  { code: 'yaml-too-large', severity: 'error', summary: 'The file is larger than 1 MiB.' },
  { code: 'empty-file', severity: 'error', summary: 'The file holds no document.' },
  {
    code: 'not-a-mapping',
    severity: 'error',
    summary: 'The document is not a mapping (plan:, nodes:, output:).',
  },
  { code: 'missing-key', severity: 'error', summary: 'A required key or option is missing.' },
  {
    code: 'unknown-key',
    severity: 'error',
    summary: 'A key or option that the plan language does not know (with did-you-mean).',
  },
  {
    code: 'wrong-type',
    severity: 'error',
    summary: 'A value has the wrong type (a list where a name is expected, …).',
  },
  {
    code: 'invalid-value',
    severity: 'error',
    summary: 'A value outside its allowed set (on_error, order, strategy, a tier a processor cannot read).',
  },
  {
    code: 'invalid-name',
    severity: 'error',
    summary: 'A plan, node or param name that does not match its pattern.',
  },
  { code: 'duplicate-plan', severity: 'error', summary: 'Two plans validated together have the same name.' },
  {
    code: 'unknown-processor',
    severity: 'error',
    summary: "A node's `use` names no built-in or project processor.",
  },
  {
    code: 'unknown-node',
    severity: 'error',
    summary: 'An input or output references a node that does not exist.',
  },
  {
    code: 'unknown-port',
    severity: 'error',
    summary: 'A `NAME.PORT` reference names a port the node does not have.',
  },
  {
    code: 'missing-port',
    severity: 'error',
    summary: 'A node with named outputs (split) is referenced without a port.',
  },
  {
    code: 'unknown-input',
    severity: 'error',
    summary: "A `weights` entry names something that is not one of the node's inputs.",
  },
  { code: 'unknown-param', severity: 'error', summary: '`$params.NAME` names an undeclared param.' },
  {
    code: 'unknown-tier',
    severity: 'error',
    summary: 'A tier that does not exist (prod, batch, archive, debug).',
  },
  { code: 'unknown-dataset', severity: 'error', summary: 'A dataset that is not in the catalog.' },
  { code: 'unknown-field', severity: 'error', summary: 'A field that the items do not have.' },
  { code: 'unknown-type', severity: 'error', summary: 'A param or returned field type that does not exist.' },
  {
    code: 'unknown-function',
    severity: 'error',
    summary: 'An expression calls a function other than len() and contains().',
  },
  {
    code: 'input-arity',
    severity: 'error',
    summary: 'A node has more or fewer inputs than its processor takes.',
  },
  {
    code: 'cycle',
    severity: 'error',
    summary: 'Nodes feed each other in a cycle (reported once, with the whole path).',
  },
  { code: 'expression-syntax', severity: 'error', summary: 'An expression cannot be parsed.' },
  {
    code: 'expression-type',
    severity: 'error',
    summary: 'An expression is ill-typed, or not boolean where a condition is needed.',
  },
  { code: 'rank-by-not-number', severity: 'error', summary: "`rank`'s `by` is not numeric." },
  {
    code: 'expand-not-reference',
    severity: 'error',
    summary:
      "`expand` follows a field that is not a reference, or to a dataset that is not the field's target.",
  },
  { code: 'merge-type-mismatch', severity: 'error', summary: '`merge` inputs carry different item types.' },
  {
    code: 'input-type-mismatch',
    severity: 'error',
    summary: '`fallback` or `experiment` alternatives carry different item types.',
  },
  { code: 'default-type', severity: 'error', summary: "A param's default does not have the param's type." },
  {
    code: 'param-type',
    severity: 'error',
    summary: "`$params.NAME` stands for a value of another type (or a lookup's keys of the wrong type).",
  },
  { code: 'sql-not-select', severity: 'error', summary: "A query's SQL is not a single read-only SELECT." },
  {
    code: 'field-not-in-tier',
    severity: 'error',
    summary: 'A non-light field is read from records of a light tier (prod, batch).',
  },
  {
    code: 'dataset-not-in-tier',
    severity: 'error',
    summary: 'The tier does not hold the dataset (e.g. raw data in prod).',
  },
  {
    code: 'composite-key',
    severity: 'error',
    summary: 'A lookup on a dataset with a composite key (use a query).',
  },
  {
    code: 'split-ports',
    severity: 'error',
    summary: "A split's ports are empty or the else port repeats a case.",
  },
  { code: 'experiment-variants', severity: 'error', summary: 'An experiment with fewer than two variants.' },
  {
    code: 'experiment-weights',
    severity: 'error',
    summary: 'A variant weight that is negative or not a number, or all weights zero.',
  },
  {
    code: 'slo-exceeded',
    severity: 'error',
    summary: 'The estimated critical-path p99 exceeds `slo.p99_ms`.',
  },
  {
    code: 'invalid-processor',
    severity: 'error',
    summary: 'A project processor module that cannot be loaded or is malformed.',
  },
  { code: 'processor-error', severity: 'error', summary: "A project processor's check threw." },
  { code: 'unreachable-node', severity: 'warning', summary: 'A node whose items reach no output.' },
  { code: 'unused-param', severity: 'warning', summary: 'A param that nothing uses.' },
  {
    code: 'unused-option',
    severity: 'warning',
    summary: 'An option that has no effect (weights without strategy: weighted).',
  },
  { code: 'internal', severity: 'error', summary: 'A bug in discokit while checking (please report).' },
];

export const CODE_INFO: ReadonlyMap<string, CodeInfo> = new Map(DIAGNOSTIC_CODES.map((c) => [c.code, c]));
