import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/serve/server.js';
import { fakePlan, fakeRuntime } from './fake-runtime.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

function call(
  server: RunningServer,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close(1000);
  server = undefined;
});

async function start(extra: Partial<Parameters<typeof startServer>[0]> = {}): Promise<RunningServer> {
  server = await startServer({
    runtime: fakeRuntime([fakePlan('related-pins'), fakePlan('broken', 'throw'), fakePlan('stuck', 'hang')]),
    port: 0,
    ...extra,
  });
  return server;
}

describe('disco serve', () => {
  it('answers healthz, plans and a plan run', async () => {
    const s = await start();
    expect((await call(s, 'GET', '/healthz')).json).toEqual({ status: 'ok', plans: 3 });
    const plans = (await call(s, 'GET', '/plans')).json as {
      plans: Array<{ name: string; params: unknown[] }>;
    };
    expect(plans.plans.map((p) => p.name)).toEqual(['related-pins', 'broken', 'stuck']);
    expect(plans.plans[0]!.params).toEqual([
      { name: 'image', type: 'string', required: true, key_of: 'pinjoin' },
      { name: 'limit', type: 'int', required: false, default: 25 },
    ]);
    const run = await call(s, 'POST', '/plans/related-pins', JSON.stringify({ image: 'abc' }));
    expect(run.status).toBe(200);
    expect(run.json).toEqual({
      plan: 'related-pins',
      responses: [{ name: 'pins', dataset: 'pinjoin', items: [{ image_signature: 'abc' }] }],
    });
    const timed = await call(s, 'POST', '/plans/related-pins?timings=1', JSON.stringify({ image: 'abc' }));
    expect((timed.json as { timings: unknown[] }).timings).toHaveLength(2);
    // Per-node latencies also travel in a Server-Timing header, so clients need not parse the body.
    expect(String(run.headers['server-timing'])).toMatch(/^\w+;dur=\d+\.\d{3}, \w+;dur=\d+\.\d{3}$/);
    expect(Number(run.headers['content-length'])).toBe(Buffer.byteLength(run.text));
  });

  it('answers concurrent large responses each with its own bytes (reused response buffers)', async () => {
    const s = await start();
    const images = Array.from({ length: 30 }, (_, i) =>
      `${i}-`.padEnd(20_000 + i * 997, String.fromCharCode(97 + (i % 26))),
    );
    for (let round = 0; round < 2; round++) {
      const replies = await Promise.all(
        images.map((image) => call(s, 'POST', '/plans/related-pins', JSON.stringify({ image }))),
      );
      replies.forEach((reply, i) => {
        expect(reply.status).toBe(200);
        expect(reply.json).toEqual({
          plan: 'related-pins',
          responses: [{ name: 'pins', dataset: 'pinjoin', items: [{ image_signature: images[i] }] }],
        });
      });
    }
  });

  it('rejects bad JSON and bad params with 400 and a clear message', async () => {
    const s = await start();
    const badJson = await call(s, 'POST', '/plans/related-pins', '{"image": ');
    expect(badJson.status).toBe(400);
    expect((badJson.json as { error: { code: string } }).error.code).toBe('bad-json');
    const missing = await call(s, 'POST', '/plans/related-pins', '{}');
    expect(missing.status).toBe(400);
    expect((missing.json as { error: { message: string } }).error.message).toContain(
      "missing required param 'image'",
    );
    const wrong = await call(s, 'POST', '/plans/related-pins', '{"image": "a", "limt": 3, "limit": "x"}');
    expect(wrong.status).toBe(400);
    const message = (wrong.json as { error: { message: string } }).error.message;
    expect(message).toContain("unknown param 'limt'; did you mean 'limit'?");
    expect(message).toContain("param 'limit' must be int, not string");
    const notObject = await call(s, 'POST', '/plans/related-pins', '[1]');
    expect(notObject.status).toBe(400);
  });

  it('answers 404 with did-you-mean for an unknown plan, 405 for a wrong method', async () => {
    const s = await start();
    const unknown = await call(s, 'POST', '/plans/related-pin', '{}');
    expect(unknown.status).toBe(404);
    expect((unknown.json as { error: { message: string } }).error.message).toBe(
      "no plan named 'related-pin'; did you mean 'related-pins'?",
    );
    expect((await call(s, 'GET', '/nope')).status).toBe(404);
    const wrongMethod = await call(s, 'DELETE', '/plans/related-pins');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('GET, POST');
  });

  it('runs ad-hoc plans and returns diagnostics for invalid ones', async () => {
    const s = await start();
    const ok = await call(s, 'POST', '/plan?image=xyz', 'plan: adhoc\nnodes: {}\n');
    expect(ok.status).toBe(200);
    expect((ok.json as { plan: string }).plan).toBe('adhoc');
    const invalid = await call(s, 'POST', '/plan', 'nodes: {}\n');
    expect(invalid.status).toBe(400);
    const body = invalid.json as { error: { code: string; diagnostics: Array<{ code: string }> } };
    expect(body.error.code).toBe('invalid-plan');
    expect(body.error.diagnostics.map((d) => d.code)).toEqual(['missing-key']);
    const badParam = await call(s, 'POST', '/plan?nope=1', 'plan: adhoc\n');
    expect(badParam.status).toBe(400);
  });

  it('rejects bodies over the limit with 413', async () => {
    const s = await start({ maxBodyBytes: 1000 });
    const big = JSON.stringify({ image: 'x'.repeat(5000) });
    const reply = await call(s, 'POST', '/plans/related-pins', big);
    expect(reply.status).toBe(413);
    expect((reply.json as { error: { code: string } }).error.code).toBe('body-too-large');
    // Still serving.
    expect((await call(s, 'GET', '/healthz')).status).toBe(200);
  });

  it('turns a throwing plan into a 500 without a stack trace, and keeps serving', async () => {
    const logs: string[] = [];
    const s = await start({ log: (l) => logs.push(l) });
    const reply = await call(s, 'POST', '/plans/broken', '{"image": "a"}');
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({
      error: { code: 'plan-failed', message: "plan 'broken' failed: boom in processor" },
    });
    expect(reply.text).not.toContain('    at ');
    expect((await call(s, 'POST', '/plans/related-pins', '{"image": "a"}')).status).toBe(200);
    expect(logs.join('\n')).toContain('boom in processor');
  });

  it('answers 503 when a tier has no data loaded', async () => {
    const plan = fakePlan('nodata');
    plan.run = async () => {
      const inner = Object.assign(new Error("tier 'prod' has no version loaded"), {
        code: 'tier-not-loaded',
      });
      throw new Error("node 'seed' failed: tier 'prod' has no version loaded", { cause: inner });
    };
    server = await startServer({ runtime: fakeRuntime([plan]), port: 0 });
    const reply = await call(server, 'POST', '/plans/nodata', '{"image": "a"}');
    expect(reply.status).toBe(503);
    expect((reply.json as { error: { code: string } }).error.code).toBe('tier-not-loaded');
  });

  it('enforces the deadline header, capped by the server default', async () => {
    const s = await start({ defaultDeadlineMs: 500 });
    const reply = await call(s, 'POST', '/plans/stuck', '{"image": "a"}', { 'x-disco-deadline-ms': '50' });
    expect(reply.status).toBe(504);
    expect((reply.json as { error: { code: string } }).error.code).toBe('deadline-exceeded');
    const capped = await call(s, 'POST', '/plans/stuck', '{"image": "a"}', {
      'x-disco-deadline-ms': '999999',
    });
    expect(capped.status).toBe(504);
    expect((capped.json as { error: { message: string } }).error.message).toContain('500 ms');
    const bad = await call(s, 'POST', '/plans/related-pins', '{"image": "a"}', {
      'x-disco-deadline-ms': 'soon',
    });
    expect(bad.status).toBe(400);
  });

  it('exposes Prometheus metrics per plan and node', async () => {
    const s = await start();
    await call(s, 'POST', '/plans/related-pins', '{"image": "a"}');
    await call(s, 'POST', '/plans/broken', '{"image": "a"}');
    const metrics = await call(s, 'GET', '/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('# TYPE disco_plan_latency_seconds histogram');
    expect(metrics.text).toContain('disco_plan_latency_seconds_count{plan="related-pins"} 1');
    expect(metrics.text).toContain(
      'disco_node_latency_seconds_bucket{plan="related-pins",node="seed",le="0.00025"} 1',
    );
    expect(metrics.text).toContain('disco_plan_errors_total{plan="broken"} 1');
    expect(metrics.text).toContain('disco_plan_requests_total{plan="related-pins",outcome="ok"} 1');
  });

  it('answers a malformed request line with 400', async () => {
    const s = await start();
    const text = await new Promise<string>((resolve) => {
      const socket = connect(s.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(text).toContain('400 Bad Request');
    expect((await call(s, 'GET', '/healthz')).status).toBe(200);
  });

  it('drops clients that are too slow to send their headers', async () => {
    const s = await start({ headersTimeoutMs: 200, requestTimeoutMs: 300 });
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(s.port, '127.0.0.1', () =>
        socket.write('POST /plans/related-pins HTTP/1.1\r\nHost: x\r\n'),
      );
      socket.on('data', () => {});
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 5000);
    });
    expect(closed).toBe(true);
  });

  it('reloads the plans when a watched file changes', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'disco-watch-'));
    const runtime = { ...fakeRuntime([fakePlan('related-pins')]), watchPaths: () => [dir] };
    let reloads = 0;
    runtime.reload = async () => {
      reloads++;
    };
    const logs: string[] = [];
    server = await startServer({ runtime, port: 0, watch: true, log: (l) => logs.push(l) });
    writeFileSync(join(dir, 'new.yaml'), 'plan: x\n');
    for (let i = 0; i < 40 && reloads === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reloads).toBeGreaterThan(0);
    expect(logs.join('\n')).toContain('plans reloaded');
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets in-flight requests finish on shutdown', async () => {
    server = await startServer({ runtime: fakeRuntime([fakePlan('slow', 'slow')]), port: 0 });
    const s = server;
    const pending = call(s, 'POST', '/plans/slow', '{"image": "a"}');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.inFlight()).toBe(1);
    await s.close(5000);
    expect((await pending).status).toBe(200);
    await expect(call(s, 'GET', '/healthz')).rejects.toThrow();
  });
});
