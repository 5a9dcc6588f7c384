/**
 * cycle — nodes and their inputs must form a DAG. Each cycle (strongly connected component) is
 * reported ONCE, with its whole path in data-flow order (`a → b → c → a`), at the input reference
 * that closes it — not once per node on it. Records the topological order of the other nodes.
 */
import type { NodeName, RefAst } from '../ast.js';
import type { Rule } from './context.js';

export const cyclesRule: Rule = {
  name: 'cycles',
  codes: ['cycle'],
  run(ctx) {
    const names = ctx.ast.nodes.map((n) => n.name);
    const adjacency = new Map<NodeName, NodeName[]>(
      names.map((n) => [n, (ctx.edges.get(n) ?? []).map((r) => r.node)]),
    );
    const inputsOf = (n: NodeName): NodeName[] => adjacency.get(n) ?? [];
    // Tarjan's SCC, iterative (plans are small, but input is untrusted).
    const index = new Map<NodeName, number>();
    const low = new Map<NodeName, number>();
    const onStack = new Set<NodeName>();
    const stack: NodeName[] = [];
    const sccs: NodeName[][] = [];
    let counter = 0;
    for (const root of names) {
      if (index.has(root)) continue;
      const work: Array<{ node: NodeName; i: number }> = [{ node: root, i: 0 }];
      index.set(root, counter);
      low.set(root, counter++);
      stack.push(root);
      onStack.add(root);
      while (work.length > 0) {
        const top = work[work.length - 1]!;
        const next = inputsOf(top.node)[top.i++];
        if (next !== undefined) {
          if (!index.has(next)) {
            index.set(next, counter);
            low.set(next, counter++);
            stack.push(next);
            onStack.add(next);
            work.push({ node: next, i: 0 });
          } else if (onStack.has(next)) low.set(top.node, Math.min(low.get(top.node)!, index.get(next)!));
          continue;
        }
        work.pop();
        const parent = work[work.length - 1];
        if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
        if (low.get(top.node) === index.get(top.node)) {
          const scc: NodeName[] = [];
          let x: NodeName;
          do {
            x = stack.pop()!;
            onStack.delete(x);
            scc.push(x);
          } while (x !== top.node);
          sccs.push(scc);
        }
      }
    }
    for (const scc of sccs) {
      const members = new Set(scc);
      const selfLoop = scc.length === 1 && inputsOf(scc[0]!).includes(scc[0]!);
      if (scc.length === 1 && !selfLoop) continue;
      for (const n of scc) ctx.cyclic.add(n);
      // Start at the member written first; follow inputs inside the component back to it.
      const start = names.find((n) => members.has(n))!;
      const path = findCycle(start, members, inputsOf);
      // `path` follows inputs (consumer → producer); data flows the other way.
      const flow = [...path].reverse();
      const closing =
        ctx.edges.get(start)!.find((r: RefAst) => r.node === path[1]) ?? ctx.edges.get(start)![0]!;
      ctx.report(
        closing.range,
        closing.path,
        'cycle',
        `cycle: ${flow.join(' → ')}; nodes and their inputs must form a DAG`,
      );
    }
    // Topological order of the nodes not on a cycle (Kahn, in file order for stable output).
    const remaining = new Map<NodeName, number>();
    const consumers = new Map<NodeName, NodeName[]>();
    for (const n of names) {
      const ins = [...new Set(inputsOf(n))];
      remaining.set(n, ins.length);
      for (const i of ins) consumers.set(i, [...(consumers.get(i) ?? []), n]);
    }
    const ready = names.filter((n) => remaining.get(n) === 0);
    const order: NodeName[] = [];
    while (ready.length > 0) {
      const n = ready.shift()!;
      order.push(n);
      for (const c of consumers.get(n) ?? []) {
        const left = remaining.get(c)! - 1;
        remaining.set(c, left);
        if (left === 0) ready.push(c);
      }
    }
    ctx.order = order;
  },
};

/** A cycle through `start` inside `members`, as [start, x, y, …, start] following inputs. */
function findCycle(
  start: NodeName,
  members: Set<NodeName>,
  inputsOf: (n: NodeName) => NodeName[],
): NodeName[] {
  const prev = new Map<NodeName, NodeName>();
  const queue: NodeName[] = [start];
  const seen = new Set<NodeName>([start]);
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const next of inputsOf(n)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path: NodeName[] = [start];
        let x: NodeName | undefined = n;
        const back: NodeName[] = [];
        while (x !== undefined && x !== start) {
          back.push(x);
          x = prev.get(x);
        }
        path.push(...back.reverse(), start);
        return path;
      }
      if (!seen.has(next)) {
        seen.add(next);
        prev.set(next, n);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
