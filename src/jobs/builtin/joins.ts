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
import type { JobDefinition } from '../job.js';

/*
 * Ordered aggregates (`list(x ORDER BY y)`) sort inside every group and are an order of magnitude
 * slower in DuckDB than sorting the finished list, so lists are built as structs whose first field
 * is the sort key, sorted with list_sort, then projected (`list_transform`) to the catalog's shape.
 * Ties are broken by the next fields, so the output is deterministic.
 *
 * Lists of structs that carry strings (pinjoin `boards`, boardjoin `pins` and `image_signatures`)
 * are expensive to aggregate and sort (every string is copied into the aggregate and into the sort
 * keys). Those are built as lists of integer *ranks* instead: each element gets a dense 1-based
 * rank in the list's sort order (`row_number() OVER (ORDER BY …)`), the per-group list is
 * `list_sort(list(rank))`, and the struct is looked up from one-row lookup lists ordered by rank
 * (`lookup.names[rank]`, …). Same elements, same order, same values; about half the CPU.
 */
/** A one-row lookup table: `list(col ORDER BY rank)` for each column. */
const lookup = (name: string, from: string, rank: string, cols: readonly string[]) =>
  `${name} AS (SELECT ${cols.map((c) => `list(${c} ORDER BY ${rank}) AS ${c}`).join(', ')} FROM ${from})`;

/** `description`: the first pin's, by (created_at, pin_id), packed into one HUGEINT key. */
const FIRST_PIN_KEY =
  'epoch_us(created_at)::HUGEINT * 18446744073709551616 + (pin_id::HUGEINT + 9223372036854775808)';

const PINJOIN_SQL = `
WITH boardinfo AS (
  SELECT b.board_id, b.name, c.category, r.pagerank,
         CAST(row_number() OVER (ORDER BY r.pagerank DESC, b.board_id) AS INTEGER) AS brank
  FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id)),
${lookup('bl', 'boardinfo', 'brank', ['board_id', 'name', 'category', 'pagerank'])},
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
  FROM disco_pins GROUP BY image_id),
titles AS (
  SELECT image_id, arg_max(title, {'n': n, 't': title}) AS title
  FROM (SELECT image_id, title, count(*) AS n FROM disco_pins GROUP BY ALL) GROUP BY 1),
links AS (
  SELECT image_id, arg_max(link, {'n': n, 'l': link}) AS link
  FROM (SELECT image_id, link, count(*) AS n FROM disco_pins GROUP BY ALL) GROUP BY 1),
ib AS MATERIALIZED (
  SELECT p.image_id, p.board_id, bi.brank, bi.category, bi.pagerank
  FROM (SELECT DISTINCT image_id, board_id FROM disco_pins) p LEFT JOIN boardinfo bi USING (board_id)),
imgboards AS (
  SELECT image_id, list_sort(list(board_id)) AS board_ids, sum(pagerank) AS score,
         list_sort(list(brank) FILTER (WHERE brank IS NOT NULL))[1:20] AS ranks
  FROM ib GROUP BY 1),
imgcat AS (
  SELECT image_id, arg_max(category, {'n': n, 'pr': pr, 'c': category}) AS category
  FROM (SELECT image_id, category, count(*) AS n, sum(pagerank) AS pr FROM ib WHERE brank IS NOT NULL GROUP BY ALL)
  GROUP BY 1)
SELECT i.image_signature, img.pin_ids, img.pin_count, img.repin_count, imgboards.board_ids, img.user_ids,
       titles.title, img.description, links.link, imgcat.category, coalesce(imgboards.score, 0) AS score,
       img.first_pinned_at, coalesce(img.repin_edges, []) AS repin_edges,
       coalesce(list_transform(imgboards.ranks,
         x -> {'board_id': bl.board_id[x], 'name': bl.name[x], 'category': bl.category[x], 'pagerank': bl.pagerank[x]}), []) AS boards
FROM img JOIN disco_images i USING (image_id) JOIN titles USING (image_id) JOIN links USING (image_id)
     JOIN imgboards USING (image_id) LEFT JOIN imgcat USING (image_id) CROSS JOIN bl`;

/*
 * image_signatures are in image_id order (image ids number the signatures in signature order),
 * looked up by image id; pins are in (score desc, image_id) order, looked up by that rank.
 */
const BOARDJOIN_SQL = `
WITH pj AS (
  SELECT i.image_id, pj.image_signature, pj.title, pj.score,
         CAST(row_number() OVER (ORDER BY pj.score DESC, i.image_id) AS INTEGER) AS srank
  FROM pinjoin pj JOIN disco_images i USING (image_signature)),
${lookup('pl', 'pj', 'srank', ['image_signature', 'title', 'score'])},
${lookup('il', 'disco_images', 'image_id', ['image_signature'])},
pc AS (SELECT board_id, count(*) AS pin_count FROM disco_pins GROUP BY 1),
bp AS (
  SELECT bi.board_id, list_sort(list(bi.image_id)) AS image_ids, list_sort(list(pj.srank)) AS ranks
  FROM (SELECT DISTINCT board_id, image_id FROM disco_pins) bi JOIN pj USING (image_id) GROUP BY 1)
SELECT b.board_id, b.owner_id, b.name, b.description, c.category_assigned, c.category,
       c.confidence AS category_confidence, c.miscategorized, r.pagerank,
       coalesce(pc.pin_count, 0) AS pin_count,
       coalesce(list_transform(bp.image_ids, x -> il.image_signature[x]), []) AS image_signatures,
       {'user_id': u.user_id, 'username': u.username, 'country': u.country} AS owner,
       coalesce(list_transform(bp.ranks,
         x -> {'image_signature': pl.image_signature[x], 'title': pl.title[x], 'score': pl.score[x]}), []) AS pins
FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id)
     LEFT JOIN users u ON u.user_id = b.owner_id LEFT JOIN pc USING (board_id) LEFT JOIN bp USING (board_id)
     CROSS JOIN pl CROSS JOIN il`;

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

const countCheck = (dataset: string, expected: string, what: string) => ({
  dataset,
  check: 'row-count',
  failing: `SELECT * FROM (SELECT (SELECT count(*) FROM ${dataset}) AS rows, (${expected}) AS expected) WHERE rows <> expected`,
  message: `the row count differs from ${what}`,
});

export const pinjoinJob: JobDefinition = {
  name: 'pinjoin',
  kind: 'builtin',
  doc: 'PinJoin: all pins of an image, its boards (top 20 by PageRank), category and score.',
  inputs: ['pins', 'boards', 'board_category', 'board_pagerank'],
  outputs: [CATALOG.get('pinjoin')],
  async run(ctx) {
    await ctx.write('pinjoin', PINJOIN_SQL);
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
};

export const boardjoinJob: JobDefinition = {
  name: 'boardjoin',
  kind: 'builtin',
  doc: 'BoardJoin: a board with owner, corrected category, PageRank and image summaries.',
  inputs: ['boards', 'users', 'pins', 'board_category', 'board_pagerank', 'pinjoin'],
  outputs: [CATALOG.get('boardjoin')],
  async run(ctx) {
    await ctx.write('boardjoin', BOARDJOIN_SQL);
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
};

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
