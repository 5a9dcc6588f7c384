/** The catalog as plain data, for `disco catalog --json` and its text rendering. */
import { type Catalog, fieldsIn } from './catalog.js';
import { type Dataset, type Field, formatType } from './types.js';

export interface FieldInfo {
  name: string;
  type: string;
  light: boolean;
  ref: string | null;
  nullable: boolean;
  doc: string;
}

export interface DatasetInfo {
  dataset: string;
  kind: Dataset['kind'];
  key: readonly string[];
  tiers: Array<{ tier: string; version: 'light' | 'full' }>;
  doc: string;
  fields: FieldInfo[];
}

export function describeField(f: Field): FieldInfo {
  return {
    name: f.name,
    type: formatType(f.type),
    light: f.light,
    ref: f.ref ?? null,
    nullable: f.nullable ?? false,
    doc: f.doc,
  };
}

export function describeDataset(d: Dataset): DatasetInfo {
  return {
    dataset: d.name,
    kind: d.kind,
    key: d.key,
    tiers: d.tiers.map((tier) => ({
      tier,
      version: fieldsIn(d, tier).length < d.fields.length ? 'light' : 'full',
    })),
    doc: d.doc,
    fields: d.fields.map(describeField),
  };
}

export function describeCatalog(catalog: Catalog, only?: string): { datasets: DatasetInfo[] } {
  const datasets = only === undefined ? catalog.datasets : [catalog.get(only)];
  return { datasets: datasets.map(describeDataset) };
}
