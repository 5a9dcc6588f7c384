/**
 * For the harness and HTTP benches: a project at SMALL scale with its tiers loaded. `--project=DIR`
 * (or DISCO_BENCH_PROJECT) uses an existing one; otherwise one is prepared once in
 * /tmp/disco-bench-small (scaffold, gen, jobs, tiers) and reused by later runs.
 *
 * Run as a script (`node --import tsx serve-fixture.ts replay DIR KEYS_JSON WORKERS`), it is the
 * HTTP bench's **replay server**: `disco serve`'s own server code (routes, params, metrics,
 * Server-Timing, encoding, socket writes) with related-pins answered from responses computed once
 * per key at start — the same record objects and bytes as the real plan, with no engine work per
 * request. What it costs per request is the HTTP layer's share; the rest of the real server's CPU
 * is the engine's. It prints `serving … on URL` on stdout, as `disco serve` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateRawData } from '../../src/gen/index.js';
import { runWorkflow } from '../../src/jobs/index.js';
import { loadProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { today } from '../../src/project/dates.js';
import { scaffoldProject } from '../../src/project/scaffold.js';
import { serveUntilStopped } from '../../src/serve/lifecycle.js';
import { openRuntime } from '../../src/serve/runtime.js';
import { startServer } from '../../src/serve/server.js';
import type { PlanRunResult, PlanRuntime, RuntimePlan } from '../../src/serve/types.js';
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

/** The replay server's command line (see the module comment). */
export const replayServerArgs = (projectDir: string, keysFile: string, workers: number): string[] => [
  '--import',
  'tsx',
  import.meta.filename,
  'replay',
  projectDir,
  keysFile,
  String(workers),
];

/** A runtime whose related-pins answers each key with the response the real plan gave at start. */
async function replayRuntime(projectDir: string, keys: readonly string[]): Promise<PlanRuntime> {
  const runtime = await openRuntime(loadProjectConfig(projectDir));
  const plan = runtime.plans().get('related-pins');
  if (!plan) throw new Error('the project has no valid related-pins plan');
  const stored = new Map<string, PlanRunResult>();
  for (const image of keys)
    stored.set(image, await plan.run(plan.parseJsonParams({ image }), { timings: false }));
  const replay: RuntimePlan = {
    ...plan,
    run: async (params, options) => stored.get(String(params['image'])) ?? (await plan.run(params, options)),
  };
  return { ...runtime, plans: () => new Map([[replay.name, replay]]) };
}

async function replayMain([projectDir, keysFile, workers]: string[]): Promise<void> {
  await serveUntilStopped({
    workers: Number(workers),
    print: (line) => console.log(line),
    log: (line) => process.stderr.write(`${line}\n`),
    async start(metricsText) {
      const keys = JSON.parse(readFileSync(keysFile!, 'utf8')) as string[];
      const runtime = await replayRuntime(projectDir!, keys);
      const server = await startServer({ runtime, port: 0, metricsText });
      const close = async () => {
        await server.close();
        await runtime.close();
      };
      return { server, plans: ['related-pins'], notes: [], close };
    },
  });
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === 'replay'
)
  await replayMain(process.argv.slice(3));
