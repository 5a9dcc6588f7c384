/**
 * `project` — keep only some fields of the input items (smaller responses). Each name must be a
 * field of the input items (checked by the generic `fields` option type); a dotted name keeps that
 * nested value under the dotted name.
 */
import { typeAtPath } from '../types.js';
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const project: ProcessorDefinition = {
  name: 'project',
  summary: 'The input items with the listed fields only.',
  inputs: { min: 1, max: 1 },
  options: {
    fields: { type: { kind: 'fields' }, required: true, doc: 'the field names to keep' },
  },
  source: 'builtin',
  check(ctx) {
    const input = inputType(ctx);
    const names = ctx.options['fields'];
    if (!input || !Array.isArray(names)) return undefined;
    const fields = [];
    for (const name of names as string[]) {
      const found = typeAtPath(input.fields, name.split('.'));
      if (!('field' in found)) return undefined;
      fields.push(name.includes('.') ? { ...found.field, name, type: found.type } : found.field);
    }
    return { ...input, fields, projected: true };
  },
};
