/**
 * `experiment` — A/B routing: hash `by` (a per-request expression such as `$params.user`) to pick
 * one variant by weight; only that variant's nodes run. Variants name their input node; they need
 * at least two variants, non-negative weights that are not all zero, and one item type.
 */
import { sameItemTypes } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const experiment: ProcessorDefinition = {
  name: 'experiment',
  summary: "The chosen variant's items (weighted hash of `by`); only that variant's nodes run.",
  inputs: { min: 2, max: Number.POSITIVE_INFINITY },
  options: {
    by: {
      type: { kind: 'expr', expect: 'any', scope: 'request' },
      required: true,
      doc: 'the per-request value to hash, e.g. $params.user',
    },
    variants: { type: { kind: 'variants' }, required: true, doc: 'variant name → {weight, input}' },
  },
  source: 'builtin',
  implicitInputs(node) {
    const out: Array<{ ref: string; path: Array<string | number> }> = [];
    const variants = node.entries.find((e) => e.key === 'variants');
    if (variants?.value.kind !== 'map') return out;
    for (const v of variants.value.entries) {
      if (v.value.kind !== 'map') continue;
      const input = v.value.entries.find((e) => e.key === 'input');
      if (input?.value.kind === 'scalar' && typeof input.value.value === 'string') {
        out.push({ ref: input.value.value, path: ['variants', v.key, 'input'] });
      }
    }
    return out;
  },
  check(ctx) {
    const variants = ctx.options['variants'];
    if (variants && typeof variants === 'object' && !Array.isArray(variants)) {
      const list = Object.values(variants) as Array<{ weight: number }>;
      if (list.length < 2)
        ctx.report(
          ['variants'],
          'experiment-variants',
          `an experiment needs at least two variants, not ${list.length}`,
        );
      else if (list.every((v) => v.weight === 0))
        ctx.report(
          ['variants'],
          'experiment-weights',
          'every variant weight is 0; give at least one a positive weight',
        );
    }
    return sameItemTypes(ctx, 'input-type-mismatch', 'experiment variants with');
  },
};
