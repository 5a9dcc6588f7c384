/**
 * Data-quality checks on every output, derived from the catalog: keys are non-null and unique,
 * and every reference (`ref`, also inside lists and structs) resolves to a key of its target.
 * Jobs add their own checks (row counts consistent with the inputs). A failed check fails the job
 * with a message naming the dataset, the check and an example row.
 */
import type { Dataset, Field } from '../catalog/types.js';
import { ident, literal } from './duck.js';
import type { OutputCheck, Sql } from './job.js';

/**
 * Where the keys of a referenced dataset come from. A join is keyed like the raw dataset it is
 * built from, so references to it are checked against that raw dataset (the join may not exist
 * yet when a job that references it runs).
 */
const KEY_SOURCE: Record<string, { view: string; column: string }> = {
  boardjoin: { view: 'boards', column: 'board_id' },
  userjoin: { view: 'users', column: 'user_id' },
  // The run's distinct image signatures (src/jobs/duck.ts loadRawTables): 765 k keys at medium
  // scale instead of 3 M pins to build the anti-join on.
  pinjoin: { view: 'disco_images', column: 'image_signature' },
  boards: { view: 'boards', column: 'board_id' },
  users: { view: 'users', column: 'user_id' },
  pins: { view: 'pins', column: 'pin_id' },
};

export function genericChecks(dataset: Dataset): OutputCheck[] {
  const table = ident(dataset.name);
  const keys = dataset.key.map(ident);
  const checks: OutputCheck[] = [
    {
      dataset: dataset.name,
      check: 'key-not-null',
      failing: `SELECT * FROM ${table} WHERE ${keys.map((k) => `${k} IS NULL`).join(' OR ')} LIMIT 1`,
      message: `a row has a null key (${dataset.key.join(', ')})`,
    },
    {
      dataset: dataset.name,
      check: 'key-unique',
      failing: `SELECT ${keys.join(', ')}, count(*) AS copies FROM ${table} GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
      message: `two rows share a key (${dataset.key.join(', ')})`,
    },
  ];
  // References into the same keys are checked by one query (one hash table on the keys, one read
  // of the output) whose failing row names the reference that dangles (column disco_check).
  const bySource = new Map<string, Array<{ check: string; message: string; values: string }>>();
  for (const field of dataset.fields) {
    for (const ref of referencePaths(field)) {
      const source = KEY_SOURCE[ref.target];
      if (!source) continue;
      const path = `${field.name}${ref.sub ? `.${ref.sub}` : ''}`;
      const key = `${ident(source.view)} t WHERE t.${ident(source.column)}`;
      const group = bySource.get(key) ?? [];
      group.push({
        check: `ref-${path}`,
        message: `${path} refers to a ${ref.target} key that does not exist`,
        values: ref.values,
      });
      bySource.set(key, group);
    }
  }
  for (const [key, refs] of bySource) {
    const values = refs
      .map(
        (r) =>
          `SELECT ${literal(r.check)} AS disco_check, ${keys.join(', ')}, ${r.values} AS v FROM ${table}`,
      )
      .join(' UNION ALL ');
    checks.push({
      dataset: dataset.name,
      check: refs.map((r) => r.check).join('+'),
      failing: `SELECT disco_check, ${keys.join(', ')}, v AS dangling_value FROM (${values}) r
        WHERE v IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${key} = r.v) LIMIT 1`,
      message: refs.map((r) => r.message).join('; '),
      parts: refs.map(({ check, message }) => ({ check, message })),
    });
  }
  return checks;
}

interface ReferencePath {
  target: string;
  /** Struct field name when the reference is inside a struct. */
  sub?: string;
  /** SQL expression producing one referenced value per row (unnesting lists). */
  values: string;
}

function referencePaths(field: Field): ReferencePath[] {
  const col = ident(field.name);
  const out: ReferencePath[] = [];
  const type = field.type;
  if (field.ref !== undefined) {
    out.push({ target: field.ref, values: type.kind === 'list' ? `unnest(${col})` : col });
  }
  const subs =
    type.kind === 'struct'
      ? type.fields
      : type.kind === 'list' && type.of.kind === 'struct'
        ? type.of.fields
        : [];
  for (const sub of subs) {
    if (sub.ref === undefined) continue;
    const values =
      type.kind === 'list'
        ? `unnest(list_transform(${col}, x -> x.${ident(sub.name)}))`
        : `${col}.${ident(sub.name)}`;
    out.push({ target: sub.ref, sub: sub.name, values });
  }
  return out;
}

export class QualityCheckFailed extends Error {
  constructor(
    readonly dataset: string,
    readonly check: string,
    readonly example: Record<string, unknown>,
    detail: string,
  ) {
    super(
      `quality check '${check}' failed on dataset '${dataset}': ${detail}; example row: ${truncate(JSON.stringify(example), 300)}`,
    );
  }
}

export interface CheckReport {
  dataset: string;
  check: string;
  passed: boolean;
}

/** Runs the checks; throws {@link QualityCheckFailed} on the first failure. */
export async function runChecks(sql: Sql, checks: readonly OutputCheck[]): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const check of checks) {
    const rows = await sql.rows(check.failing);
    const example = rows[0];
    if (example !== undefined) {
      if (!check.parts) throw new QualityCheckFailed(check.dataset, check.check, example, check.message);
      const { disco_check: name, ...row } = example;
      const part = check.parts.find((p) => p.check === name) ?? check;
      throw new QualityCheckFailed(check.dataset, part.check, row, part.message);
    }
    for (const part of check.parts ?? [check])
      reports.push({ dataset: check.dataset, check: part.check, passed: true });
  }
  return reports;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
