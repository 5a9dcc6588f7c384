/** `disco demo`: the whole stack end to end (see demo.ts). */
export {
  DEMO_STAGES,
  type DemoEvent,
  type DemoOptions,
  type DemoResult,
  type DemoStage,
  type DemoStageResult,
  runDemo,
} from './demo.js';
