import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/catalog.js';
import type { Dataset, DatasetName } from '../../src/catalog/types.js';
import { UserError } from '../../src/errors/index.js';
import { BUILTIN_JOBS } from '../../src/jobs/builtin/index.js';
import { buildGraph, withDownstream } from '../../src/jobs/graph.js';
import type { JobDefinition } from '../../src/jobs/job.js';

const ds = (name: string): Dataset => ({ ...CATALOG.get('board_pagerank'), name: name as DatasetName });
const job = (name: string, inputs: string[], outputs: string[]): JobDefinition => ({
  name,
  kind: 'custom',
  doc: '',
  inputs,
  outputs: outputs.map(ds),
  run: async () => undefined,
});

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('job graph', () => {
  it('derives the built-in DAG from inputs and outputs', () => {
    const graph = buildGraph(BUILTIN_JOBS);
    const order = graph.order.map((j) => j.name);
    const precedes = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
    precedes('repin_graph', 'board_pagerank');
    precedes('board_pagerank', 'pinjoin');
    precedes('board_category', 'pinjoin');
    precedes('pinjoin', 'boardjoin');
    precedes('boardjoin', 'userjoin');
    expect(graph.upstream.get('userjoin')).toEqual(['boardjoin']);
    expect([...withDownstream(graph, ['board_category'])].sort()).toEqual([
      'board_category',
      'boardjoin',
      'pinjoin',
      'userjoin',
    ]);
  });

  it('rejects a cycle, naming the jobs on it once', () => {
    const e = errorOf(() =>
      buildGraph([
        ...BUILTIN_JOBS,
        job('a', ['userjoin', 'c_out'], ['a_out']),
        job('b', ['a_out'], ['b_out']),
        job('c', ['b_out'], ['c_out']),
      ]),
    );
    expect(e.code).toBe('job-cycle');
    expect(e.message).toBe('jobs form a cycle: a → c → b → a');
  });

  it('rejects unknown inputs with a suggestion, and a second writer of a dataset', () => {
    const unknown = errorOf(() => buildGraph([...BUILTIN_JOBS, job('x', ['boardjion'], ['x_out'])]));
    expect(unknown.code).toBe('unknown-input');
    expect(unknown.message).toBe("job 'x' reads unknown dataset 'boardjion'; did you mean 'boardjoin'?");
    const dup = errorOf(() => buildGraph([...BUILTIN_JOBS, job('y', ['pins'], ['pinjoin'])]));
    expect(dup.code).toBe('duplicate-output');
    expect(dup.message).toContain("job 'y' writes dataset 'pinjoin', which job 'pinjoin' already writes");
  });
});
