// The IR verifier: structural invariants every graph keeps after every stage and pass (run in tests).
import type { Graph, NodeId, Program, ValueId } from "./graph.js";

/** Problems found in one graph, as readable sentences; empty when the graph is well formed. */
export function verifyGraph(graph: Graph): string[] {
  const problems: string[] = [];
  const where = `graph ${graph.name}`;
  const layerIds = uniqueIds(graph.layers, "layer", where, problems);
  uniqueIds(graph.nodes, "node", where, problems);
  const valueIds = uniqueIds(graph.values, "value", where, problems);

  // Which node produces each value, as listed by the nodes themselves.
  const producedBy = new Map<ValueId, { node: NodeId; index: number }>();
  const available = new Set<ValueId>();
  const inputLayers = new Set<NodeId>();
  for (const node of graph.nodes) {
    if (!layerIds.has(node.layer))
      problems.push(`${where}: node ${node.id} applies unknown layer ${node.layer}`);
    for (const input of node.inputs) {
      if (!valueIds.has(input)) problems.push(`${where}: node ${node.id} reads unknown value %${input}`);
      else if (!available.has(input))
        problems.push(`${where}: node ${node.id} reads %${input} before it is produced (not topological)`);
    }
    node.outputs.forEach((output, index) => {
      if (producedBy.has(output)) problems.push(`${where}: value %${output} is produced twice`);
      producedBy.set(output, { node: node.id, index });
      available.add(output);
    });
    if (node.inputs.length === 0) inputLayers.add(node.id);
  }
  for (const value of graph.values) {
    const producer = producedBy.get(value.id);
    if (!producer) problems.push(`${where}: value %${value.id} is produced by no node`);
    else if (producer.node !== value.producer || producer.index !== value.outputIndex)
      problems.push(
        `${where}: value %${value.id} says it is output ${value.outputIndex} of node ${value.producer}, but it is output ${producer.index} of node ${producer.node}`,
      );
  }
  for (const id of graph.inputs) {
    const producer = producedBy.get(id);
    if (!producer) problems.push(`${where}: input %${id} is not produced by any node`);
    else if (!inputLayers.has(producer.node))
      problems.push(`${where}: input %${id} is produced by a node with inputs`);
  }
  for (const id of graph.outputs) {
    if (!valueIds.has(id)) problems.push(`${where}: output %${id} does not exist`);
  }
  return problems;
}

/** Problems in every graph of a program. */
export function verifyProgram(program: Program): string[] {
  return program.graphs.flatMap(verifyGraph);
}

function uniqueIds(
  items: readonly { readonly id: number }[],
  what: string,
  where: string,
  problems: string[],
): Set<number> {
  const ids = new Set<number>();
  for (const item of items) {
    if (ids.has(item.id)) problems.push(`${where}: ${what} id ${item.id} is used twice`);
    ids.add(item.id);
  }
  return ids;
}
