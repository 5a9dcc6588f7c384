/**
 * `merge` — mix two or more inputs into one list. All inputs must carry the same item type
 * (`merge-type-mismatch`): a response list of mixed records would break every consumer. With
 * `strategy: weighted`, every input needs a weight.
 */
import { sameItemTypes } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const merge: ProcessorDefinition = {
  name: 'merge',
  summary: 'The items of all inputs (same item type), concatenated, interleaved or weighted.',
  inputs: { min: 2, max: Number.POSITIVE_INFINITY },
  options: {
    strategy: {
      type: { kind: 'enum', values: ['concat', 'interleave', 'weighted'] },
      default: 'concat',
      doc: 'concat (default), interleave or weighted',
    },
    weights: {
      type: { kind: 'map', of: { kind: 'number', min: 0 }, keys: 'inputs' },
      doc: 'input name → weight (for weighted)',
    },
    dedupe_by: { type: { kind: 'expr', expect: 'any' }, doc: 'drop later items with the same value' },
    limit: { type: { kind: 'int', min: 1 }, doc: 'keep at most this many items' },
  },
  source: 'builtin',
  check(ctx) {
    const type = sameItemTypes(ctx, 'merge-type-mismatch', 'merge of');
    const strategy = ctx.options['strategy'];
    const weights = ctx.options['weights'];
    if (strategy === 'weighted') {
      if (weights === undefined && !ctx.written.has('weights'))
        ctx.report(['strategy'], 'missing-key', "strategy 'weighted' needs 'weights' (input name → number)");
      else if (weights && typeof weights === 'object' && !Array.isArray(weights)) {
        const missing = ctx.inputs.filter((i) => !Object.hasOwn(weights, i.ref)).map((i) => i.ref);
        if (missing.length > 0)
          ctx.report(
            ['weights'],
            'missing-key',
            `'weights' has no weight for input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`,
          );
      }
    } else if (weights !== undefined && typeof strategy === 'string') {
      ctx.report(['weights'], 'unused-option', `'weights' is ignored unless strategy is 'weighted'`, {
        part: 'key',
        severity: 'warning',
      });
    }
    return type;
  },
};
