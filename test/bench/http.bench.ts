/**
 * related-pins over HTTP on loopback (issue 8 "Performance"): target P99 ≤ 5 ms at 2 000 req/s.
 *
 *   npm run bench -- http [--seconds=10] [--rate=2000] [--project=DIR]
 *
 * Starts `disco serve` (the built CLI, `npm run build` first) in a child process on a small-scale
 * project, then in this process:
 * 1. baseline: GET /healthz through the same open-loop harness (the HTTP floor: no plan work);
 * 2. related-pins with the project's open-loop bench (`--url` target, keep-alive agent);
 * 3. the same load with autocannon (`overallRate`, 16 connections) as an independent cross-check.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { benchPlan } from '../../src/bench/bench-plan.js';
import { distinctKeys } from '../../src/bench/bench-project.js';
import { HttpClientPool } from '../../src/bench/http-client.js';
import { describeServedPlan, httpTarget } from '../../src/bench/http-target.js';
import { zipfPicker } from '../../src/bench/keys.js';
import { runLoad } from '../../src/bench/load.js';
import { openRuntime } from '../../src/serve/runtime.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { argNumber, smallProject } from './serve-fixture.js';

const f = (n: number) => n.toFixed(3);

/** CPU (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/** Server and client CPU per completed request over one phase (the machine is shared: CPU, not wall). */
function cpuMeter(pid: number | undefined): (requests: number) => string {
  const server0 = cpuMsOf(pid);
  const client0 = process.cpuUsage();
  return (requests) => {
    const server = cpuMsOf(pid) - server0;
    const c = process.cpuUsage(client0);
    const client = (c.user + c.system) / 1000;
    const per = (ms: number) => (requests > 0 && Number.isFinite(ms) ? (ms / requests).toFixed(3) : '?');
    return `server CPU ${per(server)} ms/request, client CPU ${per(client)} ms/request`;
  };
}

async function startServe(projectDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), 'serve', '--port', '0'], {
    cwd: projectDir,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`disco serve exited with ${code}`)));
  });
  return { url, child };
}

export default async function httpBench(argv: string[]): Promise<void> {
  const seconds = argNumber(argv, 'seconds', 10);
  const rate = argNumber(argv, 'rate', 2000);
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores)`,
  );
  const config = await smallProject(argv);
  const runtime = await openRuntime(config);
  const keys = await distinctKeys(runtime, 'pinjoin', 1000);
  await runtime.close();
  const { url, child } = await startServe(config.projectDir);
  try {
    // 1. the HTTP floor: /healthz through the same harness
    const client = new HttpClientPool(url);
    let healthzDone = 0;
    const healthzCpu = cpuMeter(child.pid);
    const healthz = await runLoad({
      mode: 'open',
      rate,
      durationS: Math.min(5, seconds),
      warmupS: 1,
      request: async () => {
        const reply = await client.request({ method: 'GET', path: '/healthz' });
        if (reply.status !== 200) throw new Error(`HTTP ${reply.status}`);
        healthzDone++;
      },
    });
    client.close();
    console.log(
      `GET /healthz at ${rate} req/s (baseline): p50 ${f(healthz.latency.p50)} ms, p99 ${f(healthz.latency.p99)} ms, max ${f(healthz.latency.max)} ms, errors ${healthz.errors}; ${healthzCpu(healthzDone)}`,
    );

    // 2. related-pins with our open-loop bench
    const info = await describeServedPlan(url, 'related-pins');
    const http = httpTarget(url, info);
    // Steady state first: one request per key (the tiers' record cache and the server's encoded
    // records fill up), so neither our bench nor autocannon pays for a cold start the other skips.
    const warm0 = performance.now();
    const warmCpu = cpuMeter(child.pid);
    for (let i = 0; i < keys.length; i += 4)
      await Promise.all(keys.slice(i, i + 4).map((image) => http.call({ image })));
    console.log(
      `warm-up: one related-pins request per key (${keys.length}), ${((performance.now() - warm0) / 1000).toFixed(1)} s; ${warmCpu(keys.length)}`,
    );
    let calls = 0;
    const target = {
      ...http,
      call: (params: Record<string, unknown>) => {
        const done = http.call(params);
        done.then(
          () => calls++,
          () => {},
        );
        return done;
      },
    };
    const pick = zipfPicker(keys);
    const oursCpu = cpuMeter(child.pid);
    const ours = await benchPlan({
      target,
      nextParams: () => ({ image: pick() }),
      mode: 'open',
      rate,
      durationS: seconds,
      warmupS: 2,
    });
    target.close();
    const l = ours.json.latency_ms;
    console.log(
      `related-pins, disco plan bench --url, open loop ${rate} req/s: achieved ${ours.json.throughput_rps.toFixed(0)}, errors ${ours.json.errors}, p50 ${f(l.p50)} ms, p90 ${f(l.p90)} ms, p99 ${f(l.p99)} ms, p99.9 ${f(l.p999)} ms, max ${f(l.max)} ms${ours.json.requests > 0 && ours.json.errors === 0 && l.p99 <= 5 ? '  (P99 ≤ 5 ms: ok)' : '  (target P99 ≤ 5 ms without errors: NOT met)'}; ×${(l.p99 / Math.max(healthz.latency.p99, 0.001)).toFixed(1)} the /healthz p99`,
    );
    console.log(`  ${oursCpu(calls)}`);
    if (ours.json.errors > 0) console.log(`  errors: ${ours.extras.errorSamples.join(' | ')}`);
    console.log(
      `  server-side nodes p50/p99 ms: ${ours.json.nodes.map((n) => `${n.node} ${f(n.p50_ms)}/${f(n.p99_ms)}`).join(', ')}`,
    );

    // Let the server drain any backlog first, so autocannon starts from the same idle state.
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      await fetch(`${url}/healthz`);
      if (performance.now() - t0 < 20) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // 3. autocannon, same rate, same keys
    const pick2 = zipfPicker(keys, { seed: 7 });
    const acCpu = cpuMeter(child.pid);
    const ac = await autocannon({
      url: `${url}/plans/related-pins`,
      connections: 16,
      overallRate: rate,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            body: JSON.stringify({ image: pick2() }),
          }),
        },
      ],
    });
    const a = ac.latency;
    console.log(
      `related-pins, autocannon (${rate} req/s overall, 16 connections): ${ac.requests.average.toFixed(0)} req/s, non-2xx ${ac.non2xx}, errors ${ac.errors}, p50 ${a['p50']} ms, p90 ${a['p90']} ms, p99 ${a['p99']} ms, max ${a['max']} ms (autocannon rounds to whole ms and times from the actual send); ${acCpu(ac.requests.total)}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}
