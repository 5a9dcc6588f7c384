import { Flags } from '@oclif/core';
import { DiscoCommand } from '../src/cli/base-command.js';

export default class Serve extends DiscoCommand {
  static override summary = 'Serve every plan over HTTP/JSON on loopback, with Prometheus metrics.';
  static override description =
    'GET /plans, POST /plans/NAME (JSON params), POST /plan (ad-hoc plan), GET /healthz, GET /metrics. Plans are compiled once at start (--watch reloads them on change). SIGTERM or Ctrl-C stops accepting and lets in-flight requests finish.';
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --port 8080 --watch',
    `curl -s -XPOST localhost:7878/plans/related-pins -d '{"image": "…"}'`,
  ];
  static override flags = {
    port: Flags.integer({ description: 'port (0 picks a free one)', default: 7878, min: 0, max: 65535 }),
    host: Flags.string({ description: 'address to listen on', default: '127.0.0.1' }),
    watch: Flags.boolean({ description: 'reload the plans when files in the plans folder change' }),
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

  async run(): Promise<{ url: string; plans: string[] }> {
    const { flags } = await this.parse(Serve);
    const { serveProject } = await import('../src/serve/index.js');
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const served = await serveProject({
      config: await this.project(flags.data),
      port: flags.port,
      host: flags.host,
      watch: flags.watch,
      maxBodyBytes: flags['max-body'],
      defaultDeadlineMs: flags['deadline-ms'],
      log,
    });
    const plans = [...served.runtime.plans().keys()];
    if (!this.jsonEnabled()) {
      for (const line of served.startupNotes) this.log(line);
      this.log(`serving ${plans.length} plan(s) on ${served.server.url}  (Ctrl-C to stop)`);
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log(`${signal}: finishing ${served.server.inFlight()} in-flight request(s), then stopping`);
        served.close().then(resolve, resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    return { url: served.server.url, plans };
  }
}
