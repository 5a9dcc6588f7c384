/** `dedupe` — keep the first input item of each value of `by`. */
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const dedupe: ProcessorDefinition = {
  name: 'dedupe',
  summary: 'The input items, first of each value of `by`.',
  inputs: { min: 1, max: 1 },
  options: {
    by: {
      type: { kind: 'expr', expect: 'any' },
      required: true,
      doc: 'the expression whose value identifies duplicates',
    },
  },
  source: 'builtin',
  check: inputType,
};
