import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/index.js';
import { DEFAULT_TIER_PROFILES, loadProjectConfig, parseProjectConfig } from '../../src/project/config.js';
import { tempDir } from '../helpers/cli.js';

function errorOf(text: string): UserError {
  try {
    parseProjectConfig(text, 'disco.yaml', '/p');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('disco.yaml', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of dirs.splice(0)) cleanup();
  });

  it('uses the built-in defaults without a disco.yaml', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    const config = loadProjectConfig(dir);
    expect(config.configFile).toBeUndefined();
    expect(config.dataDir).toBe(join(dir, '.disco'));
    expect(config.tiers).toEqual(DEFAULT_TIER_PROFILES);
  });

  it('reads overrides, and --data wins over data:', () => {
    const { dir, cleanup } = tempDir();
    dirs.push(cleanup);
    writeFileSync(join(dir, 'disco.yaml'), 'data: store\ntiers:\n  prod: { capacity_bytes: 1000 }\n');
    expect(loadProjectConfig(dir).dataDir).toBe(join(dir, 'store'));
    expect(loadProjectConfig(dir).tiers.prod).toEqual({ capacityBytes: 1000, p99Ms: 2 });
    mkdirSync(join(dir, 'elsewhere'));
    expect(loadProjectConfig(dir, { dataDir: join(dir, 'elsewhere') }).dataDir).toBe(join(dir, 'elsewhere'));
  });

  it('accepts an empty file', () => {
    expect(parseProjectConfig('# nothing yet\n', 'disco.yaml', '/p').dataDir).toBe('/p/.disco');
  });

  it('reports an unknown key with its position and a suggestion', () => {
    const error = errorOf('data: x\ntires:\n  prod: {}\n');
    expect(error.code).toBe('unknown-key');
    expect(error.exit).toBe(2);
    expect(error.where).toBe('disco.yaml:2:1');
    expect(error.message).toContain("unknown key 'tires'; did you mean 'tiers'?");
  });

  it('reports every wrong type, each at its value', () => {
    const error = errorOf('tiers:\n  prod: { capacity_bytes: lots, p99_ms: -1 }\n  cold: {}\n');
    const lines = error.message.split('\n').slice(1);
    expect(lines).toEqual([
      "disco.yaml:3:3: unknown key 'cold' (expected one of: prod, batch, archive, debug) [unknown-key]",
      'disco.yaml:2:27: \'tiers.prod.capacity_bytes\' must be a positive integer, not string "lots" [wrong-type]',
      "disco.yaml:2:41: 'tiers.prod.p99_ms' must be a positive number, not number -1 [wrong-type]",
    ]);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(errorOf('data: a\ndata: b\n').code).toBe('duplicate-key');
    expect(errorOf('tiers: [1, 2\n').code).toBe('yaml-syntax');
    expect(errorOf('- a\n- b\n').message).toContain('must be a mapping');
  });

  it('checks custom job declarations', () => {
    const config = parseProjectConfig(
      'jobs:\n  top_boards:\n    sql: jobs/top.sql\n    inputs: [boardjoin]\n    output:\n      dataset: top_boards\n      key: [board_id]\n      fields: { board_id: int, tags: list<string> }\n',
      'disco.yaml',
      '/p',
    );
    expect(config.jobs).toEqual([
      {
        name: 'top_boards',
        sqlFile: '/p/jobs/top.sql',
        inputs: ['boardjoin'],
        output: {
          dataset: 'top_boards',
          key: ['board_id'],
          fields: [
            { name: 'board_id', type: { kind: 'int' } },
            { name: 'tags', type: { kind: 'list', of: { kind: 'string' } } },
          ],
        },
      },
    ]);
    const error = errorOf(
      'jobs:\n  x:\n    sql: a.sql\n    output: { dataset: d, key: [id], fields: { idd: integer } }\n',
    );
    expect(error.message).toContain('invalid-type');
    expect(error.message).toContain("key 'id' is not one of the declared fields");
  });
});
