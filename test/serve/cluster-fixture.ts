/** `node --import tsx cluster-fixture.ts N`: a `disco serve --workers N` over the fake runtime. */
import { serveUntilStopped } from '../../src/serve/lifecycle.js';
import { startServer } from '../../src/serve/server.js';
import { fakePlan, fakeRuntime } from './fake-runtime.js';

await serveUntilStopped({
  workers: Number(process.argv[2] ?? 2),
  print: (line) => console.log(line),
  log: (line) => process.stderr.write(`${line}\n`),
  async start(metricsText) {
    const runtime = fakeRuntime([fakePlan('related-pins'), fakePlan('slow', 'slow')]);
    const server = await startServer({ runtime, port: 0, metricsText });
    return { server, plans: ['related-pins', 'slow'], notes: [], close: () => server.close() };
  },
});
