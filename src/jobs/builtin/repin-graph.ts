/**
 * `repin_graph`: board-to-board repin counts. A repin is a pin whose parent pin lies on a
 * different board (repins onto the same board are not votes); src is the parent's board, dst the
 * repin's board, weight the number of such repins. Reads `disco_pins`, the run's table of the raw
 * pins (src/jobs/duck.ts `loadRawTables`).
 */
import { CATALOG } from '../../catalog/catalog.js';
import type { JobDefinition } from '../job.js';

export const repinGraphJob: JobDefinition = {
  name: 'repin_graph',
  kind: 'builtin',
  doc: 'Board-to-board repin counts (SQL).',
  inputs: ['pins'],
  outputs: [CATALOG.get('repin_graph')],
  async run(ctx) {
    await ctx.write(
      'repin_graph',
      `SELECT parent.board_id AS src_board_id, p.board_id AS dst_board_id, count(*) AS weight
       FROM disco_pins p JOIN disco_pins parent ON parent.pin_id = p.parent_pin_id
       WHERE parent.board_id <> p.board_id
       GROUP BY ALL`,
    );
    return undefined;
  },
  checks: [
    {
      dataset: 'repin_graph',
      check: 'weights-vs-repins',
      failing: `SELECT edges_weight, repins FROM (SELECT (SELECT coalesce(sum(weight), 0) FROM repin_graph) AS edges_weight,
                  (SELECT count(parent_pin_id) FROM pins) AS repins) WHERE edges_weight > repins OR edges_weight < 0`,
      message: 'the edge weights add up to more repins than the pins hold',
    },
    {
      dataset: 'repin_graph',
      check: 'positive-weight',
      failing:
        'SELECT * FROM repin_graph WHERE weight IS NULL OR weight < 1 OR src_board_id = dst_board_id LIMIT 1',
      message: 'an edge has a non-positive weight or is a self-loop',
    },
  ],
};
