/**
 * `node --import tsx cluster-fixture.ts N [fail]`: a `disco serve --workers N` over the fake
 * runtime; with `fail`, every worker fails to start (as on a port in use).
 */
import { serveUntilStopped } from '../../src/serve/lifecycle.js';
import { startServer } from '../../src/serve/server.js';
import { fakePlan, fakeRuntime } from './fake-runtime.js';

try {
  await serveUntilStopped({
    workers: Number(process.argv[2] ?? 2),
    print: (line) => console.log(line),
    log: (line) => process.stderr.write(`${line}\n`),
    async start(metricsText) {
      if (process.argv[3] === 'fail') throw new Error('cannot listen');
      const runtime = fakeRuntime([fakePlan('related-pins'), fakePlan('slow', 'slow')]);
      const server = await startServer({ runtime, port: 0, metricsText });
      return { server, plans: ['related-pins', 'slow'], notes: [], close: () => server.close() };
    },
  });
} catch (error) {
  process.stderr.write(`failed: ${(error as { code?: string }).code ?? (error as Error).message}\n`);
  process.exitCode = 2;
}
