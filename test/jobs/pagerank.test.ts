import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, pagerank } from '../../src/jobs/pagerank.js';
import { type RefPin, referencePagerank, votesFromPins } from './pagerank-reference.js';

/** The production path: pins → repin_graph rows (as the SQL job computes them) → CSR → ranks. */
function productionRanks(boards: number[], pins: RefPin[]): Map<number, number> {
  const boardOf = new Map(pins.map((p) => [p.pin_id, p.board_id]));
  const edges = new Map<string, number>();
  for (const p of pins) {
    const src = p.parent_pin_id === null ? undefined : boardOf.get(p.parent_pin_id);
    if (src === undefined || src === p.board_id) continue;
    const key = `${src},${p.board_id}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
  const index = new Map(boards.map((b, i) => [b, i]));
  const m = edges.size;
  const voter = new Int32Array(m);
  const target = new Int32Array(m);
  const weight = new Float64Array(m);
  let e = 0;
  for (const [key, w] of edges) {
    const [src, dst] = key.split(',').map(Number);
    target[e] = index.get(src!)!;
    voter[e] = index.get(dst!)!;
    weight[e] = w;
    e++;
  }
  const { rank } = pagerank(buildGraph(boards.length, voter, target, weight));
  return new Map(boards.map((b, i) => [b, rank[i]!]));
}

function expectSame(boards: number[], pins: RefPin[]): void {
  const ours = productionRanks(boards, pins);
  const ref = referencePagerank(boards, votesFromPins(pins)).rank;
  let sum = 0;
  for (const b of boards) {
    expect(Math.abs(ours.get(b)! - ref.get(b)!)).toBeLessThan(1e-9);
    sum += ours.get(b)!;
  }
  expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
}

describe('board PageRank (SPEC §2)', () => {
  it('matches the independent implementation with dangling boards, self-repins and isolated boards', () => {
    const boards = [1, 2, 3, 4, 5, 6, 7];
    const pins: RefPin[] = [
      { pin_id: 1, board_id: 1, parent_pin_id: null },
      { pin_id: 2, board_id: 2, parent_pin_id: 1 }, // 2 votes for 1
      { pin_id: 3, board_id: 2, parent_pin_id: 2 }, // self-repin: not a vote
      { pin_id: 4, board_id: 3, parent_pin_id: 2 }, // 3 votes for 2
      { pin_id: 5, board_id: 3, parent_pin_id: 1 }, // 3 votes for 1
      { pin_id: 6, board_id: 3, parent_pin_id: 1 }, // again: weight 2
      { pin_id: 7, board_id: 1, parent_pin_id: 4 }, // 1 votes for 3 (cycle)
      { pin_id: 8, board_id: 5, parent_pin_id: null }, // 5: dangling (no votes out)
      { pin_id: 9, board_id: 4, parent_pin_id: 8 }, // 4 votes for 5
      // 6 and 7: isolated boards (no pins at all)
    ];
    expectSame(boards, pins);
  });

  it('handles a graph with no edges (uniform) and a single board', () => {
    expectSame([10, 20, 30], []);
    expectSame([1], [{ pin_id: 1, board_id: 1, parent_pin_id: null }]);
  });

  it('matches the independent implementation on random pin sets (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 120 }),
        (nBoards, raw) => {
          const boards = Array.from({ length: nBoards }, (_, i) => i * 3 + 1); // sparse ids
          const pins: RefPin[] = raw.map(([b, parent, isRepin], i) => ({
            pin_id: i + 1,
            board_id: boards[b % nBoards]!,
            parent_pin_id: isRepin && i > 0 ? (parent % i) + 1 : null,
          }));
          expectSame(boards, pins);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stops at 200 iterations at most and reports convergence', () => {
    const n = 4;
    const voter = Int32Array.from([0, 1, 2, 3]);
    const target = Int32Array.from([1, 2, 3, 0]);
    const result = pagerank(buildGraph(n, voter, target, Float64Array.from([1, 1, 1, 1])));
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThanOrEqual(200);
    for (const r of result.rank) expect(r).toBeCloseTo(0.25, 12);
  });

  it('keeps exact results with weights float32 cannot hold (Float64 path)', () => {
    // Scaling every weight by one factor leaves weight / outWeight unchanged, so the ranks must be
    // the same whether the counts sit in a Float32Array (integers) or a Float64Array (fractions).
    const n = 60;
    const m = 400;
    const voter = new Int32Array(m);
    const target = new Int32Array(m);
    const counts = new Float64Array(m);
    let s = 12345;
    const next = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    for (let e = 0; e < m; e++) {
      voter[e] = Math.floor(next() * n * 0.7); // the last 30% of boards are dangling
      target[e] = Math.floor(next() * n);
      counts[e] = 1 + Math.floor(next() * 4);
    }
    const integral = buildGraph(n, voter, target, counts);
    const fractional = buildGraph(
      n,
      voter,
      target,
      counts.map((w) => w / 3),
    );
    expect(integral.weight).toBeInstanceOf(Float32Array);
    expect(fractional.weight).toBeInstanceOf(Float64Array);
    const a = pagerank(integral);
    const b = pagerank(fractional);
    expect(a.iterations).toBe(b.iterations);
    for (let v = 0; v < n; v++) expect(Math.abs(a.rank[v]! - b.rank[v]!)).toBeLessThan(1e-12);
  });
});
