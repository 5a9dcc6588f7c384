/**
 * The plan language (SPEC §4) and its static validation (SPEC §5): parse YAML plans into a typed
 * AST, type-check them against the catalog, the tier profiles and the processors, and report
 * diagnostics in five formats. The engine compiles a {@link CheckedPlan}; the UI draws one.
 */
export type {
  CheckedNode, CheckedParam, CheckedPlan, ExprOption, NodeName, NodeRef, OptionValue, ParamName,
  ParamOption, ReturnsOption, SqlOption, VariantOption,
} from './ast.js'; // biome-ignore format: list
export { isExprOption, isParamOption } from './ast.js';
export { checkPlanText, type PlanCheckResult } from './check.js';
export { defaultEnv, type ValidationEnv, withProcessors } from './env.js';
export * as expr from './expr/index.js';
export { evaluate, parseExpression, printExpression, type Expr } from './expr/index.js';
export type {
  InputInfo, OptionSpec, OptionType, ProcessorContext, ProcessorDefinition, ProcessorRegistry,
} from './processors/definition.js'; // biome-ignore format: list
export { BUILTIN_PROCESSORS, builtinProcessors } from './processors/index.js';
export { type ItemType, describeItemType, datasetItems } from './types.js';
export {
  type FileResult,
  type PlanInput,
  type ValidationReport,
  collectPlanFiles,
  validatePlans,
  validatePlanTexts,
} from './validate.js';
export { loadCheckedPlan, listPlanFiles, type PlanText, projectEnv, readPlanArg } from './project.js';
export { customProcessorFiles, type LoadedProcessors, loadProjectProcessors } from './processors/custom.js';
export {
  FORMATS,
  type FormatName,
  formatReport,
  formatGithub,
  formatJson,
  formatJunit,
  formatPretty,
  formatSarif,
  toJson,
} from './format/index.js';
export { CODE_INFO, DIAGNOSTIC_CODES } from './codes.js';
export { planJsonSchema } from './schema.js';
export { runValidate } from './run-validate.js';
