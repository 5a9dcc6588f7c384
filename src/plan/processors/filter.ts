/** `filter` — keep the input items for which `where` (a boolean expression) holds. */
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const filter: ProcessorDefinition = {
  name: 'filter',
  summary: 'The input items for which `where` holds.',
  inputs: { min: 1, max: 1 },
  options: {
    where: {
      type: { kind: 'expr', expect: 'bool' },
      required: true,
      doc: 'a boolean expression over the item',
    },
  },
  source: 'builtin',
  check: inputType,
};
