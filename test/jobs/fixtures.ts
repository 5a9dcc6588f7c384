/**
 * Raw data fixtures for the workflow tests: hand-made users/boards/pins written as Parquet the way
 * the generator lays them out (`rawDir`, raw manifest last), with columns typed from the catalog.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../../src/catalog/catalog.js';
import { duckdbType } from '../../src/catalog/types.js';
import { rawDir, rawManifestPath } from '../../src/project/layout.js';

export interface FixtureUser {
  user_id: number;
  username?: string;
  country?: string;
}
export interface FixtureBoard {
  board_id: number;
  owner_id: number;
  category: string;
  name?: string;
}
export interface FixturePin {
  pin_id: number;
  board_id: number;
  pinner_id?: number;
  image_signature: string;
  parent_pin_id?: number | null;
  title?: string;
}
export interface FixtureTruth {
  board_id: number;
  true_category: string;
  mislabeled: boolean;
}
export interface FixtureWorld {
  users: FixtureUser[];
  boards: FixtureBoard[];
  pins: FixturePin[];
  truth?: FixtureTruth[];
}

const T0 = Date.UTC(2026, 0, 1);
const ts = (i: number) => new Date(T0 + i * 60_000).toISOString().replace('T', ' ').replace('Z', '');

export async function writeRawFixture(dataDir: string, date: string, world: FixtureWorld): Promise<void> {
  const tables: Record<string, Array<Record<string, unknown>>> = {
    users: world.users.map((u) => ({
      user_id: u.user_id,
      username: u.username ?? `user${u.user_id}`,
      country: u.country ?? 'US',
      bio: `bio of ${u.user_id}`,
      created_at: ts(u.user_id),
    })),
    boards: world.boards.map((b) => ({
      board_id: b.board_id,
      owner_id: b.owner_id,
      name: b.name ?? `board ${b.board_id}`,
      description: `about board ${b.board_id}`,
      category: b.category,
      created_at: ts(b.board_id),
    })),
    pins: world.pins.map((p) => ({
      pin_id: p.pin_id,
      board_id: p.board_id,
      pinner_id: p.pinner_id ?? world.boards.find((b) => b.board_id === p.board_id)?.owner_id ?? 1,
      image_signature: p.image_signature,
      parent_pin_id: p.parent_pin_id ?? null,
      title: p.title ?? `title ${p.image_signature}`,
      description: `pin ${p.pin_id}`,
      link: `https://example.com/${p.image_signature}`,
      created_at: ts(p.pin_id),
    })),
  };
  if (world.truth) tables['board_truth'] = world.truth.map((t) => ({ ...t }));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await db.connect();
  try {
    for (const [name, rows] of Object.entries(tables)) {
      const dataset = CATALOG.get(name);
      const dir = rawDir(dataDir, name, date);
      mkdirSync(dir, { recursive: true });
      const json = join(dir, '..', `${name}-${date}.json`);
      writeFileSync(json, rows.map((r) => JSON.stringify(r)).join('\n'));
      const columns = dataset.fields.map((f) => `'${f.name}': '${duckdbType(f.type)}'`).join(', ');
      await conn.run(
        `COPY (SELECT * FROM read_json('${json}', format = 'newline_delimited', columns = {${columns}}))
         TO '${join(dir, 'part-0.parquet')}' (FORMAT parquet)`,
      );
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  const manifest = rawManifestPath(dataDir, date);
  mkdirSync(join(manifest, '..'), { recursive: true });
  writeFileSync(manifest, JSON.stringify({ date, fixture: true, createdAt: new Date().toISOString() }));
}

/**
 * A small hand-made world: 3 users, 6 boards, pins with repin chains, a self-repin, a dangling
 * board (no repins out) and an isolated board (no pins at all).
 */
export function smallWorld(): FixtureWorld {
  const boards: FixtureBoard[] = [
    { board_id: 1, owner_id: 1, category: 'food' },
    { board_id: 2, owner_id: 1, category: 'food' },
    { board_id: 3, owner_id: 2, category: 'travel' },
    { board_id: 4, owner_id: 2, category: 'travel' },
    { board_id: 5, owner_id: 3, category: 'art' },
    { board_id: 6, owner_id: 3, category: 'cars' }, // isolated: no pins
  ];
  const pins: FixturePin[] = [
    { pin_id: 1, board_id: 1, image_signature: 'img-a' },
    { pin_id: 2, board_id: 2, image_signature: 'img-a', parent_pin_id: 1, pinner_id: 2 },
    { pin_id: 3, board_id: 3, image_signature: 'img-a', parent_pin_id: 2, pinner_id: 2 },
    { pin_id: 4, board_id: 3, image_signature: 'img-b' },
    { pin_id: 5, board_id: 4, image_signature: 'img-b', parent_pin_id: 4 },
    { pin_id: 6, board_id: 4, image_signature: 'img-b', parent_pin_id: 5 }, // self-repin (board 4 → 4)
    { pin_id: 7, board_id: 1, image_signature: 'img-b', parent_pin_id: 4, pinner_id: 1 },
    { pin_id: 8, board_id: 5, image_signature: 'img-c' },
    { pin_id: 9, board_id: 2, image_signature: 'img-a' }, // same image uploaded again, independently
    { pin_id: 10, board_id: 1, image_signature: 'img-a', parent_pin_id: 3, pinner_id: 3 },
  ];
  return {
    users: [{ user_id: 1 }, { user_id: 2 }, { user_id: 3 }],
    boards,
    pins,
    truth: boards.map((b) => ({ board_id: b.board_id, true_category: b.category, mislabeled: false })),
  };
}
