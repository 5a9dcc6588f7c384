/**
 * The category correction's vote (see builtin/board-category.ts for the method) over typed arrays:
 * boards are indices 0..n-1, categories codes 0..k-1 (in name order, so a lower code is the
 * alphabetically first name), and the (board, image) pairs arrive grouped by image.
 */
/** The tunable parameters of the vote. */
export interface CategoryMethod {
  /** Votes the owner's label starts with. */
  prior: number;
  /** Images (shared with other boards) a board needs before its label can be overruled. */
  minImages: number;
  /** Share of all votes the winning category needs to overrule the label. */
  minShare: number;
  rounds: number;
}

/** Votes closer than this count as a tie (the sums' rounding must not decide). */
const EPSILON = 1e-9;

export interface CategoryVoteInput {
  /** Number of boards. */
  n: number;
  /** Number of categories. */
  k: number;
  /** Owner-assigned category code of each board. */
  assigned: Int32Array;
  /** Board index of each distinct (board, image) pair, pairs grouped by image. */
  pairBoard: Int32Array;
  /** imageStart[g]..imageStart[g+1] index the pairs of image group g. */
  imageStart: Int32Array;
}

export interface CategoryVoteResult {
  /** Final category code of each board. */
  category: Int32Array;
  /** Share of the votes of the returned category. */
  confidence: Float64Array;
  miscategorized: Uint8Array;
  /** Images of the board that some other board also holds (the evidence). */
  images: Int32Array;
}

export function voteCategories(input: CategoryVoteInput, method: CategoryMethod): CategoryVoteResult {
  const { n, k, assigned, pairBoard, imageStart } = input;
  const groups = imageStart.length - 1;
  const images = new Int32Array(n);
  for (let g = 0; g < groups; g++) {
    const start = imageStart[g]!;
    const end = imageStart[g + 1]!;
    if (end - start < 2) continue;
    for (let p = start; p < end; p++) images[pairBoard[p]!]!++;
  }
  let label = Int32Array.from(assigned);
  const votes = new Float64Array(n * k);
  const counts = new Float64Array(k);
  const present = new Int32Array(k);
  const category = new Int32Array(n);
  const confidence = new Float64Array(n);
  const miscategorized = new Uint8Array(n);
  for (let round = 1; round <= method.rounds; round++) {
    votes.fill(0);
    for (let g = 0; g < groups; g++) {
      const start = imageStart[g]!;
      const end = imageStart[g + 1]!;
      const holders = end - start;
      if (holders < 2) continue;
      let distinct = 0;
      for (let p = start; p < end; p++) {
        const c = label[pairBoard[p]!]!;
        if (counts[c] === 0) present[distinct++] = c;
        counts[c]! += 1;
      }
      const per = 1 / (holders - 1);
      for (let p = start; p < end; p++) {
        const b = pairBoard[p]!;
        const own = label[b]!;
        const row = b * k;
        // Leave-one-out: b's own current category loses b's own vote.
        for (let i = 0; i < distinct; i++) {
          const c = present[i]!;
          votes[row + c]! += (counts[c]! - (c === own ? 1 : 0)) * per;
        }
      }
      for (let i = 0; i < distinct; i++) counts[present[i]!] = 0;
    }
    const next = new Int32Array(n);
    for (let b = 0; b < n; b++) {
      const mine = assigned[b]!;
      const row = b * k;
      votes[row + mine]! += method.prior;
      let total = 0;
      let top = mine;
      let topVotes = votes[row + mine]!;
      for (let c = 0; c < k; c++) {
        const v = votes[row + c]!;
        total += v;
        // Most votes; a tie goes to the owner's label, then to the alphabetically first category.
        if (v > topVotes + EPSILON || (c < top && top !== mine && v > topVotes - EPSILON)) {
          top = c;
          topVotes = v;
        }
      }
      const flip =
        top !== mine && images[b]! >= method.minImages && topVotes / total >= method.minShare - EPSILON;
      next[b] = flip ? top : mine;
      category[b] = flip ? top : mine;
      confidence[b] = (flip ? topVotes : votes[row + mine]!) / total;
      miscategorized[b] = flip ? 1 : 0;
    }
    label = next;
  }
  return { category, confidence, miscategorized, images };
}
