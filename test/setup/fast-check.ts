/**
 * Property tests: under CI (`CI=true`) every run explores the same cases (a fixed seed), so a
 * submission is never failed by a case no earlier run saw; elsewhere each run draws new ones and
 * fast-check prints the seed of any failure (`FC_SEED=N npm test` replays it). A counterexample
 * found that way becomes a fixed test next to its property.
 */
import fc from 'fast-check';

const seed = process.env['FC_SEED'] ?? (process.env['CI'] ? '20261206' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
