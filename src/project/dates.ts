/** Dates and version strings given on the command line, validated once at the edge. */
import { UserError } from '../errors/index.js';
import type { DateString, VersionId } from './layout.js';

/** Today's date (UTC) as YYYY-MM-DD. */
export function today(): DateString {
  return new Date().toISOString().slice(0, 10) as DateString;
}

export function parseDate(text: string, flag = '--date'): DateString {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const valid =
    match !== null &&
    (() => {
      const d = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
    })();
  if (!valid) {
    throw new UserError(`${flag} '${text}' is not a valid date`, {
      code: 'invalid-date',
      exit: 2,
      hint: 'use YYYY-MM-DD, e.g. 2026-11-21',
    });
  }
  return text as DateString;
}

/** Parses `DATE/N` (as `disco tiers load --version` takes it). */
export function parseVersion(text: string, flag = '--version'): VersionId {
  const match = /^(\d{4}-\d{2}-\d{2})\/(\d+)$/.exec(text);
  const iteration = match ? Number(match[2]) : 0;
  if (!match || iteration < 1) {
    throw new UserError(`${flag} '${text}' is not a version`, {
      code: 'invalid-version',
      exit: 2,
      hint: 'use DATE/ITERATION, e.g. 2026-11-21/1 (see disco jobs status)',
    });
  }
  return { date: parseDate(match[1]!, flag), iteration };
}
