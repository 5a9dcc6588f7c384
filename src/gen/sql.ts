/**
 * The string half of the generator: DuckDB SELECTs that turn the model's integer columns into the
 * raw datasets' rows (names, titles, links, countries, timestamps). Column names, order and types
 * come from the catalog; this file only says how each field's value is made. All randomness here
 * is `hash(id, seed, k)`, so it is deterministic and independent of thread scheduling.
 */
import { CATALOG, CATEGORIES, type Dataset, duckdbType } from '../catalog/index.js';
import { InternalError } from '../errors/index.js';
import {
  ADJECTIVES,
  BIO_ROLES,
  BIO_VERBS,
  BOARD_PREFIXES,
  COUNTRY_WEIGHTS,
  DESCRIPTION_OPENERS,
  DOMAINS,
  NAME_NOUNS,
  NAME_WORDS,
  TITLE_SUFFIXES,
  TOPICS,
} from './vocabulary.js';

/** The integer columns the model hands to DuckDB, per raw dataset (all INTEGER). */
export const STAGING_COLUMNS = {
  users: ['country', 'ts'],
  boards: ['owner', 'truecat', 'assignedcat', 'ts'],
  pins: ['board', 'pinner', 'parent', 'root', 'img', 'cat', 'ts'],
} as const;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (items: readonly string[]) => `[${items.map(quote).join(', ')}]`;
const intList = (items: readonly number[]) => `[${items.join(', ')}]`;

/** One element of a constant list, chosen by a hash. */
function pick(items: readonly string[], hashExpr: string): string {
  return `${list(items)}[1 + (${hashExpr} % ${items.length})::BIGINT]`;
}

/** One element of a per-category list (flattened with offsets), chosen by a hash. */
function pickByCategory(
  perCategory: readonly (readonly string[])[],
  catExpr: string,
  hashExpr: string,
): string {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let offset = 0;
  for (const items of perCategory) {
    offsets.push(offset);
    lengths.push(items.length);
    offset += items.length;
  }
  const flat = perCategory.flat();
  return `${list(flat)}[1 + ${intList(offsets)}[${catExpr} + 1] + (${hashExpr} % (${intList(lengths)}[${catExpr} + 1])::UBIGINT)::BIGINT]`;
}

const CATEGORY_LIST = list(CATEGORIES);
const SUBJECTS = CATEGORIES.map((c) => TOPICS[c].subjects);
const BOARD_NAMES = CATEGORIES.map((c) => TOPICS[c].boards);
const capitalized = (words: readonly string[]) => words.map((w) => w.charAt(0).toUpperCase() + w.slice(1));

export interface SqlContext {
  seed: number;
  /** Seconds since the Unix epoch that the model's `ts` columns count from. */
  baseEpoch: number;
  /** Added to rowid + 1 to form the key (pins are written in parts). */
  idOffset: number;
}

function fieldExpressions(
  dataset: 'users' | 'boards' | 'board_truth' | 'pins',
  ctx: SqlContext,
): Record<string, string> {
  const h = (of: string, k: number) => `hash(${of}, ${ctx.seed}::UBIGINT, ${k})`;
  const id = `(rowid + ${ctx.idOffset + 1})`;
  const time = `make_timestamp((${ctx.baseEpoch} + ts)::BIGINT * 1000000)`;
  switch (dataset) {
    case 'users':
      return {
        user_id: id,
        username: `${pick(NAME_WORDS, h(id, 1))} || ${pick(['', '_', '.', ''], h(id, 2))} || ${pick(NAME_NOUNS, h(id, 3))} || ${id}`,
        country: `${list(COUNTRY_WEIGHTS.map(([code]) => code))}[country + 1]`,
        bio: `CASE WHEN ${h(id, 4)} % 5 = 0 THEN '' ELSE ${pick(BIO_ROLES, h(id, 5))} || ' · ' || ${pick(BIO_VERBS, h(id, 6))} || ' ' || ${pick(CATEGORIES, h(id, 7))} || ' and ' || ${pick(CATEGORIES, h(id, 8))} END`,
        created_at: time,
      };
    case 'boards':
      return {
        board_id: id,
        owner_id: 'owner',
        // Names follow the board's TRUE category: the text carries signal even when the label is wrong.
        name: `${pick(BOARD_PREFIXES, h(id, 11))} || ${pickByCategory(BOARD_NAMES, 'truecat', h(id, 12))}`,
        description: `CASE WHEN ${h(id, 13)} % 6 = 0 THEN '' ELSE ${pick(['Ideas for ', 'All things ', 'A collection of ', 'Saving ', 'Inspiration: '], h(id, 14))} || ${pickByCategory(SUBJECTS, 'truecat', h(id, 15))} || ' and ' || ${pickByCategory(SUBJECTS, 'truecat', h(id, 16))} END`,
        category: `${CATEGORY_LIST}[assignedcat + 1]`,
        created_at: time,
      };
    case 'board_truth':
      return {
        board_id: id,
        true_category: `${CATEGORY_LIST}[truecat + 1]`,
        mislabeled: 'truecat <> assignedcat',
      };
    case 'pins':
      // Everything but the key, board, pinner, parent and time comes from the ROOT upload (a repin
      // copies its image, title, description and link); the signature comes from the image itself.
      return {
        pin_id: id,
        board_id: 'board',
        pinner_id: 'pinner',
        image_signature: `printf('%016x', ${h('img', 21)})`,
        parent_pin_id: 'NULLIF(parent, 0)',
        title: `${pick(capitalized(ADJECTIVES), h('root', 22))} || ' ' || ${pickByCategory(SUBJECTS, 'cat', h('root', 23))} || ${pick(
          TITLE_SUFFIXES.map((s) => (s ? ` ${s}` : '')),
          h('root', 24),
        )}`,
        description: `${pick(DESCRIPTION_OPENERS, h('root', 25))} || '! ' || ${pick(['Step-by-step ', 'All about this ', 'The best ', 'How to do this ', 'More '], h('root', 26))} || ${pickByCategory(SUBJECTS, 'cat', h('root', 23))} || ${pick(
          TITLE_SUFFIXES.map((s) => (s ? ` ${s}` : '')),
          h('root', 28),
        )} || '.'`,
        link: `'https://www.' || ${pick(DOMAINS, h('root', 29))} || '/' || replace(${pickByCategory(SUBJECTS, 'cat', h('root', 23))}, ' ', '-') || '-' || (${h('root', 30)} % 1000000)::VARCHAR`,
        created_at: time,
      };
  }
}

/** The SELECT that produces a raw dataset's rows from its staging table, in the catalog's schema. */
export function selectRaw(
  name: 'users' | 'boards' | 'board_truth' | 'pins',
  table: string,
  ctx: SqlContext,
): string {
  const dataset: Dataset = CATALOG.get(name);
  const exprs = fieldExpressions(name, ctx);
  const columns = dataset.fields.map((field) => {
    const expr = exprs[field.name];
    if (expr === undefined) throw new InternalError(`the generator does not produce ${name}.${field.name}`);
    return `(${expr})::${duckdbType(field.type)} AS "${field.name}"`;
  });
  const extra = Object.keys(exprs).filter((k) => !dataset.fields.some((f) => f.name === k));
  if (extra.length > 0)
    throw new InternalError(`the generator produces fields not in the catalog: ${extra.join(', ')}`);
  return `SELECT ${columns.join(',\n  ')}\nFROM ${table}`;
}
