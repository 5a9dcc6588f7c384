/**
 * `fallback` — the first input that did not fail (`when: error`, the default) or was not empty
 * (`when: empty`). The inputs are alternatives for the same answer, so they must share an item type.
 */
import { sameItemTypes } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const fallback: ProcessorDefinition = {
  name: 'fallback',
  summary: 'The first input that did not fail (or was not empty).',
  inputs: { min: 2, max: Number.POSITIVE_INFINITY },
  options: {
    when: {
      type: { kind: 'enum', values: ['error', 'empty'] },
      default: 'error',
      doc: 'error (default) or empty',
    },
  },
  source: 'builtin',
  check(ctx) {
    return sameItemTypes(ctx, 'input-type-mismatch', 'fallback between');
  },
};
