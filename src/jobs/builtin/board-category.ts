/**
 * `board_category`: corrects owner-assigned board categories from the repin evidence.
 *
 * Method (image voting with a prior on the owner's label, two rounds):
 * 1. Every image (image signature) is held by several boards: its upload board(s) and the boards
 *    it was repinned onto. Repins mostly land on boards of the image's category, so the *other*
 *    boards holding an image say what the image is about.
 * 2. For a board b, each of its images that some other board also holds casts one vote, split
 *    over the categories of those other boards (b's own label is left out: leave-one-out).
 * 3. The owner's label gets a prior of `prior` votes. The category with the most votes wins; the
 *    board is `miscategorized` only when the winner differs from the label, at least `minImages`
 *    images voted and the winner holds at least `minShare` of all votes (precision over recall:
 *    a wrong "miscategorized" flag is worse than a missed one). The defaults were picked on
 *    `disco gen --scale small` (seed 42) by a small grid; the README lists the grid.
 *    Images are keyed by the run's integer image id (`disco_pins.image_id`, see
 *    src/jobs/duck.ts `loadRawTables`): integer joins are several times faster than string joins.
 * 4. Round 2 repeats step 2 with the other boards' corrected categories (round 1), which removes
 *    most of the noise that mislabeled neighbours add.
 *
 * `confidence` is the share of votes of the returned category. Quality against `board_truth`
 * (precision/recall of `miscategorized`, by evidence) is computed when `board_truth` exists.
 */
import { CATALOG } from '../../catalog/catalog.js';
import type { JobContext, JobDefinition } from '../job.js';

export interface CategoryMethod {
  /** Votes the owner's label starts with. */
  prior: number;
  /** Images (shared with other boards) a board needs before its label can be overruled. */
  minImages: number;
  /** Share of all votes the winning category needs to overrule the label. */
  minShare: number;
  rounds: number;
}

export const CATEGORY_METHOD: CategoryMethod = { prior: 1, minImages: 2, minShare: 0.35, rounds: 2 };

export const boardCategoryJob: JobDefinition = categoryJob(CATEGORY_METHOD);

/** The job with another parameter set (the defaults were chosen on generated data; see README). */
export function categoryJob(method: CategoryMethod): JobDefinition {
  return {
    name: 'board_category',
    kind: 'builtin',
    doc: 'Board categories corrected from repin evidence (SQL: leave-one-out image voting).',
    inputs: ['boards', 'pins'],
    outputs: [CATALOG.get('board_category')],
    async run(ctx) {
      const { prior, minImages, minShare, rounds } = method;
      const s = ctx.sql;
      await s.run(
        `CREATE OR REPLACE TEMP TABLE bc_bi AS SELECT DISTINCT board_id, image_id AS image_signature FROM disco_pins`,
      );
      await s.run(`CREATE OR REPLACE TEMP TABLE bc_label AS SELECT board_id, category FROM boards`);
      // Images held by at least two boards, and how many boards hold them.
      await s.run(`CREATE OR REPLACE TEMP TABLE bc_shared AS
      SELECT image_signature, count(*)::DOUBLE AS holders FROM bc_bi GROUP BY 1 HAVING count(*) > 1`);
      await s.run(`CREATE OR REPLACE TEMP TABLE bc_images AS
      SELECT bi.board_id, count(*) AS images FROM bc_bi bi JOIN bc_shared USING (image_signature) GROUP BY 1`);
      for (let round = 1; round <= rounds; round++) {
        // Per shared image: how many holders carry each (current) category.
        await s.run(`CREATE OR REPLACE TEMP TABLE bc_ic AS
        SELECT bi.image_signature, l.category, count(*)::DOUBLE AS n
        FROM bc_bi bi JOIN bc_shared USING (image_signature) JOIN bc_label l USING (board_id) GROUP BY ALL`);
        // Leave-one-out votes: b's own current category is removed from each of its images' counts.
        await s.run(`CREATE OR REPLACE TEMP TABLE bc_votes AS
        SELECT bi.board_id, ic.category,
               sum((ic.n - CASE WHEN ic.category = l.category THEN 1 ELSE 0 END) / (sh.holders - 1)) AS votes
        FROM bc_bi bi JOIN bc_shared sh USING (image_signature) JOIN bc_label l USING (board_id)
             JOIN bc_ic ic USING (image_signature)
        GROUP BY ALL`);
        // The share test allows 1e-9 of rounding: the vote sums' order (parallel aggregation) must
        // not decide a board sitting exactly on the threshold (e.g. 7 of 20 votes = 0.35).
        await s.run(`CREATE OR REPLACE TEMP TABLE bc_result AS
        WITH cand AS (
          SELECT board_id, category, sum(votes) AS votes FROM (
            SELECT board_id, category, votes FROM bc_votes
            UNION ALL SELECT board_id, category, ${prior} FROM boards) GROUP BY ALL),
        best AS (
          SELECT c.board_id,
                 first(c.category ORDER BY c.votes DESC, (c.category = b.category) DESC, c.category) AS top,
                 max(c.votes) AS top_votes,
                 sum(c.votes) AS total,
                 sum(CASE WHEN c.category = b.category THEN c.votes ELSE 0 END) AS label_votes
          FROM cand c JOIN boards b USING (board_id) GROUP BY 1)
        SELECT b.board_id, b.category AS category_assigned, coalesce(n.images, 0) AS images,
               best.top, best.top_votes / best.total AS top_share, best.label_votes / best.total AS label_share,
               (best.top <> b.category AND coalesce(n.images, 0) >= ${minImages}
                 AND best.top_votes / best.total >= ${minShare} - 1e-9) AS flip
        FROM boards b JOIN best USING (board_id) LEFT JOIN bc_images n USING (board_id)`);
        await s.run(`CREATE OR REPLACE TEMP TABLE bc_label AS
        SELECT board_id, CASE WHEN flip THEN top ELSE category_assigned END AS category FROM bc_result`);
      }
      await ctx.write(
        'board_category',
        `SELECT board_id, category_assigned,
              CASE WHEN flip THEN top ELSE category_assigned END AS category,
              CASE WHEN flip THEN top_share ELSE label_share END AS confidence,
              flip AS miscategorized
       FROM bc_result`,
      );
      const quality = ctx.hasRaw('board_truth') ? await evaluate(ctx) : { evaluated: false };
      for (const t of ['bc_bi', 'bc_label', 'bc_shared', 'bc_images', 'bc_ic', 'bc_votes', 'bc_result']) {
        await s.run(`DROP TABLE IF EXISTS ${t}`);
      }
      return { quality: { method, ...quality } };
    },
    checks: [
      {
        dataset: 'board_category',
        check: 'row-count',
        failing: `SELECT * FROM (SELECT (SELECT count(*) FROM board_category) AS rows, (SELECT count(*) FROM boards) AS boards) WHERE rows <> boards`,
        message: 'not every board has a category',
      },
      {
        dataset: 'board_category',
        check: 'consistent-flag',
        failing: `SELECT * FROM board_category WHERE miscategorized <> (category <> category_assigned)
                OR category IS NULL OR confidence < 0 OR confidence > 1 + 1e-9 LIMIT 1`,
        message: 'miscategorized does not match category <> category_assigned, or confidence is outside 0..1',
      },
    ],
  };
}

/** Precision/recall of `miscategorized` against `board_truth.mislabeled`, overall and by evidence. */
async function evaluate(ctx: JobContext): Promise<Record<string, unknown>> {
  const rows = await ctx.sql.rows(`
    WITH j AS (
      SELECT c.miscategorized AS flagged, t.mislabeled AS truth, c.category = t.true_category AS correct,
             coalesce(r.images, 0) AS images
      FROM board_category c JOIN board_truth t USING (board_id) LEFT JOIN bc_result r USING (board_id))
    SELECT CASE WHEN images = 0 THEN '0' WHEN images < 3 THEN '1-2' WHEN images < 6 THEN '3-5'
                WHEN images < 11 THEN '6-10' WHEN images < 31 THEN '11-30' ELSE '31+' END AS evidence,
           min(images) AS lo,
           count(*) AS boards,
           count(*) FILTER (WHERE truth) AS mislabeled,
           count(*) FILTER (WHERE flagged) AS flagged,
           count(*) FILTER (WHERE flagged AND truth) AS true_positives,
           count(*) FILTER (WHERE correct) AS correct_category
    FROM j GROUP BY 1 ORDER BY lo`);
  const num = (r: Record<string, unknown>, k: string) => Number(r[k] ?? 0);
  const byEvidence = rows.map((r) => ({
    evidenceImages: String(r['evidence']),
    boards: num(r, 'boards'),
    mislabeled: num(r, 'mislabeled'),
    flagged: num(r, 'flagged'),
    truePositives: num(r, 'true_positives'),
    precision: ratio(num(r, 'true_positives'), num(r, 'flagged')),
    recall: ratio(num(r, 'true_positives'), num(r, 'mislabeled')),
  }));
  const sum = (k: string) => rows.reduce((a, r) => a + num(r, k), 0);
  const tp = sum('true_positives');
  return {
    evaluated: true,
    boards: sum('boards'),
    mislabeled: sum('mislabeled'),
    flagged: sum('flagged'),
    truePositives: tp,
    precision: ratio(tp, sum('flagged')),
    recall: ratio(tp, sum('mislabeled')),
    categoryAccuracy: ratio(sum('correct_category'), sum('boards')),
    byEvidence,
  };
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 10000) / 10000;
}
