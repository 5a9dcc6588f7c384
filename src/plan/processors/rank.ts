/**
 * `rank` — sort the input items by a numeric expression. Ranking by a string or a list would sort
 * by accident of representation, so `by` must be numeric (`rank-by-not-number`).
 */
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const rank: ProcessorDefinition = {
  name: 'rank',
  summary: 'The input items sorted by `by`, optionally cut to `limit`.',
  inputs: { min: 1, max: 1 },
  options: {
    by: {
      type: { kind: 'expr', expect: 'number', code: 'rank-by-not-number' },
      required: true,
      doc: 'a numeric expression',
    },
    order: { type: { kind: 'enum', values: ['desc', 'asc'] }, default: 'desc', doc: 'desc (default) or asc' },
    limit: { type: { kind: 'int', min: 1 }, doc: 'keep at most this many items' },
  },
  source: 'builtin',
  check: inputType,
};
