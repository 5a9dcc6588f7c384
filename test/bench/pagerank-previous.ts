/**
 * The previous discokit PageRank kernel (before the Float32-count / per-node-share rewrite of
 * src/jobs/pagerank.ts), kept verbatim so test/bench/pagerank.bench.ts can measure both in one run.
 */
/**
 * Weighted PageRank of the board graph, exactly as SPEC §2 defines it:
 *
 * - nodes: all boards; each repin (a pin whose parent lies on a different board) is a vote from
 *   the repinning board (dst) for the source board (src): an edge dst → src weighted by the number
 *   of such repins (the `repin_graph` rows);
 * - a board's out-edges are followed with probability weight / (its total out-weight);
 * - damping 0.85; the rank of boards with no out-edges (dangling) is spread uniformly over all
 *   boards; start from the uniform vector; stop when the L1 change is < 1e-10 or after 200
 *   iterations. The ranks sum to 1.
 *
 * The graph is held as CSR over the *incoming* edges of each node (pull): one pass reads each edge
 * once, sequentially, with a precomputed coefficient weight/outWeight(from) — no per-edge division
 * and no writes to shared slots, which keeps the inner loop tight (see test/bench/pagerank.bench.ts).
 */

export const DAMPING = 0.85;
export const TOLERANCE = 1e-10;
export const MAX_ITERATIONS = 200;

export interface PagerankGraph {
  /** Number of nodes. */
  n: number;
  /** offsets[v]..offsets[v+1] index the in-edges of node v. Length n + 1. */
  offsets: Int32Array;
  /** Source node (the voter, "dst board") of each in-edge. */
  from: Int32Array;
  /** weight / outWeight(from) of each in-edge. */
  coef: Float64Array;
  /** 1 for nodes without out-edges. */
  dangling: Uint8Array;
}

/**
 * Builds the CSR from edge lists given as node indices: an edge `voter[e] → target[e]`
 * with weight `weight[e]` (repin_graph: voter = dst board, target = src board).
 */
export function buildGraph(
  n: number,
  voter: Int32Array,
  target: Int32Array,
  weight: Float64Array,
): PagerankGraph {
  const m = voter.length;
  const outWeight = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    outWeight[voter[e]!]! += weight[e]!;
    offsets[target[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  const cursor = offsets.slice(0, n);
  const from = new Int32Array(m);
  const coef = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const u = voter[e]!;
    const slot = cursor[target[e]!]!++;
    from[slot] = u;
    coef[slot] = weight[e]! / outWeight[u]!;
  }
  const dangling = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (!(outWeight[v]! > 0)) dangling[v] = 1;
  return { n, offsets, from, coef, dangling };
}

export interface PagerankResult {
  rank: Float64Array;
  iterations: number;
  /** L1 change of the last iteration. */
  delta: number;
  converged: boolean;
}

export interface PagerankOptions {
  damping?: number;
  tolerance?: number;
  maxIterations?: number;
  onIteration?: (iteration: number, delta: number) => void;
}

export function pagerank(graph: PagerankGraph, options: PagerankOptions = {}): PagerankResult {
  const d = options.damping ?? DAMPING;
  const tolerance = options.tolerance ?? TOLERANCE;
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const { n, offsets, from, coef, dangling } = graph;
  if (n === 0) return { rank: new Float64Array(0), iterations: 0, delta: 0, converged: true };
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let iterations = 0;
  let delta = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations) {
    let danglingMass = 0;
    for (let v = 0; v < n; v++) if (dangling[v] === 1) danglingMass += rank[v]!;
    const base = (1 - d) / n + (d * danglingMass) / n;
    delta = 0;
    let start = offsets[0]!;
    for (let v = 0; v < n; v++) {
      const end = offsets[v + 1]!;
      let sum = 0;
      for (let e = start; e < end; e++) sum += rank[from[e]!]! * coef[e]!;
      start = end;
      const value = base + d * sum;
      next[v] = value;
      const diff = value - rank[v]!;
      delta += diff < 0 ? -diff : diff;
    }
    const swap = rank;
    rank = next;
    next = swap;
    iterations++;
    options.onIteration?.(iterations, delta);
    if (delta < tolerance) break;
  }
  return { rank, iterations, delta, converged: delta < tolerance };
}
