// A worklist order over a graph's nodes (Kahn's algorithm): a node is visited once every value it reads
// has been produced, whatever order the graph lists its nodes in.
import type { Graph, IRNode, ValueId } from "../../ir/graph.js";

/** The nodes in an order where producers precede consumers; nodes on a cycle or reading a missing value are left out. */
export function topologicalNodes(graph: Graph): readonly IRNode[] {
  return isTopological(graph) ? graph.nodes : kahn(graph);
}

/** The common case (the builder emits nodes in order): every input is produced by an earlier node. */
function isTopological(graph: Graph): boolean {
  const produced = new Set<ValueId>();
  for (const node of graph.nodes) {
    for (const input of node.inputs) if (!produced.has(input)) return false;
    for (const output of node.outputs) produced.add(output);
  }
  return true;
}

function kahn(graph: Graph): IRNode[] {
  const produced = new Set<ValueId>();
  for (const node of graph.nodes) for (const v of node.outputs) produced.add(v);
  const consumers = new Map<ValueId, IRNode[]>();
  const waiting = new Map<IRNode, number>();
  const ready: IRNode[] = [];
  for (const node of graph.nodes) {
    let count = 0;
    let readsMissing = false;
    for (const input of node.inputs) {
      if (!produced.has(input)) readsMissing = true;
      count++;
      const list = consumers.get(input);
      if (list) list.push(node);
      else consumers.set(input, [node]);
    }
    if (readsMissing) continue; // never becomes ready: a dangling input (the verifier reports it)
    waiting.set(node, count);
    if (count === 0) ready.push(node);
  }
  const order: IRNode[] = [];
  for (let i = 0; i < ready.length; i++) {
    const node = ready[i]!;
    order.push(node);
    for (const output of node.outputs) {
      for (const consumer of consumers.get(output) ?? []) {
        const left = waiting.get(consumer);
        if (left === undefined) continue;
        waiting.set(consumer, left - 1);
        if (left - 1 === 0) ready.push(consumer);
      }
    }
  }
  return order;
}
