// The short per-model report `kerasc FILE` prints: kind, inputs → outputs, layers and parameters.
import { graphParamTotals } from "../src/compiler/3-infer/params.js";
import type { Graph } from "../src/index.js";
import { formatShape } from "../src/ir/shape-text.js";

const count = (n: number) => n.toLocaleString("en-US");

export function describeGraph(graph: Graph): string {
  const shapes = (ids: readonly number[]) =>
    ids.map((id) => {
      const type = graph.values[id]?.type;
      return type ? formatShape(type.shape) : "?";
    });
  const params = graphParamTotals(graph);
  const paramText = params.complete
    ? `${count(params.total)} params (${count(params.trainable)} trainable)`
    : `${count(params.total)}+ params (some depend on unknown dimensions)`;
  return [
    `model ${graph.name} (${graph.kind})`,
    `  inputs   ${shapes(graph.inputs).join(", ")}`,
    `  outputs  ${shapes(graph.outputs).join(", ")}`,
    `  ${count(graph.layers.length)} layers, ${count(graph.nodes.length)} nodes, ${paramText}`,
  ].join("\n");
}
