// The IR's stable text form, for golden tests and `--emit ir`: one line per node, values as `%id`,
// layers as `Type[name]`, the layer's arguments at its first application (a shared layer's later nodes
// omit them), and the inferred type after `:` (`?` before inference).
import type { Graph, IRNode, IRValue, LayerInstance, Program, ValueId } from "./graph.js";
import { formatArgValue, formatTensorType } from "./shape-text.js";

/** Every graph of the program, separated by blank lines; ends with a newline. */
export function printProgram(program: Program): string {
  return program.graphs.map(printGraph).join("\n");
}

/**
 * One graph:
 * ```
 * graph siamese (functional)
 *   dims T
 *   inputs %0, %1
 *   %0 = Input[input_1]() {shape=(T, 16), dtype="float32", sparse=False} : (None, T, 16)  # a
 *   %2 = Dense[dense_1](%0) {units=8, activation="relu", ...} : (None, T, 8)  # ea
 *   %3 = Dense[dense_1](%1) : (None, T, 8)  # eb
 *   outputs %2
 * ```
 */
export function printGraph(graph: Graph): string {
  const layers = new Map<number, LayerInstance>(graph.layers.map((l) => [l.id, l]));
  const values = new Map<ValueId, IRValue>(graph.values.map((v) => [v.id, v]));
  const lines = [`graph ${graph.name} (${graph.kind})`];
  if (graph.dims.length > 0) lines.push(`  dims ${graph.dims.map((d) => d.name).join(", ")}`);
  lines.push(`  inputs ${graph.inputs.map(ref).join(", ")}`);
  const printed = new Set<number>();
  for (const node of graph.nodes) {
    lines.push(`  ${printNode(node, layers, values, !printed.has(node.layer))}`);
    printed.add(node.layer);
  }
  lines.push(`  outputs ${graph.outputs.map(ref).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function ref(id: ValueId): string {
  return `%${id}`;
}

function printNode(
  node: IRNode,
  layers: ReadonlyMap<number, LayerInstance>,
  values: ReadonlyMap<ValueId, IRValue>,
  withArgs: boolean,
): string {
  const layer = layers.get(node.layer);
  const head = layer ? `${layer.type}[${layer.name}]` : `?[layer ${node.layer}]`;
  const args = layer && withArgs ? ` {${printArgs(layer).join(", ")}}` : "";
  const outputs = node.outputs.map((id) => values.get(id));
  const types = outputs.map((v) => (v?.type ? formatTensorType(v.type) : "?")).join(", ");
  // Names the user gave (`ea`), so a reader can match lines to the source.
  const names = outputs.map((v) => v?.name ?? "?");
  const lhs = node.outputs.length === 0 ? "" : `${node.outputs.map(ref).join(", ")} = `;
  return `${lhs}${head}(${node.inputs.map(ref).join(", ")})${args} : ${types}  # ${names.join(", ")}`;
}

/**
 * The arguments worth reading: `name` is already in brackets, None means "not given" for every optional
 * argument, and `trainable=True` is every layer's default.
 */
function printArgs(layer: LayerInstance): string[] {
  return Object.entries(layer.args)
    .filter(([k, v]) => k !== "name" && v !== null && !(k === "trainable" && v === true))
    .map(([k, v]) => `${k}=${formatArgValue(v)}`);
}
