/**
 * The catalog: datasets by name, their light projections, field lookup by dotted path, and the
 * reference graph. Built-ins come from `datasets.ts`; a project can add datasets (custom SQL jobs
 * in `disco.yaml`) by building a catalog with extra definitions.
 */
import { UserError } from '../errors/index.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { BUILTIN_DATASETS } from './datasets.js';
import type { Dataset, DatasetName, Field, FieldType, TierName } from './types.js';

/** Tiers that hold the light version of a join (limited space). */
export const LIGHT_TIERS: ReadonlySet<TierName> = new Set<TierName>(['prod', 'batch']);

export class Catalog {
  private readonly byName: ReadonlyMap<string, Dataset>;

  constructor(readonly datasets: readonly Dataset[] = BUILTIN_DATASETS) {
    this.byName = new Map(datasets.map((d) => [d.name, d]));
  }

  /** Builds a catalog with the built-ins plus a project's own datasets. */
  static withExtra(extra: readonly Dataset[]): Catalog {
    return new Catalog([...BUILTIN_DATASETS, ...extra]);
  }

  names(): DatasetName[] {
    return this.datasets.map((d) => d.name);
  }

  find(name: string): Dataset | undefined {
    return this.byName.get(name);
  }

  /** The dataset, or a usage error with a did-you-mean. */
  get(name: string): Dataset {
    const found = this.byName.get(name);
    if (found) return found;
    throw new UserError(`unknown dataset '${name}'${didYouMean(name, this.names())}`, {
      code: 'unknown-dataset',
      hint: `known datasets: ${this.names().join(', ')} (see 'disco catalog')`,
    });
  }
}

/** Whether a tier holds the light version of the dataset (only joins have a light version). */
export function isLightIn(dataset: Dataset, tier: TierName): boolean {
  return LIGHT_TIERS.has(tier) && dataset.fields.some((f) => !f.light);
}

/** The fields a tier holds: the light projection in prod and batch, every field elsewhere. */
export function fieldsIn(dataset: Dataset, tier: TierName): readonly Field[] {
  return LIGHT_TIERS.has(tier) ? dataset.fields.filter((f) => f.light) : dataset.fields;
}

export function lightFields(dataset: Dataset): readonly Field[] {
  return dataset.fields.filter((f) => f.light);
}

/** Looks up `a.b.c` through struct fields (and through lists of structs, element-wise). */
export function fieldAtPath(fields: readonly Field[], path: readonly string[]): Field | undefined {
  let current: readonly Field[] = fields;
  let found: Field | undefined;
  for (const name of path) {
    found = current.find((f) => f.name === name);
    if (!found) return undefined;
    current = structFieldsOf(found.type);
  }
  return found;
}

/** The fields of a struct type, or of a list-of-struct's elements; empty for anything else. */
export function structFieldsOf(type: FieldType): readonly Field[] {
  if (type.kind === 'struct') return type.fields;
  if (type.kind === 'list' && type.of.kind === 'struct') return type.of.fields;
  return [];
}

/** The single key column of a dataset (every join and raw dataset has exactly one). */
export function keyField(dataset: Dataset): Field {
  const name = dataset.key[0];
  const found = dataset.fields.find((f) => f.name === name);
  if (!found || dataset.key.length !== 1) {
    throw new UserError(`dataset '${dataset.name}' has a composite key (${dataset.key.join(', ')})`, {
      code: 'composite-key',
      hint: 'look it up through a query instead',
    });
  }
  return found;
}

/** The default catalog of built-in datasets. */
export const CATALOG = new Catalog();
