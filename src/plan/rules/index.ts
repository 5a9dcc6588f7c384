/**
 * The rule registry: every check a plan goes through after parsing, in order (later rules use
 * what earlier ones recorded in the context). To add a rule: write `rules/NAME.ts` exporting a
 * {@link Rule} with a header comment (what it checks, why), add it here, document its codes in
 * `codes.ts`, and add `test/plan/rules/NAME.test.ts`.
 */
import type { Rule } from './context.js';
import { cyclesRule } from './cycles.js';
import { knownProcessorsRule } from './known-processors.js';
import { namesRule } from './names.js';
import { nodeTypesRule } from './node-types.js';
import { paramDefaultsRule } from './param-defaults.js';
import { referencesRule } from './references.js';
import { sloRule } from './slo.js';
import { unreachableRule } from './unreachable.js';
import { unusedParamsRule } from './unused-params.js';

export const RULES: readonly Rule[] = [
  namesRule,
  paramDefaultsRule,
  knownProcessorsRule,
  referencesRule,
  cyclesRule,
  nodeTypesRule,
  sloRule,
  unreachableRule,
  unusedParamsRule,
];

export type { Rule, RuleContext } from './context.js';
