/**
 * For the harness and HTTP benches: a project at SMALL scale with its tiers loaded. `--project=DIR`
 * (or DISCO_BENCH_PROJECT) uses an existing one; otherwise one is prepared once in
 * /tmp/disco-bench-small (scaffold, gen, jobs, tiers) and reused by later runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateRawData } from '../../src/gen/index.js';
import { runWorkflow } from '../../src/jobs/index.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { today } from '../../src/project/dates.js';
import { scaffoldProject } from '../../src/project/scaffold.js';
import { loadTiers } from '../../src/tiers/index.js';

export async function smallProject(argv: string[]): Promise<ProjectConfig> {
  const given =
    argv.find((a) => a.startsWith('--project='))?.slice('--project='.length) ??
    process.env['DISCO_BENCH_PROJECT'];
  const dir = given ?? '/tmp/disco-bench-small';
  const ready = join(dir, '.disco', 'bench-ready');
  if (given || existsSync(ready)) return loadProjectConfig(dir);
  console.log(`preparing a small-scale project in ${dir} (once; later runs reuse it)…`);
  scaffoldProject(dir);
  const config = loadProjectConfig(dir);
  const t0 = performance.now();
  await generateRawData({ dataDir: config.dataDir, scale: 'small', date: today(), force: true });
  await runWorkflow({ config });
  await loadTiers({ config });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(ready, new Date().toISOString());
  console.log(`  ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return config;
}

export const argNumber = (argv: string[], name: string, fallback: number): number => {
  const v = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return v === undefined ? fallback : Number(v);
};
