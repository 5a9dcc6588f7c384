/** Validation of the generator's inputs, once, at the edge (flags, or `runDemo`'s options). */
import { UserError } from '../errors/index.js';
import { parseDate } from '../project/dates.js';
import type { DateString } from '../project/layout.js';
import { SCALE_NAMES, type ScaleName } from './scales.js';

export const DEFAULTS = {
  scale: 'tiny' as ScaleName,
  seed: 42,
  mislabelRate: 0.05,
  uploadAffinity: 0.9,
  repinAffinity: 0.8,
};

export const MAX_SEED = 4_294_967_295;

export function parseScale(text: string): ScaleName {
  if ((SCALE_NAMES as string[]).includes(text)) return text as ScaleName;
  throw new UserError(`--scale '${text}' is not a scale`, {
    code: 'invalid-scale',
    hint: `use one of: ${SCALE_NAMES.join(', ')}`,
  });
}

/** A seed: an integer in [0, 2^32 − 1], given as a number or as flag text. */
export function parseSeed(value: string | number, flag = '--seed'): number {
  const text = String(value).trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEED) {
    throw new UserError(`${flag} '${text}' is not a valid seed`, {
      code: 'invalid-seed',
      hint: `use a whole number from 0 to ${MAX_SEED}`,
    });
  }
  return n;
}

/** A probability in [0, 1], given as a number or as flag text. */
export function parseRate(value: string | number, flag: string): number {
  const text = String(value).trim();
  const n = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new UserError(`${flag} '${text}' is not a rate between 0 and 1`, {
      code: 'invalid-rate',
      hint: `use a number from 0 to 1, e.g. ${flag} 0.05`,
    });
  }
  return n;
}

export { parseDate };
export type { DateString };
