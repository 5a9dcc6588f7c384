/**
 * Tier benchmarks, side by side in one run (`npm run bench -- tiers [--scale medium] [--data DIR]`).
 *
 * - loading prod: records/s of `disco tiers load`'s prod build, and of the build alone (wall and
 *   CPU), next to DuckDB only rendering the same records and handing them over (the floor of the
 *   pipeline) and to the previous build's transfer (a JS string per record, the baseline);
 * - prod single-key get P50/P99 (ProdTier with and without its decoded-record cache) next to a bare
 *   better-sqlite3 prepared statement on the same table (the floor), and batched gets in keys/s;
 * - the record encoding: positional JSON (prod's) vs named JSON (the previous one) vs a column per
 *   field, get + decode on the same records;
 * - the related-pins access pattern (lookup → expand boards → expand images) in plans/s;
 * - debug one key P50, and a row-group-size sweep of the same sorted data;
 * - `disco debug key` end to end, next to the CLI's bare start-up.
 *
 * `--only=debug` skips loading and prod (uses what DIR has loaded) and runs the debug figures
 * only; `--only=prod` runs loading and prod only; `--sweep` adds the row-group-size sweep (it
 * rewrites pinjoin four times: minutes).
 *
 * Data: DIR (default `.bench/tiers-SCALE`) is generated with `disco gen` + `disco jobs run` if it
 * holds no version yet (needs `npm run build`). Figures are printed; nothing fails on timing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { CATALOG, fieldsIn, keyField } from '../../src/catalog/index.js';
import { loadProjectConfig } from '../../src/project/config.js';
import { latestVersion } from '../../src/project/versions.js';
import { DuckSession } from '../../src/tiers/duck.js';
import { loadTiers } from '../../src/tiers/load.js';
import { openTiers } from '../../src/tiers/open.js';
import { parquetFiles } from '../../src/tiers/parquet.js';
import { ProdTier } from '../../src/tiers/prod.js';
import { buildProdFile, renderForProd } from '../../src/tiers/prod-build.js';
import { positionalRecordSql, recordDecoder } from '../../src/tiers/prod-codec.js';
import { recordJsonSql, sqlIdent, sqlString } from '../../src/tiers/records.js';
import { sampleKeys } from '../../src/tiers/sample.js';
import { readTierState } from '../../src/tiers/state.js';
import type { Item, Key } from '../../src/tiers/tier.js';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

const pct = (sorted: Float64Array | number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Per-call latencies (ms) of `fn` over `keys`, sorted. */
function latencies(keys: readonly Key[], fn: (k: Key) => unknown): Float64Array {
  const out = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const t0 = performance.now();
    fn(keys[i]!);
    out[i] = performance.now() - t0;
  }
  return out.sort();
}

export default async function bench(argv: string[]): Promise<void> {
  const scale = flag(argv, 'scale') ?? 'medium';
  const dataDir = resolve(flag(argv, 'data') ?? join(ROOT, '.bench', `tiers-${scale}`));
  const config = loadProjectConfig(ROOT, { dataDir });
  if (!latestVersion(dataDir)) {
    console.log(`generating ${scale} data in ${dataDir} (disco gen + disco jobs run)…`);
    mkdirSync(dataDir, { recursive: true });
    execFileSync(process.execPath, [BIN, 'gen', '--scale', scale, '--data', dataDir], { stdio: 'inherit' });
    execFileSync(process.execPath, [BIN, 'jobs', 'run', '--data', dataDir], { stdio: 'inherit' });
  }

  if (flag(argv, 'only') === 'debug') {
    await debugFigures(argv, config, dataDir);
    return;
  }

  // ---- loading ------------------------------------------------------------------------------
  let prodMs = 0;
  const result = await loadTiers({
    config,
    onProgress: (e) => {
      if (e.type === 'tier-built' && e.tier === 'prod') prodMs = e.ms;
    },
  });
  const prodRecords = result.tiers.find((t) => t.tier === 'prod')!.records;
  const state = readTierState(dataDir, 'prod').current!;
  const manifestFiles = Object.entries(readTierState(dataDir, 'archive').current!.datasets)
    .filter(([name]) => CATALOG.get(name).tiers.includes('prod'))
    .map(([name, d]) => ({
      dataset: CATALOG.get(name),
      files: parquetFiles(dataDir, d.path!),
      version: d.version,
    }));
  const duck = await DuckSession.open(':memory:');
  const timedCpu = async (fn: () => Promise<unknown>) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
  };
  // The floor: DuckDB rendering the same records into the build's BLOBs, handed to JS, nothing
  // inserted; and the previous build's transfer, one JS string per record, as the baseline.
  const renderOnly = await timedCpu(async () => {
    for await (const [, groups] of renderForProd(duck.instance, manifestFiles)) for await (const _ of groups);
  });
  let readRows = 0;
  const perRecord = await timedCpu(async () => {
    for (const { dataset, files } of manifestFiles) {
      const r = await duck.connection.stream(
        `SELECT ${positionalRecordSql(fieldsIn(dataset, 'prod'), keyField(dataset).name)} FROM read_parquet([${files.map(sqlString).join(', ')}])`,
      );
      for (;;) {
        const chunk = await r.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        chunk.getColumnVector(0).toArray();
        readRows += chunk.rowCount;
      }
    }
  });
  // The prod build alone (what `tiers load` spends on prod), into a scratch file.
  mkdirSync(join(dataDir, 'tmp'), { recursive: true });
  const scratch = join(dataDir, 'tmp', 'bench-prod.sqlite');
  let built: Awaited<ReturnType<typeof buildProdFile>> = {};
  const build = await timedCpu(async () => {
    built = await buildProdFile(scratch, manifestFiles, duck.instance);
  });
  const builtBytes = statSync(scratch).size;
  for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  const perSecond = (rows: number, ms: number) => `${fmt((rows / ms) * 1000)} records/s`;
  console.log(
    `\n## loading (${flag(argv, 'data') ?? scale}, version ${result.version}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  console.log(
    `prod load (tiers load)  ${fmt(prodRecords)} records in ${(prodMs / 1000).toFixed(2)} s = ${perSecond(prodRecords, prodMs)}  (target ≥ 200 000)`,
  );
  console.log(
    `prod build alone        ${(build.ms / 1000).toFixed(2)} s = ${perSecond(prodRecords, build.ms)}, CPU ${(build.cpuMs / 1000).toFixed(2)} s (all threads), ${fmt(builtBytes / 1e6)} MB (${Object.entries(
      built,
    )
      .map(([n, d]) => `${n} ${fmt(d.bytes / 1e6)} MB`)
      .join(', ')})`,
  );
  console.log(
    `DuckDB rendering only   ${(renderOnly.ms / 1000).toFixed(2)} s = ${perSecond(prodRecords, renderOnly.ms)}, CPU ${(renderOnly.cpuMs / 1000).toFixed(2)} s  (the build's floor: BLOBs of 2 048 records; build/floor = ${(build.ms / renderOnly.ms).toFixed(2)}× wall)`,
  );
  console.log(
    `a JS string per record  ${fmt(readRows)} records in ${(perRecord.ms / 1000).toFixed(2)} s = ${perSecond(readRows, perRecord.ms)}, CPU ${(perRecord.cpuMs / 1000).toFixed(2)} s  (the previous build's transfer alone; build is ${(perRecord.ms / build.ms).toFixed(2)}× faster than it)`,
  );
  for (const t of result.tiers)
    console.log(`  ${t.tier.padEnd(8)} ${fmt(t.records)} records, ${fmt(t.bytes)} bytes, ${fmt(t.ms)} ms`);

  // ---- prod single-key gets ----------------------------------------------------------------
  const tiers = await openTiers(config);
  const N = 100_000;
  const keys = await sampleKeys(config, 'pinjoin', N, { tiers, seed: 7 });
  const cold = await ProdTier.create(config, { cacheEntries: 0 });
  const cached = await ProdTier.create(config);
  const Sqlite = (await import('better-sqlite3')).default;
  const raw = new Sqlite(join(dataDir, 'tiers', 'prod', state.file!), { readonly: true });
  const stmt = raw.prepare('SELECT v FROM pinjoin WHERE k = ?').pluck();
  const pinFields = fieldsIn(CATALOG.get('pinjoin'), 'prod');
  // The floor decodes exactly as ProdTier does (the file holds positional records).
  const decode = recordDecoder(pinFields, 'image_signature');
  const rawGet = (k: Key) => decode(k, stmt.get(k) as string);
  // warm up every path (page cache, JIT)
  for (const k of keys.slice(0, 5000)) {
    stmt.get(k);
    cold.getManySync('pinjoin', [k]);
    cached.getManySync('pinjoin', [k]);
  }
  const floor = latencies(keys, (k) => stmt.get(k));
  const floorParse = latencies(keys, rawGet);
  const prodCold = latencies(keys, (k) => cold.getManySync('pinjoin', [k]));
  const prodCached = latencies(keys, (k) => cached.getManySync('pinjoin', [k]));
  const prodWarm = latencies(keys, (k) => cached.getManySync('pinjoin', [k]));
  const prodAsync: number[] = [];
  for (const k of keys.slice(0, 20_000)) {
    const s = performance.now();
    await cached.getMany('pinjoin', [k]);
    prodAsync.push(performance.now() - s);
  }
  prodAsync.sort((a, b) => a - b);
  console.log(`\n## prod single-key get, pinjoin, ${fmt(N)} skewed keys (target P99 ≤ 50 µs)`);
  const row = (name: string, l: Float64Array | number[]) =>
    console.log(
      `${name.padEnd(40)} P50 ${us(pct(l, 0.5)).padStart(9)}   P99 ${us(pct(l, 0.99)).padStart(9)}   P99.9 ${us(pct(l, 0.999)).padStart(9)}`,
    );
  row('raw prepared statement (floor, no decode)', floor);
  row('raw prepared statement + decode', floorParse);
  row('ProdTier, cache off', prodCold);
  row('ProdTier, cache on, first pass (misses)', prodCached);
  row('ProdTier, cache on, second pass', prodWarm);
  row('ProdTier async getMany, cache on, warm', prodAsync);
  console.log(
    `ratio ProdTier cache off / raw+decode P99: ${(pct(prodCold, 0.99) / pct(floorParse, 0.99)).toFixed(2)}×`,
  );

  // ---- batched gets -------------------------------------------------------------------------
  const BATCH = 300;
  const batches: Key[][] = [];
  for (let i = 0; i + BATCH <= keys.length; i += BATCH) batches.push(keys.slice(i, i + BATCH));
  const rate = (fn: (b: Key[]) => unknown) => {
    const s = performance.now();
    for (const b of batches) fn(b);
    return ((batches.length * BATCH) / (performance.now() - s)) * 1000;
  };
  const rawRate = rate((b) => b.map(rawGet));
  const inStmt = raw.prepare('SELECT k, v FROM pinjoin WHERE k IN (SELECT value FROM json_each(?))').raw();
  const inRate = rate((b) => {
    const m = new Map((inStmt.all(JSON.stringify(b)) as [Key, string][]).map(([k, v]) => [k, decode(k, v)]));
    return b.map((k) => m.get(k));
  });
  const coldRate = rate((b) => cold.getManySync('pinjoin', b));
  const cachedRate = rate((b) => cached.getManySync('pinjoin', b));
  console.log(`\n## prod batched gets, ${BATCH} keys per call (target ≥ 200 000 keys/s)`);
  console.log(`raw prepared statement loop + decode      ${fmt(rawRate).padStart(12)} keys/s (floor)`);
  console.log(`raw one query, k IN json_each(?)           ${fmt(inRate).padStart(12)} keys/s`);
  console.log(
    `ProdTier.getMany, cache off                ${fmt(coldRate).padStart(12)} keys/s (${(coldRate / rawRate).toFixed(2)}× floor)`,
  );
  console.log(
    `ProdTier.getMany, cache on                 ${fmt(cachedRate).padStart(12)} keys/s (${(cachedRate / rawRate).toFixed(2)}× floor)`,
  );

  // ---- encoding: positional JSON vs named JSON vs a column per field -------------------------
  {
    const sample = [...new Set(keys.slice(0, 20_000))];
    const tmp = join(dataDir, 'tmp', 'encoding.sqlite');
    mkdirSync(join(dataDir, 'tmp'), { recursive: true });
    rmSync(tmp, { force: true });
    // The same records in three tables of one scratch file, so each is read under the same conditions.
    const db = new Sqlite(tmp);
    const cols = pinFields.map((f) => sqlIdent(f.name));
    db.exec(`CREATE TABLE pos (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
      CREATE TABLE named (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
      CREATE TABLE cols (k TEXT PRIMARY KEY, ${cols.join(', ')}) WITHOUT ROWID`);
    const insPos = db.prepare('INSERT INTO pos VALUES (?, ?)');
    const insNamed = db.prepare('INSERT INTO named VALUES (?, ?)');
    const insCols = db.prepare(`INSERT INTO cols VALUES (?, ${cols.map(() => '?').join(', ')})`);
    const nested = new Set(
      pinFields.filter((f) => f.type.kind === 'list' || f.type.kind === 'struct').map((f) => f.name),
    );
    db.transaction(() => {
      for (const k of sample) {
        const text = stmt.get(k) as string;
        const rec = decode(k, text);
        insPos.run(k, text);
        insNamed.run(k, JSON.stringify(rec));
        insCols.run(
          k,
          ...pinFields.map((f) => {
            const v = rec[f.name];
            if (nested.has(f.name)) return JSON.stringify(v);
            return typeof v === 'boolean' ? Number(v) : (v as string | number | null);
          }),
        );
      }
    })();
    const posStmt = db.prepare('SELECT v FROM pos WHERE k = ?').pluck();
    const namedStmt = db.prepare('SELECT v FROM named WHERE k = ?').pluck();
    const colStmt = db.prepare(`SELECT ${cols.join(', ')} FROM cols WHERE k = ?`).raw();
    const names = pinFields.map((f) => f.name);
    const decodeCols = (k: Key) => {
      const values = colStmt.get(k) as unknown[];
      const out: Item = {};
      for (let i = 0; i < names.length; i++) {
        const n = names[i]!;
        out[n] = nested.has(n) ? JSON.parse(values[i] as string) : values[i];
      }
      return out;
    };
    const posL = latencies(sample, (k) => decode(k, posStmt.get(k) as string));
    const namedL = latencies(sample, (k) => JSON.parse(namedStmt.get(k) as string));
    const colL = latencies(sample, decodeCols);
    // Decoding alone, over texts already read (no SQLite).
    const posTexts = sample.map((k) => posStmt.get(k) as string);
    const namedTexts = sample.map((k) => namedStmt.get(k) as string);
    const decodeOnly = (fn: (i: number) => unknown) => {
      const t0 = performance.now();
      for (let round = 0; round < 5; round++) for (let i = 0; i < sample.length; i++) fn(i);
      return ((performance.now() - t0) * 1000) / (5 * sample.length);
    };
    decodeOnly((i) => decode(sample[i]!, posTexts[i]!)); // warm-up
    const posDecode = decodeOnly((i) => decode(sample[i]!, posTexts[i]!));
    const namedDecode = decodeOnly((i) => JSON.parse(namedTexts[i]!));
    const bytes = (table: string) =>
      (db.prepare('SELECT sum(pgsize) FROM dbstat WHERE name = ?').pluck().get(table) as number) /
      sample.length;
    console.log(`\n## record encoding, pinjoin light record (${fmt(sample.length)} records, get + decode)`);
    const line = (name: string, l: Float64Array, table: string, only?: number) =>
      console.log(
        `${name.padEnd(30)} P50 ${us(pct(l, 0.5))}  P99 ${us(pct(l, 0.99))}  ~${fmt(bytes(table))} bytes/record${only === undefined ? '' : `  decode alone ${only.toFixed(2)} µs`}`,
      );
    line('positional JSON (prod, chosen)', posL, 'pos', posDecode);
    line('named JSON (previous)', namedL, 'named', namedDecode);
    line('column per field', colL, 'cols');
    db.close();
    rmSync(tmp, { force: true });
  }

  // ---- related-pins access pattern ----------------------------------------------------------
  {
    const seeds = keys.slice(0, 20_000);
    const plan = (tier: ProdTier, seed: Key) => {
      const [pin] = tier.getManySync('pinjoin', [seed]);
      const boards = tier.getManySync('boardjoin', (pin?.['board_ids'] as Key[] | undefined) ?? []);
      const sigs: Key[] = [];
      const seen = new Set<Key>();
      for (const b of boards)
        for (const s of (b?.['image_signatures'] as Key[] | undefined) ?? []) {
          if (seen.size >= 500) break;
          if (!seen.has(s)) {
            seen.add(s);
            sigs.push(s);
          }
        }
      return tier.getManySync('pinjoin', sigs).length;
    };
    let keysRead = 0;
    const run = (tier: ProdTier, n: number) => {
      const s = performance.now();
      for (let i = 0; i < n; i++) keysRead += plan(tier, seeds[i % seeds.length]!);
      return (n / (performance.now() - s)) * 1000;
    };
    run(cached, 20_000); // first pass: fills the cache with the hot set
    keysRead = 0;
    const before = cached.cacheStats();
    const withCache = run(cached, 20_000);
    const after = cached.cacheStats();
    const perPlan = keysRead / 20_000;
    const missRatio = (after.misses - before.misses) / Math.max(1, after.keys - before.keys);
    const withoutCache = run(cold, 2000);
    console.log(
      `\n## related-pins access pattern (lookup → boards → ≤500 images), ~${fmt(perPlan)} keys per plan`,
    );
    console.log(
      `ProdTier, cache on     ${fmt(withCache).padStart(8)} plans/s  (engine target ≥ 10 000 plans/s; miss ratio ${missRatio.toFixed(4)}, ${fmt(after.cached)} records cached, heap ${(process.memoryUsage().heapUsed / 1e9).toFixed(2)} GB)`,
    );
    console.log(
      `ProdTier, cache off    ${fmt(withoutCache).padStart(8)} plans/s  (${(withCache / withoutCache).toFixed(1)}× slower)`,
    );
  }
  raw.close();
  await cold.close();
  await cached.close();

  await tiers.close();
  duck.close();
  if (flag(argv, 'only') !== 'prod') await debugFigures(argv, config, dataDir);
  if (existsSync(join(dataDir, 'tmp')) && readdirSync(join(dataDir, 'tmp')).length === 0) {
    rmSync(join(dataDir, 'tmp'), { recursive: true });
  }
}

/** Wall and CPU (this process) of each call of `fn`, sorted separately. */
async function timed(keys: readonly Key[], fn: (k: Key) => Promise<unknown>) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const k of keys) {
    const c0 = process.cpuUsage();
    const s = performance.now();
    await fn(k);
    wall.push(performance.now() - s);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}
const ms2 = (n: number) => `${n.toFixed(2)} ms`;

/** Debug tier one-key figures, the floor in the same run, and `disco debug key` end to end. */
async function debugFigures(argv: string[], config: ReturnType<typeof loadProjectConfig>, dataDir: string) {
  const tiers = await openTiers(config);
  const duck = await DuckSession.open(':memory:');
  const N = 60;
  const pinKeys = await sampleKeys(config, 'pinjoin', N, { tiers, seed: 7 });
  const boardKeys = await sampleKeys(config, 'boardjoin', N, { tiers, seed: 7 });
  const debug = tiers.get('debug');
  console.log(`\n## debug tier, one key (target P50 ≤ 20 ms), ${N} keys, wall and CPU per lookup`);
  for (const [name, keys, keyCol] of [
    ['pinjoin', pinKeys, 'image_signature'],
    ['boardjoin', boardKeys, 'board_id'],
  ] as const) {
    const files = parquetFiles(dataDir, readTierState(dataDir, 'debug').current!.datasets[name]!.path!);
    await debug.getMany(name, [keys[0]!]);
    const dl = await timed(keys, (k) => debug.getMany(name, [k]));
    // The floor in the same run: the pushdown on the warehouse files (where the key is found
    // without a copy), reading the key column only (no record).
    const warehouse = parquetFiles(dataDir, readTierState(dataDir, 'archive').current!.datasets[name]!.path!);
    const floorSession = await DuckSession.open(':memory:', { threads: '1' });
    await floorSession.connection.run('SET parquet_metadata_cache = true');
    const lit = (k: Key) => (typeof k === 'number' ? String(k) : sqlString(String(k)));
    const keyOnly = (k: Key) =>
      floorSession.connection.runAndReadAll(
        `SELECT ${sqlIdent(keyCol)} FROM read_parquet([${warehouse.map(sqlString).join(', ')}]) WHERE ${sqlIdent(keyCol)} = ${lit(k)} LIMIT 1`,
      );
    await keyOnly(keys[0]!);
    const fl = await timed(keys, keyOnly);
    floorSession.close();
    const meta = await duck.connection.runAndReadAll(
      `SELECT count(DISTINCT (file_name, row_group_id)), max(row_group_num_rows) FROM parquet_metadata([${files.map(sqlString).join(', ')}])`,
    );
    const [groups, groupRows] = meta.getRows()[0]!;
    console.log(
      `${name.padEnd(9)} debug tier    P50 ${ms2(pct(dl.wall, 0.5))}  P99 ${ms2(pct(dl.wall, 0.99))}  CPU P50 ${ms2(pct(dl.cpu, 0.5))}  (${files.length} files, ${groups} row groups of ≤ ${groupRows} rows)`,
    );
    console.log(
      `${''.padEnd(9)} key col only  P50 ${ms2(pct(fl.wall, 0.5))}  P99 ${ms2(pct(fl.wall, 0.99))}  CPU P50 ${ms2(pct(fl.cpu, 0.5))}  (warehouse files, key column only: the floor; debug/floor P50 ${(pct(dl.wall, 0.5) / pct(fl.wall, 0.5)).toFixed(1)}×)`,
    );
  }
  if (argv.includes('--sweep')) {
    const keys = pinKeys;
    const files = parquetFiles(dataDir, readTierState(dataDir, 'debug').current!.datasets['pinjoin']!.path!);
    const json = recordJsonSql(CATALOG.get('pinjoin').fields);
    const sweepDir = join(dataDir, 'tmp', 'rowgroups');
    mkdirSync(sweepDir, { recursive: true });
    console.log('row-group size sweep (same sorted data, one key per query, footer cached):');
    for (const size of [2048, 4096, 16_384, 65_536]) {
      const file = join(sweepDir, `rg-${size}.parquet`);
      await duck.connection.run(
        `COPY (SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}]) ORDER BY image_signature) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${size})`,
      );
      const session = await DuckSession.open(':memory:', { threads: '1' });
      await session.connection.run('SET parquet_metadata_cache = true');
      const lookup = (k: Key) =>
        session.connection.runAndReadAll(
          `SELECT ${json} FROM read_parquet(${sqlString(file)}) WHERE image_signature = ${sqlString(String(k))}`,
        );
      await lookup(keys[0]!);
      const l = await timed(keys, lookup);
      const s = performance.now();
      await session.connection.runAndReadAll(
        `SELECT category, count(*), avg(score) FROM read_parquet(${sqlString(file)}) GROUP BY 1`,
      );
      const scan = performance.now() - s;
      session.close();
      console.log(
        `  ${String(size).padStart(6)} rows/group: P50 ${ms2(pct(l.wall, 0.5)).padStart(9)}  P99 ${ms2(pct(l.wall, 0.99)).padStart(9)}  CPU P50 ${ms2(pct(l.cpu, 0.5))}  file ${fmt(statSync(file).size / 1024)} KiB  full scan ${scan.toFixed(0)} ms`,
      );
      rmSync(file, { force: true });
    }
    rmSync(sweepDir, { recursive: true, force: true });
  }
  await tiers.close();
  duck.close();

  // ---- disco debug key end to end -----------------------------------------------------------
  {
    const time = (args: string[]) => {
      const s = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, BIN, ...args], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
      if (r.status !== 0) throw new Error(`disco ${args.join(' ')} failed: ${r.stderr}`);
      const [user = 0, sys = 0] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      return { wall: performance.now() - s, cpu: (user + sys) * 1000 };
    };
    const runs = (args: string[]) => {
      const t = [0, 1, 2, 3, 4].map(() => time(args));
      return { wall: median(t.map((x) => x.wall)), cpu: median(t.map((x) => x.cpu)) };
    };
    const bare = runs(['--version']);
    console.log(`\n## disco debug key, end to end (median of 5; target ≤ 1 s), wall and CPU of the process`);
    console.log(
      `disco --version (start-up floor)        ${fmt(bare.wall).padStart(6)} ms  CPU ${fmt(bare.cpu)} ms`,
    );
    for (const [name, key] of [
      ['pinjoin', String(pinKeys[3])],
      ['boardjoin', '42'],
    ] as const) {
      const e2e = runs(['debug', 'key', name, key, '--data', dataDir, '--json']);
      console.log(
        `disco debug key ${name.padEnd(9)} --json  ${fmt(e2e.wall).padStart(6)} ms  CPU ${fmt(e2e.cpu)} ms  (${(e2e.wall / bare.wall).toFixed(1)}× start-up wall)`,
      );
    }
  }
}
