/**
 * unknown-node, unknown-port, missing-port, input-arity — every input and output reference must
 * name an existing node (did-you-mean), with a port exactly when that node has named outputs
 * (`split`), and every node must have as many inputs as its processor takes (lookup and query
 * none, filter one, merge two or more, …). Records the graph's edges for later rules.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { PlanPath, RefAst } from '../ast.js';
import { REF_PATTERN } from '../parse.js';
import type { Rule, RuleContext } from './context.js';

/** Checks one reference; true when it names an existing node (and a valid port). */
function checkRef(ctx: RuleContext, ref: RefAst, what: string): boolean {
  const target = ctx.nodes.get(ref.node);
  if (!target) {
    ctx.report(
      ref.range,
      ref.path,
      'unknown-node',
      `${what} '${ref.node}', which is not a node of this plan${didYouMean(ref.node, ctx.nodes.keys())}`,
    );
    return false;
  }
  const ports = ctx.ports.get(ref.node);
  if (ref.port !== undefined) {
    if (!ports) {
      const hasProcessor = ctx.processors.has(ref.node);
      if (hasProcessor)
        ctx.report(
          ref.range,
          ref.path,
          'unknown-port',
          `node '${ref.node}' has no named outputs, so '${ref.text}' names no port; write '${ref.node}'`,
        );
      return !hasProcessor;
    }
    if (!ports.includes(ref.port)) {
      ctx.report(
        ref.range,
        ref.path,
        'unknown-port',
        `node '${ref.node}' has no port '${ref.port}'${didYouMean(ref.port, ports)} (ports: ${ports.join(', ')})`,
      );
      return false;
    }
  } else if (ports && ports.length > 0) {
    ctx.report(
      ref.range,
      ref.path,
      'missing-port',
      `node '${ref.node}' has named outputs; reference one of ${ports.map((p) => `'${ref.node}.${p}'`).join(', ')}`,
    );
    return false;
  }
  return true;
}

export const referencesRule: Rule = {
  name: 'references',
  codes: ['unknown-node', 'unknown-port', 'missing-port', 'input-arity'],
  run(ctx) {
    for (const node of ctx.ast.nodes) {
      const def = ctx.processors.get(node.name);
      const all: RefAst[] = [...node.inputs];
      if (def?.implicitInputs) {
        for (const implicit of def.implicitInputs(node.map)) {
          const m = REF_PATTERN.exec(implicit.ref);
          const path: PlanPath = [...node.path, ...implicit.path];
          if (!m) {
            ctx.report(
              ctx.rangeAt(path),
              path,
              'wrong-type',
              `'${implicit.ref}' is not a node reference; write NAME or NAME.PORT`,
            );
            continue;
          }
          if (all.some((r) => r.text === implicit.ref)) continue;
          all.push({
            node: m[1]! as never,
            ...(m[2] !== undefined ? { port: m[2] } : {}),
            text: implicit.ref,
            range: ctx.rangeAt(path),
            path,
          });
        }
      }
      const edges = all.filter((ref) => checkRef(ctx, ref, `node '${node.name}' reads from`));
      ctx.edges.set(node.name, edges);
      if (def) {
        const n = all.length;
        const { min, max } = def.inputs;
        if (n < min || n > max) {
          const want =
            max === 0
              ? 'no input'
              : min === max
                ? `exactly ${min} input${min === 1 ? '' : 's'}`
                : max === Number.POSITIVE_INFINITY
                  ? `at least ${min} inputs`
                  : `${min} to ${max} inputs`;
          const range = node.inputEntry ? node.inputEntry.value.range : node.keyRange;
          const path = node.inputEntry ? [...node.path, 'input'] : node.path;
          ctx.report(
            range,
            path,
            'input-arity',
            `${def.name} takes ${want}; node '${node.name}' has ${n === 0 ? 'none' : n}${max === 0 ? " (remove 'input')" : n === 0 ? " (add 'input')" : ''}`,
          );
        }
      }
    }
    for (const out of ctx.ast.outputs) {
      if (out.ref) checkRef(ctx, out.ref, `output '${out.name}' refers to`);
    }
  },
};
