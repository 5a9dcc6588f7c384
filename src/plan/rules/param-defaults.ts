/**
 * default-type — a param's `default` must have the param's declared type: a default of the wrong
 * type would only fail at run time, on the requests that leave the param out.
 */
import type { FieldType } from '../../catalog/types.js';
import { formatType } from '../../catalog/types.js';
import { describeNode, type YNode } from '../yaml-tree.js';
import type { Rule } from './context.js';

export function valueFits(node: YNode, type: FieldType): boolean {
  if (type.kind === 'list') return node.kind === 'seq' && node.items.every((i) => valueFits(i, type.of));
  if (node.kind !== 'scalar') return false;
  const v = node.value;
  switch (type.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    default:
      return false;
  }
}

export const paramDefaultsRule: Rule = {
  name: 'param-defaults',
  codes: ['default-type'],
  run({ ast, report }) {
    for (const p of ast.params) {
      if (!p.type || !p.default) continue;
      if (!valueFits(p.default, p.type)) {
        report(
          p.default.range,
          [...p.path, 'default'],
          'default-type',
          `the default of param '${p.name}' must be ${formatType(p.type)}, not ${describeNode(p.default)}`,
        );
      }
    }
  },
};
