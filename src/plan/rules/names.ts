/**
 * invalid-name — the plan's name must match `[a-z][a-z0-9-]*` (it becomes a URL path in
 * `disco serve` and a file name); node names may not contain dots or spaces (a dot separates a
 * node from its port in `NAME.PORT`); param names must be identifiers (they appear as
 * `$params.NAME` inside expressions and SQL).
 */
import type { Rule } from './context.js';

export const PLAN_NAME = /^[a-z][a-z0-9-]*$/;
export const NODE_NAME = /^[^.\s$][^.\s]*$/;
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const namesRule: Rule = {
  name: 'names',
  codes: ['invalid-name'],
  run({ ast, report }) {
    if (ast.name && !PLAN_NAME.test(ast.name.value)) {
      const fixed = ast.name.value
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/^[^a-z]+/, '');
      report(
        ast.name.range,
        ['plan'],
        'invalid-name',
        `plan name '${ast.name.value}' must match [a-z][a-z0-9-]* (lowercase letters, digits and dashes, starting with a letter)${fixed && PLAN_NAME.test(fixed) ? `; e.g. '${fixed}'` : ''}`,
      );
    }
    for (const node of ast.nodes) {
      if (!NODE_NAME.test(node.name)) {
        report(
          node.keyRange,
          node.path,
          'invalid-name',
          `node name '${node.name}' must not contain dots or spaces or start with '$' (NAME.PORT refers to a port of a node)`,
        );
      }
    }
    for (const param of ast.params) {
      if (!PARAM_NAME.test(param.name)) {
        report(
          param.keyRange,
          param.path,
          'invalid-name',
          `param name '${param.name}' must match [A-Za-z_][A-Za-z0-9_]* (it is written $params.${param.name})`,
        );
      }
    }
  },
};
