/**
 * A small, self-contained warehouse version for the tier tests (and benches until real generated
 * data exists): raw data for the date, the derived datasets and the three joins, written with
 * DuckDB `COPY ... TO` as Parquet sorted by key, shaped exactly per `src/catalog`, plus the raw
 * manifest and the version manifest (written last, as the workflow does).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { CATALOG, type Dataset, duckdbType } from '../../src/catalog/index.js';
import type { DateString, VersionId } from '../../src/project/layout.js';
import { rawDir, rawManifestPath, versionManifestPath, warehouseDir } from '../../src/project/layout.js';
import type { VersionManifest } from '../../src/project/versions.js';

export interface FixtureOptions {
  dataDir: string;
  date?: string;
  iteration?: number;
  users?: number;
  boards?: number;
  pins?: number;
  /** Changes derived values (pagerank) so two versions differ, for stale-tier tests. */
  perturb?: number;
  rowGroupSize?: number;
  /** Also write the raw data for the date (default true; skipped when it exists for iteration 2+). */
  raw?: boolean;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Writes a complete version and returns its id. */
export async function writeFixtureVersion(options: FixtureOptions): Promise<VersionId> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const date = (options.date ?? '2026-11-21') as DateString;
  const version: VersionId = { date, iteration: options.iteration ?? 1 };
  const U = options.users ?? 50;
  const B = options.boards ?? 120;
  const P = options.pins ?? 800;
  const images = Math.max(1, Math.floor(P / 3));
  const perturb = options.perturb ?? 0;
  const rowGroup = options.rowGroupSize ?? 2048;
  const { dataDir } = options;

  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const db = await instance.connect();
  const cats = `['animals','art','beauty','cars','celebrities','design','diy','education','fashion','film','fitness','food','gardening','hair','health','history','home','humor','kids','men','music','outdoors','photography','products','quotes','science','sports','tattoos','technology','travel','weddings','other']`;
  await db.run(`
    CREATE TABLE users AS SELECT i AS user_id, 'user' || i AS username,
      ['US','FR','DE','BR','JP','IN'][1 + i % 6] AS country, 'bio of user ' || i AS bio,
      TIMESTAMP '2020-01-01 00:00:00' + to_minutes(i::BIGINT) AS created_at
    FROM range(1, ${U + 1}) t(i);
    CREATE TABLE boards AS SELECT i AS board_id, 1 + (i * 7) % ${U} AS owner_id, 'board ' || i AS name,
      'about board ' || i AS description, ${cats}[1 + i % 32] AS category,
      TIMESTAMP '2021-01-01 00:00:00' + to_minutes(i::BIGINT) AS created_at
    FROM range(1, ${B + 1}) t(i);
    CREATE TABLE pins AS SELECT i AS pin_id, 1 + (i * 13) % ${B} AS board_id, 1 + (i * 17) % ${U} AS pinner_id,
      md5('img' || (i % ${images})) AS image_signature,
      CASE WHEN i > ${images} THEN i - ${images} ELSE NULL END AS parent_pin_id,
      'title ' || (i % ${images}) AS title, 'pin description ' || i AS description,
      'https://example.com/' || (i % ${images}) AS link,
      TIMESTAMP '2022-01-01 00:00:00' + to_seconds(i::BIGINT) AS created_at
    FROM range(1, ${P + 1}) t(i);
    CREATE TABLE board_truth AS SELECT board_id, category AS true_category, board_id % 20 = 0 AS mislabeled FROM boards;
    CREATE TABLE repin_graph AS SELECT q.board_id AS src_board_id, p.board_id AS dst_board_id, count(*) AS weight
      FROM pins p JOIN pins q ON p.parent_pin_id = q.pin_id WHERE p.board_id <> q.board_id GROUP BY ALL;
    CREATE TABLE board_pagerank AS
      WITH w AS (SELECT b.board_id, 1 + coalesce(sum(g.weight), 0) + ${perturb} * (b.board_id % 3) AS w
                 FROM boards b LEFT JOIN repin_graph g ON g.src_board_id = b.board_id GROUP BY b.board_id)
      SELECT board_id, w / sum(w) OVER () AS pagerank FROM w;
    CREATE TABLE board_category AS SELECT board_id, category AS category_assigned,
      CASE WHEN board_id % 20 = 0 THEN ${cats}[1 + (board_id + 1) % 32] ELSE category END AS category,
      0.5 + (board_id % 50) / 100.0 AS confidence, board_id % 20 = 0 AS miscategorized FROM boards;
    CREATE TABLE bsum AS SELECT b.board_id, b.name, c.category, r.pagerank
      FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id);
    CREATE TABLE pinjoin AS SELECT p.image_signature,
      list(p.pin_id ORDER BY p.pin_id) AS pin_ids, count(*) AS pin_count, count(p.parent_pin_id) AS repin_count,
      list(DISTINCT p.board_id ORDER BY p.board_id) AS board_ids, list(DISTINCT p.pinner_id ORDER BY p.pinner_id) AS user_ids,
      min(p.title) AS title, arg_min(p.description, p.pin_id) AS description, min(p.link) AS link,
      mode(s.category) AS category, sum(s.pagerank) AS score, min(p.created_at) AS first_pinned_at,
      coalesce(list({'parent_pin_id': p.parent_pin_id, 'pin_id': p.pin_id} ORDER BY p.pin_id)
        FILTER (WHERE p.parent_pin_id IS NOT NULL), []) AS repin_edges,
      list({'board_id': s.board_id, 'name': s.name, 'category': s.category, 'pagerank': s.pagerank}
        ORDER BY s.pagerank DESC, s.board_id)[1:20] AS boards
    FROM pins p JOIN bsum s USING (board_id) GROUP BY p.image_signature;
    CREATE TABLE boardjoin AS SELECT b.board_id, b.owner_id, b.name, b.description,
      c.category_assigned, c.category, c.confidence AS category_confidence, c.miscategorized, r.pagerank,
      (SELECT count(*) FROM pins p WHERE p.board_id = b.board_id) AS pin_count,
      coalesce((SELECT list(DISTINCT image_signature ORDER BY image_signature) FROM pins p WHERE p.board_id = b.board_id), []) AS image_signatures,
      {'user_id': u.user_id, 'username': u.username, 'country': u.country} AS owner,
      coalesce((SELECT list({'image_signature': j.image_signature, 'title': j.title, 'score': j.score} ORDER BY j.image_signature)
        FROM pinjoin j WHERE list_contains(j.board_ids, b.board_id)), []) AS pins
    FROM boards b JOIN board_category c USING (board_id) JOIN board_pagerank r USING (board_id) JOIN users u ON u.user_id = b.owner_id;
    CREATE TABLE userjoin AS SELECT u.user_id, u.username, u.country, u.bio,
      coalesce((SELECT list(board_id ORDER BY board_id) FROM boards b WHERE b.owner_id = u.user_id), []) AS board_ids,
      (SELECT count(*) FROM pins p WHERE p.pinner_id = u.user_id) AS pin_count,
      coalesce((SELECT list(DISTINCT s.category ORDER BY s.category)[1:3] FROM boards b JOIN bsum s USING (board_id) WHERE b.owner_id = u.user_id), []) AS top_categories,
      coalesce((SELECT sum(s.pagerank) FROM boards b JOIN bsum s USING (board_id) WHERE b.owner_id = u.user_id), 0) AS influence,
      coalesce((SELECT list({'board_id': s.board_id, 'name': s.name, 'category': s.category, 'pagerank': s.pagerank} ORDER BY s.board_id)
        FROM boards b JOIN bsum s USING (board_id) WHERE b.owner_id = u.user_id), []) AS boards
    FROM users u;
  `);

  const write = async (dataset: Dataset, dir: string) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const cols = dataset.fields.map((f) => `CAST("${f.name}" AS ${duckdbType(f.type)}) AS "${f.name}"`);
    const order = dataset.key.map((k) => `"${k}"`).join(', ');
    const file = join(dir, 'part-0.parquet');
    await db.run(
      `COPY (SELECT ${cols.join(', ')} FROM ${dataset.name} ORDER BY ${order}) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE ${rowGroup})`,
    );
    const rows = Number((await db.runAndReadAll(`SELECT count(*) FROM ${dataset.name}`)).getRows()[0]![0]);
    const { statSync } = await import('node:fs');
    return { rows, bytes: statSync(file).size };
  };

  const datasets: VersionManifest['datasets'] = {};
  const rawEntries: Record<string, { path: string; rows: number; bytes: number }> = {};
  for (const dataset of CATALOG.datasets) {
    if (dataset.kind === 'raw') {
      if (options.raw === false) continue;
      const dir = rawDir(dataDir, dataset.name, date);
      const { rows, bytes } = await write(dataset, dir);
      rawEntries[dataset.name] = { path: relative(dataDir, dir), rows, bytes };
    } else {
      const dir = warehouseDir(dataDir, dataset.name, version);
      const { rows, bytes } = await write(dataset, dir);
      datasets[dataset.name] = {
        path: relative(dataDir, dir),
        rows,
        bytes,
        schemaFingerprint: 'fixture',
        job: `fixture_${dataset.name}`,
      };
    }
  }
  db.closeSync();
  instance.closeSync();

  if (options.raw !== false) {
    atomicJson(rawManifestPath(dataDir, date), { date, scale: 'fixture', seed: 1, datasets: rawEntries });
  }
  const manifest: VersionManifest = {
    version: `${date}/${version.iteration}`,
    date,
    iteration: version.iteration,
    createdAt: new Date().toISOString(),
    datasets,
    jobs: [],
    quality: {},
  };
  atomicJson(versionManifestPath(dataDir, version), manifest);
  return version;
}

function atomicJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 2));
  renameSync(tmp, path);
}
