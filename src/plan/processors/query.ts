/**
 * `query` — one read-only SELECT on the batch or archive tier (SQL aggregation), returning rows of
 * a declared type. `$params.NAME` inside the SQL is bound as a parameter, never spliced (the
 * resolved option carries the SQL with named and positional placeholders). The generic option
 * checks verify it is a single read-only SELECT and that its params exist.
 */
import { declaredItems, datasetItems } from '../types.js';
import type { ProcessorDefinition } from './definition.js';
import type { TierName } from '../../catalog/types.js';

export const query: ProcessorDefinition = {
  name: 'query',
  summary: 'Rows of one read-only SELECT on batch or archive, of the declared type.',
  inputs: { min: 0, max: 0 },
  options: {
    tier: { type: { kind: 'tier', allowed: ['batch', 'archive'] }, required: true, doc: 'batch or archive' },
    sql: {
      type: { kind: 'sql' },
      required: true,
      doc: 'one read-only SELECT; $params.NAME is bound as a parameter',
    },
    returns: { type: { kind: 'returns' }, required: true, doc: '{dataset: X} or {fields: {NAME: TYPE}}' },
  },
  source: 'builtin',
  check(ctx) {
    const tier = ctx.options['tier'];
    if (typeof tier === 'string') ctx.note({ tier: tier as TierName });
    const returns = ctx.options['returns'];
    if (!returns || typeof returns !== 'object') return undefined;
    if ('dataset' in returns && typeof returns.dataset === 'string') {
      const dataset = ctx.catalog.find(returns.dataset);
      if (!dataset) return undefined;
      ctx.note({ dataset: dataset.name });
      return datasetItems(dataset, typeof tier === 'string' ? (tier as TierName) : undefined);
    }
    if ('fields' in returns && Array.isArray(returns.fields)) {
      return declaredItems(
        returns.fields.map((f: { name: string; type: never }) => ({
          name: f.name,
          type: f.type,
          light: true,
          doc: 'declared by the query',
        })),
      );
    }
    return undefined;
  },
};
