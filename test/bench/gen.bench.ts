/**
 * Generation throughput per scale (`npm run bench -- gen [--large] [--scales=tiny,small]`).
 *
 * Each scale runs `disco gen` (the built CLI: `npm run build` first) in a child process, in a fresh
 * data folder, and reports wall time, CPU time, pins/s and peak RSS. The baseline, measured in the
 * same run, is DuckDB alone writing a trivial Parquet table with as many rows as the pins (an
 * integer key and one hashed string): the ratio says what the model and the realistic strings cost
 * on top of writing that many rows. Targets (2 cores): medium ≤ 15 s; large ≤ 3 min, ≤ 4 GiB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCALES, type ScaleName } from '../../src/gen/scales.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');
// Prints the child's peak RSS (KiB) and CPU time on exit.
const PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\n@@'+JSON.stringify({maxRSS:u.maxRSS,cpuMs:(u.userCPUTime+u.systemCPUTime)/1000})+'\\n')})`;

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
}

function runNode(args: string[]): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', PROBE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed (${child.status}):\n${child.stderr}`);
  const probe = JSON.parse(/@@(.*)/.exec(child.stderr)?.[1] ?? '{}') as { maxRSS: number; cpuMs: number };
  return { wallMs, cpuMs: probe.cpuMs, maxRssMiB: probe.maxRSS / 1024 };
}

function baseline(rows: number, dir: string): Run {
  const script = `
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run("COPY (SELECT range AS id, printf('%016x', hash(range)) AS s FROM range(${rows})) TO '${join(dir, 'baseline.parquet')}' (FORMAT parquet, COMPRESSION snappy)");`;
  return runNode(['--input-type=module', '-e', script]);
}

export default async function genBench(argv: string[]): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'gen.js'))) {
    console.log('gen bench needs the built CLI: run `npm run build` first');
    return;
  }
  const listed = argv
    .find((a) => a.startsWith('--scales='))
    ?.slice('--scales='.length)
    .split(',');
  const scales = (listed ?? [
    'tiny',
    'small',
    'medium',
    ...(argv.includes('--large') ? ['large'] : []),
  ]) as ScaleName[];
  const rows: string[][] = [];
  for (const scale of scales) {
    const dir = mkdtempSync(join(tmpdir(), `disco-gen-bench-${scale}-`));
    try {
      const pins = SCALES[scale].pins;
      const base = baseline(pins, dir);
      const gen = runNode([BIN, 'gen', '--scale', scale, '--data', dir, '--date', '2026-01-01', '--json']);
      rows.push([
        scale,
        pins.toLocaleString('en-US'),
        `${(gen.wallMs / 1000).toFixed(2)} s`,
        `${(gen.cpuMs / 1000).toFixed(2)} s`,
        `${Math.round(pins / (gen.wallMs / 1000)).toLocaleString('en-US')}`,
        `${gen.maxRssMiB.toFixed(0)} MiB`,
        `${(base.wallMs / 1000).toFixed(2)} s`,
        `${(gen.wallMs / base.wallMs).toFixed(1)}×`,
      ]);
      console.log(`  ${scale}: ${rows.at(-1)!.slice(2).join('  ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const header = ['scale', 'pins', 'wall', 'cpu', 'pins/s', 'peak RSS', 'baseline', 'vs baseline'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
  console.log('baseline: DuckDB alone writing as many rows (BIGINT key + 16-hex string) to snappy Parquet');
}
