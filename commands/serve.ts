import { Flags } from '@oclif/core';
import { DiscoCommand } from '../src/cli/base-command.js';

export default class Serve extends DiscoCommand {
  static override summary = 'Serve every plan over HTTP/JSON on loopback, with Prometheus metrics.';
  static override description =
    'GET /plans, POST /plans/NAME (JSON params), POST /plan (ad-hoc plan), GET /healthz, GET /metrics. Plans are compiled once at start (--watch reloads them on change). --workers N runs N server processes on the same port (a process uses one core). SIGTERM or Ctrl-C stops accepting and lets in-flight requests finish.';
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --port 8080 --watch',
    '<%= config.bin %> serve --workers 2',
    `curl -s -XPOST localhost:7878/plans/related-pins -d '{"image": "…"}'`,
  ];
  static override flags = {
    port: Flags.integer({ description: 'port (0 picks a free one)', default: 7878, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1' }),
    watch: Flags.boolean({ description: 'reload the plans when files in the plans folder change' }),
    workers: Flags.integer({
      description: 'server processes sharing the port (each runs plans on one core)',
      default: 1,
      min: 1,
      max: 64,
    }),
    'max-body': Flags.integer({
      description: 'largest request body in bytes (413 beyond)',
      default: 1_048_576,
      min: 1,
    }),
    'deadline-ms': Flags.integer({
      description: 'deadline of a request unless x-disco-deadline-ms asks for less',
      default: 10_000,
      min: 1,
    }),
  };

  async run(): Promise<{ url: string; plans: string[]; workers: number }> {
    const { flags } = await this.parse(Serve);
    const { serveUntilStopped } = await import('../src/serve/lifecycle.js');
    const { serveProject } = await import('../src/serve/index.js');
    const config = await this.project(flags.data);
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    return serveUntilStopped({
      start: async (metricsText) => {
        const served = await serveProject({
          config,
          port: flags.port,
          host: flags.host,
          watch: flags.watch,
          maxBodyBytes: flags['max-body'],
          defaultDeadlineMs: flags['deadline-ms'],
          log,
          metricsText,
        });
        const plans = [...served.runtime.plans().keys()];
        return { server: served.server, plans, notes: served.startupNotes, close: () => served.close() };
      },
      workers: flags.workers,
      print: (line) => {
        if (!this.jsonEnabled()) this.log(line);
      },
      log,
    });
  }
}
