import { describe, expect, it } from 'vitest';
import {
  CATALOG,
  CATEGORIES,
  duckdbType,
  fieldAtPath,
  fieldsIn,
  formatType,
  isLightIn,
  parseTypeName,
} from '../../src/catalog/index.js';

describe('catalog', () => {
  it('defines every SPEC dataset with its key', () => {
    const keys = Object.fromEntries(CATALOG.datasets.map((d) => [d.name, d.key.join(',')]));
    expect(keys).toEqual({
      users: 'user_id',
      boards: 'board_id',
      pins: 'pin_id',
      board_truth: 'board_id',
      repin_graph: 'src_board_id,dst_board_id',
      board_pagerank: 'board_id',
      board_category: 'board_id',
      pinjoin: 'image_signature',
      boardjoin: 'board_id',
      userjoin: 'user_id',
    });
  });

  it('has the 32 categories', () => {
    expect(CATEGORIES).toHaveLength(32);
    expect(new Set(CATEGORIES).size).toBe(32);
  });

  it('keeps key fields in every light projection', () => {
    for (const d of CATALOG.datasets) {
      for (const key of d.key) expect(fieldsIn(d, 'prod').map((f) => f.name)).toContain(key);
    }
  });

  it('drops exactly the non-light fields in prod and batch', () => {
    const pinjoin = CATALOG.get('pinjoin');
    const dropped = pinjoin.fields.filter((f) => !fieldsIn(pinjoin, 'prod').includes(f)).map((f) => f.name);
    expect(dropped).toEqual(['pin_ids', 'description', 'repin_edges']);
    expect(isLightIn(pinjoin, 'prod')).toBe(true);
    expect(isLightIn(pinjoin, 'debug')).toBe(false);
    expect(isLightIn(CATALOG.get('board_pagerank'), 'batch')).toBe(false);
  });

  it('resolves every reference to a known dataset', () => {
    const refs = CATALOG.datasets.flatMap((d) => d.fields.filter((f) => f.ref).map((f) => f.ref!));
    for (const ref of refs) expect(CATALOG.find(ref)).toBeDefined();
  });

  it('looks fields up through structs and lists of structs', () => {
    const boardjoin = CATALOG.get('boardjoin');
    expect(fieldAtPath(boardjoin.fields, ['owner', 'username'])?.type).toEqual({ kind: 'string' });
    expect(fieldAtPath(boardjoin.fields, ['pins', 'image_signature'])?.ref).toBe('pinjoin');
    expect(fieldAtPath(boardjoin.fields, ['owner', 'nope'])).toBeUndefined();
  });

  it('suggests the closest dataset for a typo', () => {
    expect(() => CATALOG.get('pinjion')).toThrow("unknown dataset 'pinjion'; did you mean 'pinjoin'?");
  });

  it('formats and parses types, and maps them to DuckDB', () => {
    const edges = CATALOG.get('pinjoin').fields.find((f) => f.name === 'repin_edges')!;
    expect(formatType(edges.type)).toBe('list<struct{parent_pin_id int, pin_id int}>');
    expect(duckdbType(edges.type)).toBe('STRUCT("parent_pin_id" BIGINT, "pin_id" BIGINT)[]');
    expect(parseTypeName('list<list<string>>')).toEqual({
      kind: 'list',
      of: { kind: 'list', of: { kind: 'string' } },
    });
    expect(parseTypeName('list<nope>')).toBeUndefined();
  });
});
