/**
 * The three joins (SPEC §2), built in DuckDB SQL in dependency order so that each holds the
 * others' summaries and the derived features flow into all three:
 *
 *   pinjoin   ← pins, boards, board_category, board_pagerank   (score = Σ its boards' PageRank)
 *   boardjoin ← boards, users, pins, board_category, board_pagerank, pinjoin (image summaries with score)
 *   userjoin  ← users, pins, boardjoin                          (board summaries, influence)
 *
 * pinjoin is the base of boardjoin, boardjoin the base of userjoin; no summary a join needs comes
 * from a join downstream of it, so one pass suffices. Lists are sorted deterministically so a
 * re-run writes the same bytes. They read the run's tables of the raw pins (`disco_pins`, with an
 * integer `image_id`, and `disco_images`; src/jobs/duck.ts `loadRawTables`) and group and join on
 * the integer image id rather than the signature strings.
 */
import { CATALOG } from '../../catalog/catalog.js';
import type { JobDefinition, Sql } from '../job.js';

/*
 * Ordered aggregates (`list(x ORDER BY y)`) sort inside every group and are an order of magnitude
 * slower in DuckDB than sorting the finished list, so lists are built as structs whose first field
 * is the sort key, sorted with list_sort, then projected (`list_transform`) to the catalog's shape.
 * Ties are broken by the next fields, so the output is deterministic. board_ids come from the
 * distinct (image, board) pairs that imgboards groups anyway (cheaper than list_distinct over all
 * pins; a LEFT JOIN, so a board missing from boards still shows and fails the reference check).
 */

/** `description`: the first pin's, by (created_at, pin_id), packed into one HUGEINT key. */
const FIRST_PIN_KEY =
  'epoch_us(created_at)::HUGEINT * 18446744073709551616 + (pin_id::HUGEINT + 9223372036854775808)';

const pinjoinSql = (inRange: string) => `
WITH boardinfo AS (
  SELECT b.board_id, b.name, c.category, r.pagerank
  FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id)),
img AS (
  SELECT image_id,
         list_sort(list(pin_id)) AS pin_ids,
         count(*) AS pin_count,
         count(parent_pin_id) AS repin_count,
         list_sort(list_distinct(list(pinner_id))) AS user_ids,
         arg_min(description, ${FIRST_PIN_KEY}) AS description,
         min(created_at) AS first_pinned_at,
         list_transform(
           list_sort(list({'k': pin_id, 'p': parent_pin_id}) FILTER (WHERE parent_pin_id IS NOT NULL)),
           x -> {'parent_pin_id': x.p, 'pin_id': x.k}) AS repin_edges
  FROM disco_pins WHERE ${inRange} GROUP BY image_id),
titles AS (
  SELECT image_id, arg_max(title, {'n': n, 't': title}) AS title
  FROM (SELECT image_id, title, count(*) AS n FROM disco_pins WHERE ${inRange} GROUP BY ALL) GROUP BY 1),
links AS (
  SELECT image_id, arg_max(link, {'n': n, 'l': link}) AS link
  FROM (SELECT image_id, link, count(*) AS n FROM disco_pins WHERE ${inRange} GROUP BY ALL) GROUP BY 1),
ib AS MATERIALIZED (
  SELECT p.image_id, p.board_id, bi.board_id IS NOT NULL AS known, bi.name, bi.category, bi.pagerank
  FROM (SELECT DISTINCT image_id, board_id FROM disco_pins WHERE ${inRange}) p LEFT JOIN boardinfo bi USING (board_id)),
imgboards AS (
  SELECT image_id, list_sort(list(board_id)) AS board_ids, sum(pagerank) AS score,
         list_transform(
           list_sort(list({'k': -pagerank, 'board_id': board_id, 'name': name, 'category': category, 'pagerank': pagerank})
             FILTER (WHERE known))[1:20],
           x -> {'board_id': x.board_id, 'name': x.name, 'category': x.category, 'pagerank': x.pagerank}) AS boards
  FROM ib GROUP BY 1),
imgcat AS (
  SELECT image_id, arg_max(category, {'n': n, 'pr': pr, 'c': category}) AS category
  FROM (SELECT image_id, category, count(*) AS n, sum(pagerank) AS pr FROM ib WHERE known GROUP BY ALL)
  GROUP BY 1)
SELECT i.image_signature, img.pin_ids, img.pin_count, img.repin_count, imgboards.board_ids, img.user_ids,
       titles.title, img.description, links.link, imgcat.category, coalesce(imgboards.score, 0) AS score,
       img.first_pinned_at, coalesce(img.repin_edges, []) AS repin_edges, coalesce(imgboards.boards, []) AS boards
FROM img JOIN disco_images i USING (image_id) JOIN titles USING (image_id) JOIN links USING (image_id)
     JOIN imgboards USING (image_id) LEFT JOIN imgcat USING (image_id)`;

/*
 * Image lists are sorted by image_id, which numbers the signatures in signature order, so the
 * order is the signatures' without comparing strings.
 */
const boardjoinSql = (inRange: string) => `
WITH bi AS (SELECT DISTINCT board_id, image_id FROM disco_pins WHERE ${inRange}),
pc AS (SELECT board_id, count(*) AS pin_count FROM disco_pins WHERE ${inRange} GROUP BY 1),
pj AS (SELECT i.image_id, pj.image_signature, pj.title, pj.score FROM pinjoin pj JOIN disco_images i USING (image_signature)),
bp AS (
  SELECT bi.board_id,
         list_transform(list_sort(list({'k': bi.image_id, 's': pj.image_signature})), x -> x.s) AS image_signatures,
         list_transform(
           list_sort(list({'k': -pj.score, 'i': bi.image_id, 'image_signature': pj.image_signature, 'title': pj.title, 'score': pj.score})),
           x -> {'image_signature': x.image_signature, 'title': x.title, 'score': x.score}) AS pins
  FROM bi JOIN pj USING (image_id) GROUP BY 1)
SELECT b.board_id, b.owner_id, b.name, b.description, c.category_assigned, c.category,
       c.confidence AS category_confidence, c.miscategorized, r.pagerank,
       coalesce(pc.pin_count, 0) AS pin_count, coalesce(bp.image_signatures, []) AS image_signatures,
       {'user_id': u.user_id, 'username': u.username, 'country': u.country} AS owner,
       coalesce(bp.pins, []) AS pins
FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id)
     LEFT JOIN users u ON u.user_id = b.owner_id LEFT JOIN pc USING (board_id) LEFT JOIN bp USING (board_id)
WHERE ${inRange}`;

/** top_categories: the (up to) 3 most frequent corrected categories of the user's boards. */
const USERJOIN_SQL = `
WITH ub AS (
  SELECT owner_id AS user_id,
         list_sort(list(board_id)) AS board_ids,
         list_transform(
           list_sort(list({'k': -pagerank, 'board_id': board_id, 'name': name, 'category': category, 'pagerank': pagerank})),
           x -> {'board_id': x.board_id, 'name': x.name, 'category': x.category, 'pagerank': x.pagerank}) AS boards,
         sum(pagerank) AS influence
  FROM boardjoin GROUP BY 1),
tc AS (
  SELECT user_id, list_transform(list_sort(list({'k': -n, 'c': category}))[1:3], x -> x.c) AS top_categories
  FROM (SELECT owner_id AS user_id, category, count(*) AS n FROM boardjoin GROUP BY ALL) GROUP BY 1),
pc AS (SELECT pinner_id AS user_id, count(*) AS pin_count FROM disco_pins GROUP BY 1)
SELECT u.user_id, u.username, u.country, u.bio, coalesce(ub.board_ids, []) AS board_ids,
       coalesce(pc.pin_count, 0) AS pin_count, coalesce(tc.top_categories, []) AS top_categories,
       coalesce(ub.influence, 0) AS influence, coalesce(ub.boards, []) AS boards
FROM users u LEFT JOIN ub USING (user_id) LEFT JOIN tc USING (user_id) LEFT JOIN pc USING (user_id)`;

/**
 * Pins per part of pinjoin and boardjoin. Their aggregates build lists (pin ids, repin edges,
 * board and image structs with strings), whose states DuckDB cannot spill; at large scale (30 M
 * pins) pinjoin in one query ran out of memory at DuckDB's 18.8 GiB limit. Each part is one query
 * over a range of the grouping key, written as a file of its own. Medium (3 M pins) stays one part.
 */
export const PINS_PER_PART = 5_000_000;

/**
 * Predicates splitting the integer ids of `stats` (a query returning `n`, the pins to share out,
 * and `lo`/`hi`, the ids to cover) into ranges of about `pinsPerPart` pins each, in id order;
 * `['TRUE']` when one part suffices. The ids are dense and the pins spread evenly over them
 * (images number the signatures; boards are numbered by the generator), so equal-width ranges do.
 */
export async function partRanges(
  sql: Sql,
  column: string,
  stats: string,
  pinsPerPart: number,
): Promise<string[]> {
  const [row] = await sql.rows(stats);
  const n = Number(row?.['n'] ?? 0);
  const lo = Number(row?.['lo'] ?? 0);
  const hi = Number(row?.['hi'] ?? 0);
  const parts = Math.min(Math.ceil(n / pinsPerPart), hi - lo + 1);
  if (!(parts > 1)) return ['TRUE'];
  const width = Math.ceil((hi - lo + 1) / parts);
  const ranges: string[] = [];
  for (let start = lo; start <= hi; start += width) {
    ranges.push(`${column} BETWEEN ${start} AND ${Math.min(hi, start + width - 1)}`);
  }
  return ranges;
}

const countCheck = (dataset: string, expected: string, what: string) => ({
  dataset,
  check: 'row-count',
  failing: `SELECT * FROM (SELECT (SELECT count(*) FROM ${dataset}) AS rows, (${expected}) AS expected) WHERE rows <> expected`,
  message: `the row count differs from ${what}`,
});

/** pinjoin, built in parts of about `pinsPerPart` pins (tests force several parts on tiny data). */
export const makePinjoinJob = (pinsPerPart = PINS_PER_PART): JobDefinition => ({
  name: 'pinjoin',
  kind: 'builtin',
  doc: 'PinJoin: all pins of an image, its boards (top 20 by PageRank), category and score.',
  inputs: ['pins', 'boards', 'board_category', 'board_pagerank'],
  outputs: [CATALOG.get('pinjoin')],
  async run(ctx) {
    const ranges = await partRanges(
      ctx.sql,
      'image_id',
      'SELECT count(*) AS n, min(image_id) AS lo, max(image_id) AS hi FROM disco_pins',
      pinsPerPart,
    );
    await ctx.write('pinjoin', ranges.map(pinjoinSql));
    return undefined;
  },
  checks: [
    countCheck(
      'pinjoin',
      'SELECT count(DISTINCT image_signature) FROM pins',
      'the distinct image signatures of pins',
    ),
    {
      dataset: 'pinjoin',
      check: 'pin-total',
      failing: `SELECT * FROM (SELECT (SELECT sum(pin_count) FROM pinjoin) AS joined, (SELECT count(*) FROM pins) AS pins)
                WHERE joined <> pins`,
      message: 'the pin counts do not add up to the pins',
    },
  ],
});

export const pinjoinJob = makePinjoinJob();

/** boardjoin, built in parts of about `pinsPerPart` pins (by board id). */
export const makeBoardjoinJob = (pinsPerPart = PINS_PER_PART): JobDefinition => ({
  name: 'boardjoin',
  kind: 'builtin',
  doc: 'BoardJoin: a board with owner, corrected category, PageRank and image summaries.',
  inputs: ['boards', 'users', 'pins', 'board_category', 'board_pagerank', 'pinjoin'],
  outputs: [CATALOG.get('boardjoin')],
  async run(ctx) {
    const ranges = await partRanges(
      ctx.sql,
      'board_id',
      `SELECT (SELECT count(*) FROM disco_pins) AS n, min(board_id) AS lo, max(board_id) AS hi FROM boards`,
      pinsPerPart,
    );
    await ctx.write('boardjoin', ranges.map(boardjoinSql));
    return undefined;
  },
  checks: [
    countCheck('boardjoin', 'SELECT count(*) FROM boards', 'the boards'),
    {
      dataset: 'boardjoin',
      check: 'pin-total',
      failing: `SELECT * FROM (SELECT (SELECT sum(pin_count) FROM boardjoin) AS joined, (SELECT count(*) FROM pins) AS pins)
                WHERE joined <> pins`,
      message: 'the pin counts do not add up to the pins',
    },
  ],
});

export const boardjoinJob = makeBoardjoinJob();

export const userjoinJob: JobDefinition = {
  name: 'userjoin',
  kind: 'builtin',
  doc: 'UserJoin: a user with board summaries, top categories and influence.',
  inputs: ['users', 'pins', 'boardjoin'],
  outputs: [CATALOG.get('userjoin')],
  async run(ctx) {
    await ctx.write('userjoin', USERJOIN_SQL);
    return undefined;
  },
  checks: [
    countCheck('userjoin', 'SELECT count(*) FROM users', 'the users'),
    {
      dataset: 'userjoin',
      check: 'board-total',
      failing: `SELECT * FROM (SELECT (SELECT sum(len(board_ids)) FROM userjoin) AS joined, (SELECT count(*) FROM boards) AS boards)
                WHERE joined <> boards`,
      message: "the users' boards do not add up to the boards",
    },
  ],
};
