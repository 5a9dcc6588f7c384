import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClientPool } from '../../src/bench/http-client.js';
import { Metrics } from '../../src/serve/metrics.js';

let child: ChildProcess | undefined;
afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

async function startCluster(workers: number): Promise<{ url: string; exited: Promise<number | null> }> {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'cluster-fixture.ts'), String(workers)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+) with (\d+) worker/.exec(out);
      if (m) resolve(m[1]!);
    });
    exited.then((code) => reject(new Error(`the fixture exited with ${code}`)));
  });
  return { url, exited };
}

const workersOf = (pid: number): string[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);

describe('disco serve --workers', () => {
  it('serves from several processes, adds up their metrics, and stops gracefully', async () => {
    const { url, exited } = await startCluster(2);
    if (process.platform === 'linux') expect(workersOf(child!.pid!)).toHaveLength(2);
    const client = new HttpClientPool(url, 8);
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        client.request({ method: 'POST', path: '/plans/related-pins', body: '{"image": "a"}' }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(200));
    const metrics = await client.request({ method: 'GET', path: '/metrics', keepBody: () => true });
    expect(metrics.body?.toString()).toContain(
      'disco_plan_requests_total{plan="related-pins",outcome="ok"} 12',
    );
    // SIGTERM while a slow request is in flight: it finishes, then every process exits.
    const slow = client.request({ method: 'POST', path: '/plans/slow', body: '{"image": "a"}' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    child!.kill('SIGTERM');
    expect((await slow).status).toBe(200);
    expect(await exited).toBe(0);
    client.close();
  }, 30_000);

  it('fails, rather than waiting, when the workers cannot start', async () => {
    child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'cluster-fixture.ts'), '2', 'fail'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    expect(stderr).toContain('failed: worker-failed');
    expect(code).toBe(2);
  }, 30_000);
});

describe('Metrics snapshots', () => {
  it('adds up counters and histograms of several processes', () => {
    const a = new Metrics();
    const b = new Metrics();
    a.inc('disco_http_requests_total', { route: 'plan', code: '200' }, 2);
    b.inc('disco_http_requests_total', { route: 'plan', code: '200' });
    b.inc('disco_http_requests_total', { route: 'healthz', code: '200' });
    a.observe('disco_plan_latency_seconds', { plan: 'p' }, 0.002);
    b.observe('disco_plan_latency_seconds', { plan: 'p' }, 0.02);
    const total = new Metrics();
    total.add(a.snapshot());
    total.add(JSON.parse(JSON.stringify(b.snapshot()))); // as it crosses the IPC channel
    const text = total.render();
    expect(text).toContain('disco_http_requests_total{route="plan",code="200"} 3');
    expect(text).toContain('disco_http_requests_total{route="healthz",code="200"} 1');
    expect(text).toContain('disco_plan_latency_seconds_bucket{plan="p",le="0.0025"} 1');
    expect(text).toContain('disco_plan_latency_seconds_bucket{plan="p",le="0.025"} 2');
    expect(text).toContain('disco_plan_latency_seconds_count{plan="p"} 2');
    expect(text).toContain('disco_plan_latency_seconds_sum{plan="p"} 0.022');
  });
});
