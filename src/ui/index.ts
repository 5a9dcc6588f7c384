/**
 * The UI toolkit (one for the whole project). This entry exports only the plain parts — no Ink,
 * no React — so commands can import it at the top level for plain output; Ink components are
 * loaded with `await import('src/ui/ink/live.js')` only in an interactive terminal.
 *
 * - `style.ts`: styled lines (the common currency), ANSI/plain rendering;
 * - `palette.ts`: tier and status colours, status badges, NO_COLOR-safe glyphs;
 * - `blocks.ts`: layout primitives (heading, keyValues, hstack/vstack/flow, fitWidth, sliceColumns);
 * - `charts.ts`: bars, span bars, sparklines, histograms, number formats;
 * - `styled-table.ts` / `text-table.ts`: tables (styled / plain);
 * - `dag/`: the layered DAG layout, its text rendering, DOT and Mermaid;
 * - `views/`: the views of plan show/graph/run, jobs run, debug key, plan bench.
 */
export * from './style.js';
export * from './palette.js';
export * from './blocks.js';
export * from './charts.js';
export { styledTable, type StyledColumn } from './styled-table.js';
export { textTable, type Column } from './text-table.js';
export type { Graph, GraphEdge, GraphNode } from './dag/graph.js';
export { layoutDag, type DagLayout, type LayoutOptions } from './dag/layout.js';
export { drawDag, fittedLayout, renderDag, renderDagText, type DagTextOptions } from './dag/render-text.js';
export { toDot, toMermaid } from './dag/export.js';
export { planToGraph, rawPlanValue, type PlanGraph } from './views/plan-graph.js';
export { planView } from './views/plan-view.js';
export {
  applyWorkflowEvent,
  initialJobsState,
  jobsGraph,
  jobsView,
  type JobsViewState,
} from './views/jobs-view.js';
export { debugKeyView } from './views/debug-key-view.js';
export { criticalPath, runView, topologicalOrder, waterfall } from './views/run-view.js';
export {
  benchLiveView,
  benchProgress,
  benchResultView,
  type BaselineDeltaView,
  type BenchLiveState,
  type BenchProgressView,
  type BenchResultView,
} from './views/bench-view.js';
