/** Helpers the built-in processors share: reading records from a tier, comparing input types. */
import type { TierName } from '../../catalog/types.js';
import {
  describeItemType,
  datasetItems,
  compatibleItemTypes,
  type ItemType,
  unifyItemTypes,
} from '../types.js';
import type { ProcessorContext } from './definition.js';

/** Records of the node's `dataset` option as its `tier` option holds them; checks the tier holds it. */
export function recordsFromTier(ctx: ProcessorContext): ItemType | undefined {
  const tier = ctx.options['tier'];
  const name = ctx.options['dataset'];
  if (typeof name !== 'string') return undefined;
  const dataset = ctx.catalog.find(name);
  if (!dataset) return undefined;
  if (typeof tier !== 'string') return datasetItems(dataset, undefined);
  ctx.note({ tier: tier as TierName, dataset: dataset.name });
  if (!dataset.tiers.includes(tier as TierName)) {
    ctx.report(
      ['dataset'],
      'dataset-not-in-tier',
      `tier ${tier} does not hold ${name} (it is held by: ${dataset.tiers.join(', ')})`,
    );
  }
  return datasetItems(dataset, tier as TierName);
}

/** The single input's type (filter, rank, …). */
export function inputType(ctx: ProcessorContext): ItemType | undefined {
  return ctx.inputs[0]?.type;
}

/** Checks that all inputs carry the same item type; returns their common type. */
export function sameItemTypes(ctx: ProcessorContext, code: string, what: string): ItemType | undefined {
  const typed = ctx.inputs.filter((i) => i.type !== undefined) as Array<{ ref: string; type: ItemType }>;
  const first = typed[0];
  if (!first) return undefined;
  for (const other of typed.slice(1)) {
    if (!compatibleItemTypes(first.type, other.type)) {
      ctx.report(
        ['input'],
        code,
        `${what} inputs of different item types: '${first.ref}' gives ${describeItemType(first.type)} but '${other.ref}' gives ${describeItemType(other.type)}`,
      );
      return undefined;
    }
  }
  if (typed.length < ctx.inputs.length) return undefined;
  return unifyItemTypes(typed.map((t) => t.type));
}
