/**
 * What the server, the bench and the demo need from the plan language, the engine and the tiers,
 * as one small interface (`PlanRuntime`). `runtime.ts` implements it with the real modules; tests
 * use fakes. Keeping HTTP and load concerns apart from plan compilation keeps each testable alone.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type ParamType = 'int' | 'float' | 'string' | 'bool' | 'list<int>' | 'list<string>';

export interface ParamSpec {
  name: string;
  type: ParamType;
  required: boolean;
  default?: unknown;
  /** Set when the param is the `keys` of a lookup: the dataset whose keys it takes. */
  keyOf?: string | undefined;
}

export interface PlanNodeInfo {
  node: string;
  use: string;
  inputs: readonly string[];
  tier?: string | undefined;
  dataset?: string | undefined;
}

/** One per-node timing of a run, as the engine reports it. */
export interface NodeTimingInfo {
  node: string;
  ms: number;
  error?: string | undefined;
}

/** The SPEC §4 response (the engine's), with the timings pulled out for metrics and benches. */
export interface PlanRunResult {
  /** The JSON body to send back (SPEC §4 response, including timings when asked for). */
  body: unknown;
  timings: readonly NodeTimingInfo[];
}

export interface RunOptions {
  /** Abort the run after this many milliseconds. */
  deadlineMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Include the per-node timings in the body. */
  timings: boolean;
}

export interface RuntimePlan {
  name: string;
  description?: string | undefined;
  file?: string | undefined;
  params: readonly ParamSpec[];
  nodes: readonly PlanNodeInfo[];
  sloP99Ms: number | null;
  /** The plan's own cap on a request's deadline, if it has one (else the server's default). */
  deadlineMs?: number | undefined;
  /** A JSON object of params (an HTTP body) → typed params. Throws a `UserError` when invalid (400). */
  parseJsonParams(body: unknown): Record<string, unknown>;
  /**
   * One run with typed params. A `UserError` is the caller's fault (400); an error whose `code` is
   * `deadline-exceeded` is a 504; anything else thrown is a failure of the plan (500).
   */
  run(params: Readonly<Record<string, unknown>>, options: RunOptions): Promise<PlanRunResult>;
  /** Params from `--param K=V` texts, checked and typed. Throws a `UserError` when invalid. */
  parseCliParams(texts: readonly string[]): Record<string, unknown>;
}

export interface CompileOutcome {
  plan?: RuntimePlan | undefined;
  diagnostics: Diagnostic[];
}

export interface PlanRuntime {
  /** Every valid plan of the project, compiled once. */
  plans(): ReadonlyMap<string, RuntimePlan>;
  /** Problems of the project's plans (invalid plans are not served). */
  problems(): readonly Diagnostic[];
  /** Re-reads the plans folder (for `serve --watch`); keeps the old set if reading fails. */
  reload(): Promise<void>;
  /** A plan from text (YAML or JSON): the ad-hoc `POST /plan`, `plan bench -`. */
  compileText(text: string, file: string): Promise<CompileOutcome>;
  /** Up to `n` real keys of `dataset` from the loaded tiers (for benches and the demo). */
  sampleKeys(dataset: string, n: number): Promise<Array<string | number>>;
  /** Folders to watch for `--watch`. */
  watchPaths(): string[];
  close(): Promise<void>;
}
