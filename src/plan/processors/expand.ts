/**
 * `expand` — follow a reference field of the input items to the records it points at
 * (e.g. a pin's `board_ids` → boardjoin). `dataset` must be the field's target: expanding through
 * a field that is not a reference, or to another dataset, would fetch unrelated records.
 */
import { typeAtPath } from '../types.js';
import { inputType, recordsFromTier } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const expand: ProcessorDefinition = {
  name: 'expand',
  summary:
    'Records of `dataset` that a reference field of the input items points at, each key once, in order of first reference.',
  inputs: { min: 1, max: 1 },
  options: {
    field: { type: { kind: 'field' }, required: true, doc: 'a reference field of the input items' },
    tier: { type: { kind: 'tier' }, required: true, doc: 'the tier to read from' },
    dataset: { type: { kind: 'dataset' }, required: true, doc: "the field's target dataset" },
    limit: { type: { kind: 'int', min: 1 }, doc: 'at most this many records' },
  },
  source: 'builtin',
  check(ctx) {
    const items = recordsFromTier(ctx);
    const input = inputType(ctx);
    const fieldName = ctx.options['field'];
    const target = ctx.options['dataset'];
    if (!input || typeof fieldName !== 'string') return items;
    const found = typeAtPath(input.fields, fieldName.split('.'));
    if (!('field' in found)) return items;
    const refs = input.fields.filter((f) => f.ref !== undefined).map((f) => `${f.name} → ${f.ref}`);
    if (found.field.ref === undefined) {
      ctx.report(
        ['field'],
        'expand-not-reference',
        `field '${fieldName}' is not a reference to another dataset, so expand cannot follow it${refs.length > 0 ? ` (reference fields here: ${refs.join(', ')})` : ''}`,
      );
    } else if (typeof target === 'string' && found.field.ref !== target) {
      const alternatives = input.fields.filter((f) => f.ref === target).map((f) => f.name);
      ctx.report(
        ['dataset'],
        'expand-not-reference',
        `field '${fieldName}' references ${found.field.ref}, not ${target}; set dataset: ${found.field.ref}${alternatives.length > 0 ? ` or expand through ${alternatives.map((a) => `'${a}'`).join(', ')}` : ''}`,
      );
    }
    return items;
  },
};
