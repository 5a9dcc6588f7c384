/**
 * An independent, straightforward implementation of SPEC §2's board PageRank, written from the
 * definition and from the pins themselves (not from repin_graph): maps and plain arrays, one pass
 * per definition clause. Used by the tests (equality to 1e-9) and by the bench (the baseline).
 */
export interface RefPin {
  pin_id: number;
  board_id: number;
  parent_pin_id: number | null;
}

/** Edges dst → src with weights, from the pins: a repin whose parent lies on another board. */
export function votesFromPins(pins: readonly RefPin[]): Map<number, Map<number, number>> {
  const boardOf = new Map(pins.map((p) => [p.pin_id, p.board_id]));
  const votes = new Map<number, Map<number, number>>(); // voter (dst) → (src → weight)
  for (const p of pins) {
    if (p.parent_pin_id === null) continue;
    const src = boardOf.get(p.parent_pin_id);
    if (src === undefined || src === p.board_id) continue;
    const out = votes.get(p.board_id) ?? new Map<number, number>();
    out.set(src, (out.get(src) ?? 0) + 1);
    votes.set(p.board_id, out);
  }
  return votes;
}

export function referencePagerank(
  boards: readonly number[],
  votes: ReadonlyMap<number, ReadonlyMap<number, number>>,
): { rank: Map<number, number>; iterations: number } {
  const n = boards.length;
  let rank = new Map(boards.map((b) => [b, 1 / n]));
  let iterations = 0;
  while (iterations < 200) {
    const next = new Map(boards.map((b) => [b, (1 - 0.85) / n]));
    let danglingMass = 0;
    for (const b of boards) {
      const out = votes.get(b);
      const total = out ? [...out.values()].reduce((a, w) => a + w, 0) : 0;
      if (!out || total === 0) {
        danglingMass += rank.get(b)!;
        continue;
      }
      for (const [src, w] of out) next.set(src, next.get(src)! + (0.85 * rank.get(b)! * w) / total);
    }
    for (const b of boards) next.set(b, next.get(b)! + (0.85 * danglingMass) / n);
    let change = 0;
    for (const b of boards) change += Math.abs(next.get(b)! - rank.get(b)!);
    rank = next;
    iterations++;
    if (change < 1e-10) break;
  }
  return { rank, iterations };
}
