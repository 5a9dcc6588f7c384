/**
 * The serving engine (SPEC §4 "Execution"): compiles a checked plan once into an executable
 * form and runs requests through a ready-queue scheduler with batched tier reads, deadlines,
 * `on_error`, `fallback` and `experiment`.
 *
 *     const compiled = compilePlan(checked);
 *     const response = await compiled.execute(parseParams(checked, ['image=abc']), { tiers, collectTimings: true });
 */
export { type CompiledPlan, compileExecPlan, compilePlan } from './compile.js';
export { compileExpr, type Compiled } from './expr.js';
export type {
  ExecInputRef,
  ExecNode,
  ExecOutput,
  ExecPlan,
  Items,
  NodeContext,
  NodeValue,
  PortItems,
  RunFn,
  TierSource,
} from './graph.js';
export { coerceParams, type ParamDeclarations, parseParams } from './params.js';
export type { CustomProcessorContext, CustomRun } from './processors/custom.js';
export { renderResponseText, renderTimeline } from './render.js';
export {
  type NodeError,
  type NodeStatus,
  type NodeTiming,
  NodeTimeoutError,
  PlanExecutionError,
  type PlanResponse,
  type RequestTimings,
  type ResponseList,
} from './response.js';
export { DEFAULT_DEADLINE_MS, type ExecuteOptions, Scheduler } from './scheduler.js';
export { type ChromeTrace, chromeTrace, writeChromeTrace } from './trace.js';
