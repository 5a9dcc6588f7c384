/**
 * `npm run bench -- validate`: validating 100 plans from a cold start — the built CLI spawned on a
 * folder of 100 plans — next to `node -e 0` and `disco --help` measured in the same run. Target:
 * ≤ 1 s wall for the 100 plans. Prints the median of several runs and the ratios to the baselines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');
const EXAMPLES = ['related-pins', 'home-feed', 'top-boards', 'user-boards', 'pin-details'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(args: string[], cwd: string, runs: number): { ms: number; code: number | null } {
  const samples: number[] = [];
  let code: number | null = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    samples.push(performance.now() - t);
    code = r.status;
  }
  return { ms: median(samples), code };
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
    const validate = time([BIN, 'plan', 'validate', 'plans'], dir, runs);
    if (validate.code !== 0) console.log(`warning: validate exited ${validate.code}`);
    const row = (label: string, ms: number) =>
      console.log(
        `${label.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms   ×${(ms / node.ms).toFixed(2)} node   ×${(ms / help.ms).toFixed(2)} --help`,
      );
    console.log(`median of ${runs} runs, cold processes:`);
    row('node -e 0', node.ms);
    row('disco --help', help.ms);
    row('disco plan validate (100 plans)', validate.ms);
    console.log(
      `validation work on top of CLI start-up: ${(validate.ms - help.ms).toFixed(0)} ms for 100 plans; target ≤ 1000 ms wall: ${validate.ms <= 1000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
