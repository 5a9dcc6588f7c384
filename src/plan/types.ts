/**
 * Item types: what the items flowing along a plan's edges look like. Records of a catalog dataset
 * read from a tier (the light projection in prod and batch, via `fieldsIn`), or rows with declared
 * fields (a `query` with `returns: {fields}`, a custom processor). Processors compute their output
 * item type from their inputs' types and their options; expressions are checked against them.
 */
import { fieldsIn, isLightIn } from '../catalog/catalog.js';
import type { Dataset, DatasetName, Field, FieldType, TierName } from '../catalog/types.js';
import { formatType, typesEqual } from '../catalog/types.js';

export interface ItemType {
  /** The dataset the items are records of (possibly projected); absent for declared rows. */
  readonly dataset?: DatasetName;
  /** The tier the records were read from. */
  readonly tier?: TierName;
  /** The records are the light version (some fields left out by the tier). */
  readonly light: boolean;
  /** The fields the items carry. */
  readonly fields: readonly Field[];
  /** Only some fields were kept (`project`). */
  readonly projected?: boolean;
}

/** Records of `dataset` as `tier` holds them. */
export function datasetItems(dataset: Dataset, tier: TierName | undefined): ItemType {
  if (tier === undefined) return { dataset: dataset.name, light: false, fields: dataset.fields };
  return { dataset: dataset.name, tier, light: isLightIn(dataset, tier), fields: fieldsIn(dataset, tier) };
}

/** Rows with declared fields. */
export function declaredItems(fields: readonly Field[]): ItemType {
  return { light: false, fields };
}

/** `pinjoin (light, from prod)`, `pinjoin`, `{title string, n int}` — for messages. */
export function describeItemType(type: ItemType): string {
  if (type.dataset !== undefined) {
    const notes: string[] = [];
    if (type.projected) notes.push(`fields ${type.fields.map((f) => f.name).join(', ')}`);
    else if (type.light) notes.push('light');
    if (type.tier) notes.push(`from ${type.tier}`);
    return notes.length > 0 ? `${type.dataset} (${notes.join(', ')})` : type.dataset;
  }
  return `{${type.fields.map((f) => `${f.name} ${formatType(f.type)}`).join(', ')}}`;
}

/**
 * Whether two item types can be mixed in one list (merge, fallback, experiment): records of the
 * same dataset (light and full mix: the result has the common fields), or rows with the same fields.
 */
export function compatibleItemTypes(a: ItemType, b: ItemType): boolean {
  if (a.dataset !== undefined || b.dataset !== undefined) {
    if (a.dataset !== b.dataset) return false;
    if (!a.projected && !b.projected) return true;
  }
  return sameFields(a.fields, b.fields);
}

function sameFields(a: readonly Field[], b: readonly Field[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((f) => {
    const other = b.find((g) => g.name === f.name);
    return other !== undefined && typesEqual(f.type, other.type);
  });
}

/** The item type of a list mixing compatible types: the fields they all carry. */
export function unifyItemTypes(types: readonly ItemType[]): ItemType | undefined {
  const [first, ...rest] = types;
  if (!first) return undefined;
  let fields = first.fields;
  let light = first.light;
  let tier = first.tier;
  for (const t of rest) {
    fields = fields.filter((f) => t.fields.some((g) => g.name === f.name));
    light ||= t.light;
    if (tier !== t.tier) tier = undefined;
  }
  return {
    ...(first.dataset !== undefined ? { dataset: first.dataset } : {}),
    ...(tier !== undefined ? { tier } : {}),
    light,
    fields,
    ...(first.projected ? { projected: true } : {}),
  };
}

/** The type of the values at a dotted path; crossing a list of structs gives a list. */
export function typeAtPath(
  fields: readonly Field[],
  path: readonly string[],
): { type: FieldType; field: Field } | { missing: number; candidates: readonly Field[] } {
  let current = fields;
  let listDepth = 0;
  let found: Field | undefined;
  for (let i = 0; i < path.length; i++) {
    found = current.find((f) => f.name === path[i]);
    if (!found) return { missing: i, candidates: current };
    if (i < path.length - 1) {
      let t = found.type;
      while (t.kind === 'list') {
        listDepth++;
        t = t.of;
      }
      current = t.kind === 'struct' ? t.fields : [];
    }
  }
  let type = found!.type;
  for (let i = 0; i < listDepth; i++) type = { kind: 'list', of: type };
  return { type, field: found! };
}
