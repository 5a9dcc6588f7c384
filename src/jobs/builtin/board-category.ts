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
import { type CategoryMethod, voteCategories } from '../category-vote.js';
import { literal } from '../duck.js';
import type { JobContext, JobDefinition } from '../job.js';

export type { CategoryMethod };

export const CATEGORY_METHOD: CategoryMethod = { prior: 1, minImages: 2, minShare: 0.35, rounds: 2 };

export const boardCategoryJob: JobDefinition = categoryJob(CATEGORY_METHOD);

/** The job with another parameter set (the defaults were chosen on generated data; see README). */
export function categoryJob(method: CategoryMethod): JobDefinition {
  return {
    name: 'board_category',
    kind: 'builtin',
    doc: 'Board categories corrected from repin evidence (leave-one-out image voting, typed arrays).',
    inputs: ['boards', 'pins'],
    outputs: [CATALOG.get('board_category')],
    async run(ctx) {
      const s = ctx.sql;
      // Categories in name order: a lower code is the alphabetically first name (tie-break).
      const names: string[] = [];
      await s.scan('SELECT DISTINCT category FROM boards ORDER BY category', (row) => {
        names.push(String(row[0]));
      });
      const code = new Map(names.map((c, i) => [c, i]));
      const ids: number[] = [];
      const assignedList: number[] = [];
      await s.scan('SELECT CAST(board_id AS INTEGER), category FROM boards', (row) => {
        ids.push(row[0] as number);
        assignedList.push(code.get(String(row[1]))!);
      });
      const n = ids.length;
      const index = new Map<number, number>();
      for (let b = 0; b < n; b++) index.set(ids[b]!, b);
      // The distinct (board, image) pairs grouped by image (the run's integer image ids).
      const [count] = await s.rows(
        'SELECT count(*) AS pairs FROM (SELECT DISTINCT board_id, image_id FROM disco_pins)',
      );
      const pairs = Number(count?.['pairs'] ?? 0);
      const pairBoard = new Int32Array(pairs);
      const starts: number[] = [];
      let p = 0;
      let lastImage = -1;
      await s.scan(
        'SELECT DISTINCT CAST(board_id AS INTEGER) AS b, image_id FROM disco_pins ORDER BY image_id',
        (row) => {
          const image = row[1] as number;
          if (image !== lastImage) {
            starts.push(p);
            lastImage = image;
          }
          const b = index.get(row[0] as number);
          if (b === undefined) throw new Error(`pins name board ${String(row[0])}, which is not in boards`);
          pairBoard[p++] = b;
        },
      );
      starts.push(p);
      const result = voteCategories(
        {
          n,
          k: names.length,
          assigned: Int32Array.from(assignedList),
          pairBoard,
          imageStart: Int32Array.from(starts),
        },
        method,
      );
      await s.run(
        'CREATE OR REPLACE TEMP TABLE bc_result (board_id INTEGER, assigned INTEGER, category INTEGER, confidence DOUBLE, miscategorized INTEGER, images INTEGER)',
      );
      await s.append('bc_result', n, (b, put) => {
        put.int(ids[b]!);
        put.int(assignedList[b]!);
        put.int(result.category[b]!);
        put.double(result.confidence[b]!);
        put.int(result.miscategorized[b]!);
        put.int(result.images[b]!);
      });
      const categories = names.map((c, i) => `(${i}, ${literal(c)})`).join(', ');
      await s.run(
        `CREATE OR REPLACE TEMP TABLE bc_names AS SELECT * FROM (VALUES ${categories.length > 0 ? categories : "(0, '')"}) AS t(code, name)`,
      );
      await ctx.write(
        'board_category',
        `SELECT r.board_id, a.name AS category_assigned, c.name AS category, r.confidence,
                r.miscategorized = 1 AS miscategorized
         FROM bc_result r JOIN bc_names a ON a.code = r.assigned JOIN bc_names c ON c.code = r.category`,
      );
      const quality = ctx.hasRaw('board_truth') ? await evaluate(ctx) : { evaluated: false };
      for (const t of ['bc_result', 'bc_names']) await s.run(`DROP TABLE IF EXISTS ${t}`);
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
