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
 * once, sequentially, and writes each node once — no scattered writes. The per-edge factor
 * weight/outWeight(voter) is split in two so the edge stream stays small:
 *
 * - per edge: the voter (`Int32Array`) and the repin count (`Float32Array`: counts are integers,
 *   exact in float32 up to 2^24, so nothing is rounded) — 8 bytes per edge instead of 12 with a
 *   pre-divided Float64 coefficient;
 * - per node, once per iteration: `share[u] = d · rank[u] / outWeight(u)` (Float64), computed in
 *   the same pass that writes `rank[u]`.
 *
 * So the inner loop is `sum += share[from[j]] * weight[j]` (unrolled by 4 with independent
 * accumulators). One pass over the nodes per iteration does everything else too: the new rank,
 * the L1 change, the next iteration's shares and the next iteration's dangling mass. No allocation
 * per iteration (two rank buffers and two share buffers are swapped). Ranks stay Float64.
 * See test/bench/pagerank.bench.ts for the figures.
 */

export const DAMPING = 0.85;
export const TOLERANCE = 1e-10;
export const MAX_ITERATIONS = 200;

/** Weights above this are not exact in a Float32Array; such graphs keep Float64 weights. */
const MAX_EXACT_FLOAT32_INTEGER = 2 ** 24;

export interface PagerankGraph {
  /** Number of nodes. */
  n: number;
  /** offsets[v]..offsets[v+1] index the in-edges of node v. Length n + 1. */
  offsets: Int32Array;
  /** Source node (the voter, "dst board") of each in-edge. */
  from: Int32Array;
  /**
   * Weight of each in-edge (the repin count). A Float32Array when every weight is an integer that
   * float32 holds exactly (repin counts), a Float64Array otherwise.
   */
  weight: Float32Array | Float64Array;
  /** 1 / outWeight(v), 0 for nodes without out-edges (dangling). */
  invOut: Float64Array;
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
  let exact32 = true;
  for (let e = 0; e < m; e++) {
    const w = weight[e]!;
    outWeight[voter[e]!]! += w;
    offsets[target[e]! + 1]!++;
    if (!(Number.isInteger(w) && w >= 0 && w <= MAX_EXACT_FLOAT32_INTEGER)) exact32 = false;
  }
  for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
  // Visit the edges in voter order (a counting sort by voter first), so each node's in-edges end
  // up sorted by voter: the gathers `share[from[j]]` then walk forward through memory.
  const byVoter = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) byVoter[voter[e]! + 1]!++;
  for (let v = 0; v < n; v++) byVoter[v + 1]! += byVoter[v]!;
  const order = new Int32Array(m);
  for (let e = 0; e < m; e++) order[byVoter[voter[e]!]!++] = e;
  const cursor = offsets.slice(0, n);
  const from = new Int32Array(m);
  const w = exact32 ? new Float32Array(m) : new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const e = order[k]!;
    const slot = cursor[target[e]!]!++;
    from[slot] = voter[e]!;
    w[slot] = weight[e]!;
  }
  const dangling = new Uint8Array(n);
  const invOut = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const out = outWeight[v]!;
    if (out > 0) invOut[v] = 1 / out;
    else dangling[v] = 1;
  }
  return { n, offsets, from, weight: w, invOut, dangling };
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
  const { n, offsets, from, weight, invOut, dangling } = graph;
  if (n === 0) return { rank: new Float64Array(0), iterations: 0, delta: 0, converged: true };
  // dInv[v] = d / outWeight(v) (0 when dangling), danglingMask[v] = 1 when dangling: both let the
  // node pass compute the next shares and the dangling mass without a branch.
  const dInv = new Float64Array(n);
  const danglingMask = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    dInv[v] = d * invOut[v]!;
    danglingMask[v] = dangling[v]!;
  }
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let share = new Float64Array(n);
  let nextShare = new Float64Array(n);
  let danglingMass = 0;
  for (let v = 0; v < n; v++) {
    share[v] = rank[v]! * dInv[v]!;
    danglingMass += rank[v]! * danglingMask[v]!;
  }
  let iterations = 0;
  let delta = Number.POSITIVE_INFINITY;
  while (iterations < maxIterations) {
    const base = (1 - d) / n + (d * danglingMass) / n;
    const step = iterate(n, offsets, from, weight, share, rank, next, nextShare, dInv, danglingMask, base);
    delta = step.delta;
    danglingMass = step.danglingMass;
    let swap = rank;
    rank = next;
    next = swap;
    swap = share;
    share = nextShare;
    nextShare = swap;
    iterations++;
    options.onIteration?.(iterations, delta);
    if (delta < tolerance) break;
  }
  return { rank, iterations, delta, converged: delta < tolerance };
}

interface Step {
  delta: number;
  danglingMass: number;
}

/**
 * One iteration. A process normally sees one weight array type only (Float32 for integer counts),
 * so the loop stays monomorphic; the Float64 case (fractional or huge weights) is rare.
 */
function iterate(
  n: number,
  offsets: Int32Array,
  from: Int32Array,
  weight: Float32Array | Float64Array,
  share: Float64Array,
  rank: Float64Array,
  next: Float64Array,
  nextShare: Float64Array,
  dInv: Float64Array,
  danglingMask: Float64Array,
  base: number,
): Step {
  let delta = 0;
  let danglingMass = 0;
  let start = offsets[0]!;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1]!;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = start;
    for (const last = end - 3; j < last; j += 4) {
      s0 += share[from[j]!]! * weight[j]!;
      s1 += share[from[j + 1]!]! * weight[j + 1]!;
      s2 += share[from[j + 2]!]! * weight[j + 2]!;
      s3 += share[from[j + 3]!]! * weight[j + 3]!;
    }
    for (; j < end; j++) s0 += share[from[j]!]! * weight[j]!;
    start = end;
    const value = base + (s0 + s1 + (s2 + s3));
    const diff = value - rank[v]!;
    delta += diff < 0 ? -diff : diff;
    next[v] = value;
    nextShare[v] = value * dInv[v]!;
    danglingMass += value * danglingMask[v]!;
  }
  return { delta, danglingMass };
}
