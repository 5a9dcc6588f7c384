import { describe, expect, it } from 'vitest';
import { voteCategories } from '../../src/jobs/category-vote.js';

const METHOD = { prior: 1, minImages: 2, minShare: 0.35, rounds: 2 };

/** Boards 0..n-1; `images` lists, per image, the boards holding it. */
function run(assigned: number[], images: number[][], k = 3) {
  const pairBoard = Int32Array.from(images.flat());
  const starts = [0];
  for (const holders of images) starts.push(starts.at(-1)! + holders.length);
  return voteCategories(
    {
      n: assigned.length,
      k,
      assigned: Int32Array.from(assigned),
      pairBoard,
      imageStart: Int32Array.from(starts),
    },
    METHOD,
  );
}

describe('category vote (typed arrays)', () => {
  it('overrules a label that the other holders of its images contradict', () => {
    // Board 0 says category 1; its three images are each held by two boards of category 0.
    const r = run(
      [1, 0, 0],
      [
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
      ],
    );
    expect(r.category[0]).toBe(0);
    expect(r.miscategorized[0]).toBe(1);
    expect(r.images[0]).toBe(3);
    // 3 votes for 0 against the prior's 1 for the label: share 0.75.
    expect(r.confidence[0]).toBeCloseTo(0.75, 12);
    expect(r.miscategorized[1]).toBe(0);
  });

  it('keeps the label on a tie and with too little evidence', () => {
    // One shared image only (minImages 2): the label stands even though the vote disagrees.
    const one = run([1, 0], [[0, 1]]);
    expect(one.miscategorized[0]).toBe(0);
    expect(one.category[0]).toBe(1);
    // Two images, one vote each way for category 0 vs the prior for 1 + one vote for 1: label wins.
    const tie = run(
      [1, 0, 1],
      [
        [0, 1],
        [0, 2],
      ],
    );
    expect(tie.category[0]).toBe(1);
    expect(tie.images[0]).toBe(2);
  });

  it('counts no evidence from images nobody else holds', () => {
    const r = run([2, 0], [[0], [0], [1]]);
    expect(r.images[0]).toBe(0);
    expect(r.category[0]).toBe(2);
    expect(r.confidence[0]).toBe(1);
  });
});
