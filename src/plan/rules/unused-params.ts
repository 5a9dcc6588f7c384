/**
 * unused-param (warning) — a declared param that no option, expression or SQL uses is either dead
 * weight or a sign of a typo elsewhere. Any `$params.NAME` written in a node counts as a use, even
 * in a node with other problems, so this never piles onto a real error.
 */
import type { YNode } from '../yaml-tree.js';
import type { Rule } from './context.js';

function collect(node: YNode, out: Set<string>): void {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'string')
      for (const m of node.value.matchAll(/\$params\.([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]!);
  } else if (node.kind === 'seq') for (const i of node.items) collect(i, out);
  else for (const e of node.entries) collect(e.value, out);
}

export const unusedParamsRule: Rule = {
  name: 'unused-params',
  codes: ['unused-param'],
  run(ctx) {
    const used = new Set(ctx.usedParams);
    for (const node of ctx.ast.nodes) collect(node.map, used);
    for (const p of ctx.ast.params) {
      if (!used.has(p.name)) {
        ctx.report(
          p.keyRange,
          p.path,
          'unused-param',
          `param '${p.name}' is never used; reference it as $params.${p.name} or remove it`,
          'warning',
        );
      }
    }
  },
};
