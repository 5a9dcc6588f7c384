import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOOL,
  type Dataset,
  type DatasetName,
  type Field,
  type FieldType,
  FLOAT,
  INT,
  listOf,
  STRING,
  structOf,
  TIMESTAMP,
} from '../../src/catalog/index.js';
import { DuckSession } from '../../src/tiers/duck.js';
import {
  decoderFor,
  PROD_FORMAT,
  positionalRecordSql,
  recordDecoder,
  schemaOf,
} from '../../src/tiers/prod-codec.js';
import { buildProdFile } from '../../src/tiers/prod-build.js';
import { recordJsonSql } from '../../src/tiers/records.js';
import { tempDir } from '../helpers/cli.js';

const f = (name: string, type: FieldType): Field => ({ name, type, light: true, doc: '' });
const FIELDS: Field[] = [
  f('id', STRING),
  f('n', INT),
  f('x', FLOAT),
  f('ok', BOOL),
  f('ts', TIMESTAMP),
  f('title', STRING),
  f('ints', listOf(INT)),
  f('tags', listOf(STRING)),
  f('times', listOf(TIMESTAMP)),
  f('owner', structOf([f('user_id', INT), f('name', STRING), f('since', TIMESTAMP)])),
  f('boards', listOf(structOf([f('board_id', INT), f('name', STRING), f('rank', FLOAT)]))),
  f('nested', listOf(listOf(structOf([f('a', INT)])))),
];

// Every awkward value: nulls at each level, control characters and spaces (the build frames a
// row's key and record by their byte lengths), quotes, non-ASCII, extreme floats.
const ROWS = `
  SELECT * FROM (VALUES
    ('k1', 1, 0.1, true, TIMESTAMP '2026-11-21 08:30:00.123', 'plain', [1, 2], ['a', 'b'],
     [TIMESTAMP '2026-01-01 00:00:00'], {'user_id': 7, 'name': 'ann', 'since': TIMESTAMP '2020-02-02 02:02:02'},
     [{'board_id': 3, 'name': 'b', 'rank': 5.439966915240009e-7}], [[{'a': 1}], []]),
    ('k\x01\t\n"\\é😀', NULL, NULL, NULL, NULL, 'tab\there\x01 "quoted" \\ é 😀 \n', NULL, NULL,
     NULL, NULL, NULL, NULL),
    ('k3', -9007199254740991, 1.7976931348623157e308, false, TIMESTAMP '1970-01-01 00:00:00', '', [], [NULL, ''],
     [NULL], {'user_id': NULL, 'name': NULL, 'since': NULL},
     [NULL, {'board_id': NULL, 'name': NULL, 'rank': NULL}], [NULL, [NULL]])
  ) AS t(id, n, x, ok, ts, title, ints, tags, times, owner, boards, nested)`;

let duck: DuckSession;
let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  duck = await DuckSession.open(':memory:');
  ({ dir, cleanup } = tempDir('disco-codec-'));
});
afterAll(() => {
  duck.close();
  cleanup();
});

describe('prod record encoding', () => {
  it('decodes to exactly the objects the named JSON of every other tier gives (fields, order, values)', async () => {
    const reader = await duck.connection.runAndReadAll(
      `SELECT id, ${recordJsonSql(FIELDS)}, ${positionalRecordSql(FIELDS, 'id')} FROM (${ROWS})`,
    );
    const decode = recordDecoder(FIELDS, 'id');
    const rows = reader.getRows() as [string, string, string][];
    expect(rows).toHaveLength(3);
    for (const [key, named, positional] of rows) {
      expect(positional.length).toBeLessThan(named.length);
      expect(JSON.stringify(decode(key, positional))).toBe(JSON.stringify(JSON.parse(named)));
    }
  });

  it('reads files of the previous named-JSON format; refuses another schema or an unknown format', () => {
    const schema = schemaOf(FIELDS);
    const old = decoderFor(0, undefined, FIELDS, 'id');
    expect(old('k', '{"id":"k","n":1}')).toEqual({ id: 'k', n: 1 });
    const small = FIELDS.slice(0, 3);
    expect(decoderFor(PROD_FORMAT, schemaOf(small), small, 'id')('k', '[1,0.5]')).toEqual({
      id: 'k',
      n: 1,
      x: 0.5,
    });
    expect(() => decoderFor(PROD_FORMAT, 'struct{id string}', FIELDS, 'id')).toThrow(/another schema/);
    expect(() => decoderFor(PROD_FORMAT, undefined, FIELDS, 'id')).toThrow(/none recorded/);
    expect(() => decoderFor(PROD_FORMAT + 1, schema, FIELDS, 'id')).toThrow(/format/);
  });

  it('a prod file built from them holds every record, its string key split off exactly', async () => {
    const parquet = join(dir, 'odd.parquet');
    await duck.connection.run(`COPY (${ROWS}) TO '${parquet}' (FORMAT parquet)`);
    const dataset: Dataset = {
      name: 'odd' as DatasetName,
      kind: 'join',
      key: ['id'],
      fields: FIELDS,
      tiers: ['prod'],
      doc: '',
    };
    const path = join(dir, 'odd.sqlite');
    const built = await buildProdFile(path, [{ dataset, files: [parquet], version: 'v' }], duck.instance);
    expect(built['odd']).toMatchObject({ rows: 3, version: 'v' });
    expect(built['odd']!.bytes).toBeGreaterThan(0);
    const named = (
      await duck.connection.runAndReadAll(`SELECT id, ${recordJsonSql(FIELDS)} FROM (${ROWS})`)
    ).getRows();
    const db = new Sqlite(path, { readonly: true });
    try {
      const decode = decoderFor(
        db.pragma('user_version', { simple: true }) as number,
        db.prepare('SELECT schema FROM disco_schema WHERE dataset = ?').pluck().get('odd') as string,
        FIELDS,
        'id',
      );
      const get = db.prepare('SELECT v FROM odd WHERE k = ?').pluck();
      for (const [key, json] of named as [string, string][]) {
        expect(JSON.stringify(decode(key, get.get(key) as string))).toBe(JSON.stringify(JSON.parse(json)));
      }
    } finally {
      db.close();
    }
  });

  it('a prod file holds every row of a dataset spanning several queries, blobs and statements', async () => {
    // 300 001 rows: three DuckDB queries of 131 072 rows, blobs of 2 048 rows and a short last
    // one, statements of 256 rows and single rows; negative and 2^53-sized keys, negative weights.
    const parquet = join(dir, 'many.parquet');
    await duck.connection.run(
      `COPY (SELECT * FROM (
         SELECT (i - 150000) * 3 AS id, (i % 7) - 3 AS pin_count, 'row ' || i AS label FROM range(300000) t(i)
         UNION ALL SELECT 9007199254740993, 1, 'big')
       ORDER BY id) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 16384)`,
    );
    const fields = [f('id', INT), f('pin_count', INT), f('label', STRING)];
    const dataset: Dataset = {
      name: 'many' as DatasetName,
      kind: 'join',
      key: ['id'],
      fields,
      tiers: ['prod'],
      doc: '',
    };
    const path = join(dir, 'many.sqlite');
    const built = await buildProdFile(path, [{ dataset, files: [parquet], version: 'v' }], duck.instance);
    expect(built['many']!.rows).toBe(300_001);
    const db = new Sqlite(path, { readonly: true });
    db.defaultSafeIntegers(true);
    try {
      const stats = db
        .prepare('SELECT count(*), sum(k = -450000), sum(w), min(k), max(k) FROM many')
        .raw()
        .get();
      expect(stats).toEqual([
        300_001n,
        1n,
        -2n, // Σ (i % 7) − 3 is −3 (299 999 % 7 is 0), the big row adds 1
        -450_000n,
        9_007_199_254_740_993n,
      ]);
      const get = db.prepare('SELECT w, v FROM many WHERE k = ?').raw();
      expect(get.get(-450_000n)).toEqual([-3n, '[-3,"row 0"]']);
      expect(get.get(449_997n)).toEqual([-3n, '[-3,"row 299999"]']);
      expect(get.get(9_007_199_254_740_993n)).toEqual([1n, '[1,"big"]']);
    } finally {
      db.close();
    }
  });
});
