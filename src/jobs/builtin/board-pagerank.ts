/**
 * `board_pagerank`: SPEC §2's weighted PageRank over `repin_graph`, computed in typed arrays
 * (CSR, see ../pagerank.ts) rather than SQL: an iterative fixed point over millions of edges is
 * a tight loop, not a join.
 */
import { CATALOG } from '../../catalog/catalog.js';
import type { JobDefinition } from '../job.js';
import { buildGraph, pagerank } from '../pagerank.js';

export const boardPagerankJob: JobDefinition = {
  name: 'board_pagerank',
  kind: 'builtin',
  doc: 'Weighted PageRank of the board graph (typed arrays, CSR).',
  inputs: ['boards', 'repin_graph'],
  outputs: [CATALOG.get('board_pagerank')],
  async run(ctx) {
    const [counts] = await ctx.sql.rows(
      'SELECT (SELECT count(*) FROM boards) AS boards, (SELECT count(*) FROM repin_graph) AS edges',
    );
    const n = Number(counts?.['boards'] ?? 0);
    const m = Number(counts?.['edges'] ?? 0);
    const ids = new Int32Array(n);
    let i = 0;
    await ctx.sql.scan('SELECT CAST(board_id AS INTEGER) FROM boards ORDER BY board_id', (row) => {
      ids[i++] = row[0] as number;
    });
    // Ids are 1..B from the generator: index = id - 1. Anything else goes through a map.
    const dense = ids.every((id, k) => id === k + 1);
    const index = dense ? undefined : new Map(Array.from(ids, (id, k) => [id, k]));
    const toIndex = (id: number): number => (index ? (index.get(id) ?? -1) : id - 1);
    const voter = new Int32Array(m);
    const target = new Int32Array(m);
    const weight = new Float64Array(m);
    let e = 0;
    await ctx.sql.scan(
      'SELECT CAST(src_board_id AS INTEGER), CAST(dst_board_id AS INTEGER), CAST(weight AS DOUBLE) FROM repin_graph',
      (row) => {
        const src = toIndex(row[0] as number);
        const dst = toIndex(row[1] as number);
        if (src < 0 || dst < 0)
          throw new Error(
            `repin_graph edge ${String(row[1])} → ${String(row[0])} names a board that is not in boards`,
          );
        target[e] = src; // the vote goes dst → src
        voter[e] = dst;
        weight[e] = row[2] as number;
        e++;
      },
    );
    const graph = buildGraph(n, voter, target, weight);
    const started = performance.now();
    const result = pagerank(graph);
    const ms = performance.now() - started;
    ctx.progress(
      `${result.iterations} iterations over ${m} edges in ${ms.toFixed(0)} ms (L1 change ${result.delta.toExponential(2)})`,
    );
    await ctx.sql.run('CREATE OR REPLACE TABLE board_pagerank_values (board_id INTEGER, pagerank DOUBLE)');
    await ctx.sql.append('board_pagerank_values', n, (k, put) => {
      put.int(ids[k]!);
      put.double(result.rank[k]!);
    });
    await ctx.write('board_pagerank', 'SELECT board_id, pagerank FROM board_pagerank_values');
    await ctx.sql.run('DROP TABLE board_pagerank_values');
    return {
      quality: {
        iterations: result.iterations,
        l1Change: result.delta,
        converged: result.converged,
        edges: m,
        boards: n,
        iterationMs: Math.round(ms),
      },
    };
  },
  checks: [
    {
      dataset: 'board_pagerank',
      check: 'row-count',
      failing: `SELECT * FROM (SELECT (SELECT count(*) FROM board_pagerank) AS ranked, (SELECT count(*) FROM boards) AS boards) WHERE ranked <> boards`,
      message: 'not every board has a rank',
    },
    {
      dataset: 'board_pagerank',
      check: 'ranks-sum-to-1',
      failing: `SELECT total FROM (SELECT sum(pagerank) AS total, count(*) AS n FROM board_pagerank) WHERE n > 0 AND abs(total - 1) > 1e-6`,
      message: 'the ranks do not sum to 1',
    },
  ],
};
