/** `limit` — the first `n` input items. */
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const limit: ProcessorDefinition = {
  name: 'limit',
  summary: 'The first `n` input items.',
  inputs: { min: 1, max: 1 },
  options: {
    n: { type: { kind: 'int', min: 0 }, required: true, doc: 'how many items to keep' },
  },
  source: 'builtin',
  check: inputType,
};
