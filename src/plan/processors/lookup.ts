/**
 * `lookup` — the source of most plans: fetch records of `dataset` by key from `tier`.
 * Checks the tier holds the dataset, the dataset has a single key, and the keys (a param or a
 * literal list) have the key's type. A param used as `keys` becomes a *key param* of the dataset.
 * Options at run time: `keys` is `{param}` or a list of literal keys.
 */
import { keyField } from '../../catalog/catalog.js';
import { formatType } from '../../catalog/types.js';
import { isParamOption } from '../ast.js';
import { recordsFromTier } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const lookup: ProcessorDefinition = {
  name: 'lookup',
  summary:
    'Records of a dataset by key from a tier (light in prod and batch), in key order; missing keys are left out.',
  inputs: { min: 0, max: 0 },
  options: {
    tier: { type: { kind: 'tier' }, required: true, doc: 'the tier to read from' },
    dataset: { type: { kind: 'dataset' }, required: true, doc: 'the dataset to read' },
    keys: { type: { kind: 'keys' }, required: true, doc: 'the keys: $params.NAME, or a list literal' },
  },
  source: 'builtin',
  check(ctx) {
    const items = recordsFromTier(ctx);
    const name = ctx.options['dataset'];
    const dataset = typeof name === 'string' ? ctx.catalog.find(name) : undefined;
    if (!dataset) return items;
    if (dataset.key.length !== 1) {
      ctx.report(
        ['dataset'],
        'composite-key',
        `${dataset.name} has a composite key (${dataset.key.join(', ')}); lookup needs a single key — read it with a query instead`,
      );
      return items;
    }
    const key = keyField(dataset);
    const keys = ctx.options['keys'];
    if (isParamOption(keys)) {
      const t = ctx.paramType(keys.param);
      if (t && !(t.kind === key.type.kind || (t.kind === 'list' && t.of.kind === key.type.kind))) {
        ctx.report(
          ['keys'],
          'param-type',
          `the keys of ${dataset.name} are ${formatType(key.type)} (${key.name}); param '${keys.param}' is ${formatType(t)} — declare it ${key.type.kind} or list<${key.type.kind}>`,
        );
      }
    } else if (Array.isArray(keys)) {
      keys.forEach((k, i) => {
        const ok =
          key.type.kind === 'string' ? typeof k === 'string' : typeof k === 'number' && Number.isInteger(k);
        if (!ok) {
          ctx.report(
            Array.isArray(keys) && keys.length > 0 ? ['keys', i] : ['keys'],
            'wrong-type',
            `the keys of ${dataset.name} are ${formatType(key.type)} (${key.name}), not ${typeof k} ${JSON.stringify(k)}`,
          );
        }
      });
    }
    return items;
  },
};
