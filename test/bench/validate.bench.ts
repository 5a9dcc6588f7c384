/**
 * `npm run bench -- validate`: validating 100 plans from a cold start — the built CLI spawned on a
 * folder of 100 plans — next to `node -e 0` and `disco --help` measured in the same run. Target:
 * ≤ 1 s wall for the 100 plans. Prints the median wall and CPU time (children's user + system,
 * from /proc: robust when the machine is shared) of several runs, and ratios to the baselines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childrenCpuMs } from './children-cpu.js';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');
const EXAMPLES = ['related-pins', 'home-feed', 'top-boards', 'user-boards', 'pin-details'];

interface Timing {
  ms: number;
  cpu: number;
  code: number | null;
}

function time(args: string[], cwd: string, runs: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  let code: number | null = 0;
  for (let i = 0; i < runs; i++) {
    const c = childrenCpuMs();
    const t = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    wall.push(performance.now() - t);
    cpu.push(childrenCpuMs() - c);
    code = r.status;
  }
  return { ms: median(wall), cpu: median(cpu), code };
}

export default async function bench(argv: string[]): Promise<void> {
  const runs = Number(argv.find((a) => /^--runs=\d+$/.test(a))?.split('=')[1] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'disco-validate-bench-'));
  try {
    mkdirSync(join(dir, 'plans'));
    for (let i = 0; i < 100; i++) {
      const name = EXAMPLES[i % EXAMPLES.length]!;
      const text = readFileSync(join(ROOT, 'plans', `${name}.yaml`), 'utf8').replace(
        `plan: ${name}`,
        `plan: ${name}-${i}`,
      );
      writeFileSync(join(dir, 'plans', `${name}-${i}.yaml`), text);
    }
    const node = time(['-e', '0'], dir, runs);
    const help = time([BIN, '--help'], dir, runs);
    const one = time([BIN, 'plan', 'validate', join('plans', 'home-feed-1.yaml')], dir, runs);
    const validate = time([BIN, 'plan', 'validate', 'plans'], dir, runs);
    if (validate.code !== 0) console.log(`warning: validate exited ${validate.code}`);
    const row = (label: string, r: Timing) =>
      console.log(
        `${label.padEnd(34)} ${r.ms.toFixed(0).padStart(6)} ms wall ${r.cpu.toFixed(0).padStart(6)} ms cpu   ×${(r.ms / node.ms).toFixed(2)} node   ×${(r.ms / help.ms).toFixed(2)} --help`,
      );
    console.log(
      `median of ${runs} runs, cold processes (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores):`,
    );
    row('node -e 0', node);
    row('disco --help', help);
    row('disco plan validate (1 plan)', one);
    row('disco plan validate (100 plans)', validate);
    console.log(
      `100 plans: ${validate.ms.toFixed(0)} ms wall (target ≤ 1000: ${validate.ms <= 1000 ? 'met' : 'NOT met'}); ` +
        `per plan beyond start-up: ${((validate.cpu - one.cpu) / 99).toFixed(1)} ms cpu`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
