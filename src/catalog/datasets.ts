/**
 * Every dataset of SPEC §2, defined once. Everything else derives from these definitions:
 * DuckDB DDL and Parquet schemas (through `duckdbType`), SQLite tables, light projections,
 * reference checks in the jobs, and the plan type system.
 */
import {
  BOOL,
  type Dataset,
  type DatasetKind,
  type DatasetName,
  type Field,
  type FieldType,
  FLOAT,
  INT,
  listOf,
  STRING,
  structOf,
  type TierName,
  TIMESTAMP,
} from './types.js';

interface FieldOptions {
  light?: boolean;
  ref?: string;
  nullable?: boolean;
}

function field(name: string, type: FieldType, doc: string, options: FieldOptions = {}): Field {
  return {
    name,
    type,
    doc,
    light: options.light ?? true,
    ...(options.ref === undefined ? {} : { ref: options.ref as DatasetName }),
    ...(options.nullable ? { nullable: true } : {}),
  };
}

const FULL_TIERS: readonly TierName[] = ['archive', 'debug'];
const TIERS_BY_KIND: Record<DatasetKind, readonly TierName[]> = {
  raw: FULL_TIERS,
  derived: ['batch', ...FULL_TIERS],
  join: ['prod', 'batch', ...FULL_TIERS],
};

function dataset(
  name: string,
  kind: DatasetKind,
  key: readonly string[],
  doc: string,
  fields: Field[],
): Dataset {
  return { name: name as DatasetName, kind, key, fields, tiers: TIERS_BY_KIND[kind], doc };
}

/** The 32 board categories (SPEC §2). */
export const CATEGORIES = [
  'animals', 'art', 'beauty', 'cars', 'celebrities', 'design', 'diy', 'education', 'fashion', 'film',
  'fitness', 'food', 'gardening', 'hair', 'health', 'history', 'home', 'humor', 'kids', 'men', 'music',
  'outdoors', 'photography', 'products', 'quotes', 'science', 'sports', 'tattoos', 'technology',
  'travel', 'weddings', 'other',
] as const; // biome-ignore format: one list, kept compact
export type Category = (typeof CATEGORIES)[number];

const boardSummary = structOf([
  field('board_id', INT, 'the board', { ref: 'boardjoin' }),
  field('name', STRING, 'board name'),
  field('category', STRING, 'corrected category'),
  field('pagerank', FLOAT, 'board PageRank'),
]);

// ---- raw data (generator output) ------------------------------------------------------------

const users = dataset('users', 'raw', ['user_id'], 'Pinners.', [
  field('user_id', INT, 'user key'),
  field('username', STRING, 'unique handle'),
  field('country', STRING, 'ISO-3166 alpha-2 country code'),
  field('bio', STRING, 'free-text profile bio'),
  field('created_at', TIMESTAMP, 'sign-up time'),
]);

const boards = dataset('boards', 'raw', ['board_id'], 'Boards, with the category their owner assigned.', [
  field('board_id', INT, 'board key'),
  field('owner_id', INT, 'the owning user', { ref: 'users' }),
  field('name', STRING, 'board name'),
  field('description', STRING, 'board description'),
  field('category', STRING, 'category as assigned by the owner (can be wrong)'),
  field('created_at', TIMESTAMP, 'creation time'),
]);

const pins = dataset('pins', 'raw', ['pin_id'], 'Pins: uploads and repins of images onto boards.', [
  field('pin_id', INT, 'pin key'),
  field('board_id', INT, 'the board the pin is on', { ref: 'boards' }),
  field('pinner_id', INT, 'the user who pinned it', { ref: 'users' }),
  field('image_signature', STRING, 'content hash of the image'),
  field('parent_pin_id', INT, 'the pin it was repinned from; null for an upload', {
    ref: 'pins',
    nullable: true,
  }),
  field('title', STRING, 'pin title'),
  field('description', STRING, 'pin description'),
  field('link', STRING, 'outbound link'),
  field('created_at', TIMESTAMP, 'pin time'),
]);

const boardTruth = dataset(
  'board_truth',
  'raw',
  ['board_id'],
  'Generator ground truth, read only to evaluate jobs.',
  [
    field('board_id', INT, 'board key', { ref: 'boards' }),
    field('true_category', STRING, 'the category the board really has'),
    field('mislabeled', BOOL, 'the owner assigned a wrong category'),
  ],
);

// ---- derived datasets (offline jobs) ----------------------------------------------------------

const repinGraph = dataset(
  'repin_graph',
  'derived',
  ['src_board_id', 'dst_board_id'],
  'Board-to-board repin counts.',
  [
    field('src_board_id', INT, 'board of the parent pin', { ref: 'boardjoin' }),
    field('dst_board_id', INT, 'board of the repin', { ref: 'boardjoin' }),
    field('weight', INT, 'repins from a pin on src to dst'),
  ],
);

const boardPagerank = dataset(
  'board_pagerank',
  'derived',
  ['board_id'],
  'Weighted PageRank of the board graph.',
  [
    field('board_id', INT, 'board key', { ref: 'boardjoin' }),
    field('pagerank', FLOAT, 'PageRank; all ranks sum to 1'),
  ],
);

const boardCategory = dataset(
  'board_category',
  'derived',
  ['board_id'],
  'Board categories corrected from repin evidence.',
  [
    field('board_id', INT, 'board key', { ref: 'boardjoin' }),
    field('category_assigned', STRING, 'category as assigned by the owner'),
    field('category', STRING, 'corrected category'),
    field('confidence', FLOAT, 'confidence in the corrected category, 0..1'),
    field('miscategorized', BOOL, 'the corrected category differs from the assigned one'),
  ],
);

// ---- join records ---------------------------------------------------------------------------

const pinjoin = dataset('pinjoin', 'join', ['image_signature'], 'All pins that share an image.', [
  field('image_signature', STRING, 'image key'),
  field('pin_ids', listOf(INT), 'pins of this image', { light: false, ref: 'pins' }),
  field('pin_count', INT, 'number of pins'),
  field('repin_count', INT, 'number of repins'),
  field('board_ids', listOf(INT), 'boards holding the image', { ref: 'boardjoin' }),
  field('user_ids', listOf(INT), 'users who pinned the image', { ref: 'userjoin' }),
  field('title', STRING, 'most common title'),
  field('description', STRING, 'description of the first pin', { light: false }),
  field('link', STRING, 'most common link'),
  field('category', STRING, "from its boards' corrected categories"),
  field('score', FLOAT, "sum of its boards' PageRank"),
  field('first_pinned_at', TIMESTAMP, 'time of the first pin'),
  field(
    'repin_edges',
    listOf(
      structOf([
        field('parent_pin_id', INT, 'repinned pin', { ref: 'pins' }),
        field('pin_id', INT, 'the repin', { ref: 'pins' }),
      ]),
    ),
    'the repin chains',
    { light: false },
  ),
  field('boards', listOf(boardSummary), 'top 20 boards by PageRank'),
]);

const boardjoin = dataset('boardjoin', 'join', ['board_id'], 'A board with its features and pins.', [
  field('board_id', INT, 'board key'),
  field('owner_id', INT, 'owner', { ref: 'userjoin' }),
  field('name', STRING, 'board name'),
  field('description', STRING, 'board description', { light: false }),
  field('category_assigned', STRING, 'category as assigned by the owner'),
  field('category', STRING, 'corrected category'),
  field('category_confidence', FLOAT, 'confidence in the corrected category'),
  field('miscategorized', BOOL, 'corrected category differs from the assigned one'),
  field('pagerank', FLOAT, 'board PageRank'),
  field('pin_count', INT, 'pins on the board'),
  field('image_signatures', listOf(STRING), 'images on the board', { ref: 'pinjoin' }),
  field(
    'owner',
    structOf([
      field('user_id', INT, 'owner', { ref: 'userjoin' }),
      field('username', STRING, 'owner handle'),
      field('country', STRING, 'owner country'),
    ]),
    'owner summary',
  ),
  field(
    'pins',
    listOf(
      structOf([
        field('image_signature', STRING, 'image', { ref: 'pinjoin' }),
        field('title', STRING, 'image title'),
        field('score', FLOAT, 'image score'),
      ]),
    ),
    'image summaries',
    { light: false },
  ),
]);

const userjoin = dataset('userjoin', 'join', ['user_id'], 'A user with their boards and influence.', [
  field('user_id', INT, 'user key'),
  field('username', STRING, 'handle'),
  field('country', STRING, 'ISO-3166 alpha-2 country'),
  field('bio', STRING, 'profile bio', { light: false }),
  field('board_ids', listOf(INT), "the user's boards", { ref: 'boardjoin' }),
  field('pin_count', INT, 'pins by the user'),
  field('top_categories', listOf(STRING), 'most frequent categories of their boards'),
  field('influence', FLOAT, "sum of their boards' PageRank"),
  field('boards', listOf(boardSummary), 'board summaries', { light: false }),
]);

/** All built-in datasets, in dependency order (raw, derived, joins). */
export const BUILTIN_DATASETS: readonly Dataset[] = [
  users,
  boards,
  pins,
  boardTruth,
  repinGraph,
  boardPagerank,
  boardCategory,
  pinjoin,
  boardjoin,
  userjoin,
];
