/** `disco serve`: the plans of a project over HTTP (see server.ts), and the runtime interface. */
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { type RunningServer, type ServerOptions, startServer } from './server.js';
import type { PlanRuntime } from './types.js';

export {
  DEADLINE_HEADER,
  describePlan,
  type RunningServer,
  type ServerOptions,
  startServer,
} from './server.js';
export { isServeWorker, joinCluster, startWorkers } from './cluster.js';
export { Metrics } from './metrics.js';
export type * from './types.js';

export interface ServeProjectOptions extends Omit<ServerOptions, 'runtime'> {
  config: ProjectConfig;
}

export interface ServedProject {
  server: RunningServer;
  runtime: PlanRuntime;
  /** What to tell the user at start: plans that are not served and why. */
  startupNotes: string[];
  /** Graceful stop: in-flight requests finish, then the tiers close. */
  close(graceMs?: number): Promise<void>;
}

/** Opens the project's plans and tiers and starts the server. */
export async function serveProject(options: ServeProjectOptions): Promise<ServedProject> {
  const { openRuntime } = await import('./runtime.js');
  const runtime = await openRuntime(options.config);
  const { config: _config, ...rest } = options;
  let server: RunningServer;
  try {
    server = await startServer({ ...rest, runtime });
  } catch (error) {
    await runtime.close();
    throw listenError(error, options);
  }
  const errors = runtime.problems().filter((d) => d.severity === 'error');
  const files = [...new Set(errors.map((d) => d.file))];
  const startupNotes = files.map((f) => `not served: ${f} has errors (run disco plan validate)`);
  let closing: Promise<void> | undefined;
  return {
    server,
    runtime,
    startupNotes,
    close(graceMs?: number) {
      closing ??= server.close(graceMs).then(() => runtime.close());
      return closing;
    },
  };
}

function listenError(error: unknown, options: ServeProjectOptions): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    return new UserError(`port ${options.port} on ${options.host ?? '127.0.0.1'} is already in use`, {
      code: 'port-in-use',
      exit: 2,
      hint: 'pick another with --port, or --port 0 for any free port',
    });
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new UserError(
      `cannot listen on ${options.host ?? '127.0.0.1'}:${options.port}: ${(error as Error).message}`,
      {
        code: 'cannot-listen',
        exit: 2,
        hint: 'use a port above 1024 and an address of this machine (127.0.0.1 by default)',
      },
    );
  }
  return error;
}
