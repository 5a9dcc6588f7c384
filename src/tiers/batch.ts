/**
 * `batch`: the light joins and the derived datasets in a DuckDB database file, for SQL aggregation
 * in about a second. Each load writes a new file; readers open the served file READ_ONLY (several
 * processes may read it at once) with external access disabled, so a query sees only the tier's
 * own tables.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fieldsIn, keyField } from '../catalog/catalog.js';
import type { Dataset } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { tierDir } from '../project/layout.js';
import { StateBackedTier } from './base.js';
import { DuckSession, readOnlyQuery } from './duck.js';
import type { BuildInput, BuildProgress } from './prod-build.js';
import { keyLiteral, normalizeKey, recordJsonSql, sqlIdent, sqlString } from './records.js';
import { corruptTier, type SlotDataset, type TierSlot } from './state.js';
import type { Item, Key } from './tier.js';

export class BatchTier extends StateBackedTier {
  private session: DuckSession | null = null;
  private openedId: string | null = null;
  private opening: Promise<DuckSession> | null = null;

  constructor(config: ProjectConfig) {
    super('batch', config);
  }

  private async ensureOpen(): Promise<{ slot: TierSlot; session: DuckSession }> {
    const slot = this.requireSlot();
    const id = StateBackedTier.slotId(slot);
    if (id !== this.openedId) {
      this.session?.close();
      this.session = null;
      this.openedId = id;
      const path = join(tierDir(this.config.dataDir, 'batch'), slot.file ?? '');
      this.opening = (async () => {
        if (!slot.file || !existsSync(path))
          throw new Error(`its database file ${slot.file ?? '(none)'} is missing`);
        return DuckSession.open(path, { access_mode: 'READ_ONLY', enable_external_access: 'false' });
      })().catch((error: unknown) => {
        throw corruptTier('batch', path, (error as Error).message);
      });
    }
    this.session = await this.opening!;
    return { slot, session: this.session };
  }

  async getMany(datasetName: string, keys: readonly Key[]): Promise<Array<Item | undefined>> {
    const { slot, session } = await this.ensureOpen();
    const dataset = this.datasetFor(datasetName, slot);
    return keyedLookup(session, dataset, sqlIdent(dataset.name), fieldsIn(dataset, 'batch'), keys);
  }

  async query(sql: string, params: Readonly<Record<string, unknown>>): Promise<Item[]> {
    const { session } = await this.ensureOpen();
    return readOnlyQuery(session, sql, params, 'batch');
  }

  protected override usedBytes(slot: TierSlot): number {
    try {
      return statSync(join(tierDir(this.config.dataDir, 'batch'), slot.file ?? '')).size;
    } catch {
      return super.usedBytes(slot);
    }
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = null;
    this.openedId = null;
  }
}

/** `SELECT record WHERE key IN (...)`, re-aligned with `keys` (missing keys → undefined). */
export async function keyedLookup(
  session: DuckSession,
  dataset: Dataset,
  from: string,
  fields: readonly import('../catalog/types.js').Field[],
  keys: readonly Key[],
): Promise<Array<Item | undefined>> {
  if (keys.length === 0) return [];
  const key = keyField(dataset);
  const literals = [...new Set(keys.map((k) => keyLiteral(dataset, k)))];
  const records = await session
    .jsonRecords(
      `SELECT ${recordJsonSql(fields)} FROM ${from} WHERE ${sqlIdent(key.name)} IN (${literals.join(', ')})`,
    )
    .catch((error: unknown) => {
      if (error instanceof UserError) throw error;
      throw new UserError(`reading ${dataset.name} failed: ${(error as Error).message}`, {
        code: 'tier-read-failed',
        exit: 1,
        hint: "the tier's files may be damaged; reload with 'disco tiers load'",
      });
    });
  const byKey = new Map<Key, Item>(records.map((r) => [r[key.name] as Key, r]));
  return keys.map((k) => byKey.get(normalizeKey(dataset, k)));
}

/** Writes a new batch database file at `path` (light joins, full derived datasets). */
export async function buildBatchFile(
  path: string,
  inputs: readonly BuildInput[],
  onProgress?: (p: BuildProgress) => void,
): Promise<Record<string, SlotDataset>> {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const session = await DuckSession.open(path);
  const out: Record<string, SlotDataset> = {};
  try {
    for (const { dataset, files, version } of inputs) {
      const cols = fieldsIn(dataset, 'batch').map((f) => sqlIdent(f.name));
      const fileList = `[${files.map(sqlString).join(', ')}]`;
      await session.connection.run(
        `CREATE TABLE ${sqlIdent(dataset.name)} AS SELECT ${cols.join(', ')} FROM read_parquet(${fileList}) ORDER BY ${dataset.key.map(sqlIdent).join(', ')}`,
      );
      const reader = await session.connection.runAndReadAll(
        `SELECT count(*)::BIGINT FROM ${sqlIdent(dataset.name)}`,
      );
      const rows = Number(reader.getRows()[0]![0]);
      onProgress?.({ dataset: dataset.name, rows });
      out[dataset.name] = { version, rows, bytes: 0 };
    }
    await session.connection.run('CHECKPOINT');
  } finally {
    session.close();
  }
  // DuckDB reports no exact per-table bytes: share the file's size by rows × columns.
  const total = statSync(path).size;
  const weights = Object.entries(out).map(([name, d]) => {
    const dataset = inputs.find((i) => i.dataset.name === name)!.dataset;
    return [name, d.rows * fieldsIn(dataset, 'batch').length] as const;
  });
  const sum = weights.reduce((s, [, w]) => s + w, 0) || 1;
  for (const [name, w] of weights) out[name]!.bytes = Math.round((total * w) / sum);
  return out;
}
