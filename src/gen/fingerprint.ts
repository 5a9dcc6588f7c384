/**
 * Content fingerprints of a raw data set: per dataset, the row count, the schema, and an
 * order-independent hash of every row (computed by DuckDB). Two data sets with equal fingerprints
 * hold the same rows; the sample-data test uses this so a change of the generator's output is
 * always deliberate.
 */
import { RAW_DATASETS, type RawDatasetName } from './generate.js';
import { rawDir } from '../project/layout.js';
import { join } from 'node:path';

export interface DatasetFingerprint {
  rows: number;
  schema: string;
  hash: string;
}

export async function fingerprintRaw(
  dataDir: string,
  date: string,
): Promise<Record<RawDatasetName, DatasetFingerprint>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  try {
    const result = {} as Record<RawDatasetName, DatasetFingerprint>;
    for (const dataset of RAW_DATASETS) {
      const glob = join(rawDir(dataDir, dataset, date), '*.parquet').replaceAll("'", "''");
      const source = `read_parquet('${glob}', hive_partitioning = false)`;
      const schema = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
      const summary = await connection.runAndReadAll(
        `SELECT count(*)::BIGINT, printf('%016x', coalesce(bit_xor(hash(t)), 0)) FROM ${source} t`,
      );
      const [rows, hash] = summary.getRows()[0]!;
      result[dataset] = {
        rows: Number(rows),
        schema: schema
          .getRows()
          .map((r) => `${r[0]} ${r[1]}`)
          .join(', '),
        hash: String(hash),
      };
    }
    return result;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
