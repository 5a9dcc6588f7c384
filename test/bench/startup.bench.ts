/**
 * CLI start-up (`npm run bench -- startup [--runs=15]`): the median wall time of `disco --help`
 * and `disco catalog` (the built CLI: `npm run build` first) next to bare `node -e 0`, measured
 * interleaved in the same run so machine load affects all three alike, and their CPU time (user +
 * system, from /proc: steadier than wall time on a shared machine). Target: ≤ 150 ms median.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { childrenCpuMs } from './children-cpu.js';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');

function time(args: string[]): { ms: number; cpu: number } {
  const cpu = childrenCpuMs();
  const started = performance.now();
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${child.stderr}`);
  return { ms, cpu: childrenCpuMs() - cpu };
}

export default async function startupBench(argv: string[]): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'commands'))) {
    console.log('startup bench needs the built CLI: run `npm run build` first');
    return;
  }
  const runs = Number(argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 15);
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['disco --help', [BIN, '--help']],
    ['disco catalog', [BIN, 'catalog']],
  ];
  const times = cases.map(() => [] as number[]);
  const cpus = cases.map(() => [] as number[]);
  for (const [, args] of cases) time(args); // warm the file cache
  for (let r = 0; r < runs; r++) {
    for (const [i, [, args]] of cases.entries()) {
      const { ms, cpu } = time(args);
      times[i]!.push(ms);
      cpus[i]!.push(cpu);
    }
  }
  const base = median(times[0]!);
  const baseCpu = median(cpus[0]!);
  const cached = existsSync(join(ROOT, 'dist', 'vendor', 'oclif.cjs.cache'));
  console.log(
    `${runs} runs each, interleaved; bundled build: ${existsSync(join(ROOT, 'dist', 'cli.js')) ? 'yes' : 'no'}, ` +
      `code cache: ${cached ? 'yes' : 'no'}; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  cases.forEach(([name], i) => {
    const m = median(times[i]!);
    const cpu = median(cpus[i]!);
    const sorted = [...times[i]!].sort((a, b) => a - b);
    console.log(
      `${name.padEnd(14)} median ${m.toFixed(0).padStart(4)} ms  min ${sorted[0]!.toFixed(0).padStart(4)} ms  ` +
        `max ${sorted.at(-1)!.toFixed(0).padStart(4)} ms  cpu ${cpu.toFixed(0).padStart(4)} ms  ` +
        (i === 0
          ? 'baseline'
          : `${(m / base).toFixed(2)}× node, +${(m - base).toFixed(0)} ms; cpu +${(cpu - baseCpu).toFixed(0)} ms`),
    );
  });
}
