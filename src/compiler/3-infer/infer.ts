// Shape inference: one generic worklist pass (MLIR Toy's ShapeInferencePass) that asks each node's layer
// definition for its output types and produces a new, typed graph. Nothing is mutated; a node whose
// inputs are untyped (an upstream failure) is skipped silently, so one mistake gives one diagnostic.
import type { Graph, IRNode, IRValue, LayerInstance, Program, TensorType } from "../../ir/graph.js";
import { type LineIndex, lineLocator } from "../../ir/locate.js";
import { unpackCountMismatch } from "../diagnostics/catalogue/names.js";
import { maskNotSupported, shapeRuleFailed, wrongInputCount } from "../diagnostics/catalogue/shapes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { LayerDef } from "../layers/layer.js";
import { getLayerDef } from "../layers/registry.js";
import {
  expansionNotes,
  type GraphIndex,
  indexGraph,
  labelOf,
  NodeShapeContext,
  producerOf,
} from "./shape-context.js";
import { topologicalNodes } from "./topological.js";

export interface InferOptions {
  /** Source texts by path, so messages can say "`reshape_1` at line 3 produces …". */
  readonly sources?: ReadonlyMap<string, LineIndex>;
}

/** Types every value of every graph; problems come back as diagnostics. Never throws. */
export function inferProgram(
  program: Program,
  options: InferOptions = {},
): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lineOf = lineLocator(options.sources);
  const graphs = program.graphs.map((graph) => inferGraph(graph, lineOf, (d) => diagnostics.push(d)));
  return { program: Object.freeze({ ...program, graphs: Object.freeze(graphs) }), diagnostics };
}

function inferGraph(
  graph: Graph,
  lineOf: Parameters<typeof indexGraph>[1],
  report: (d: Diagnostic) => void,
): Graph {
  const index = indexGraph(graph, lineOf);
  for (const node of topologicalNodes(graph)) {
    const outputs = inferNode(node, index, report);
    for (let i = 0; i < node.outputs.length; i++) index.types.set(node.outputs[i]!, outputs?.[i] ?? null);
  }
  const values: IRValue[] = graph.values.map((v) =>
    Object.freeze({ ...v, type: index.types.get(v.id) ?? null }),
  );
  return Object.freeze({ ...graph, values: Object.freeze(values) });
}

/** The node's output types, or null when it fails (reported) or an input is untyped (silent). */
function inferNode(
  node: IRNode,
  index: GraphIndex,
  report: (d: Diagnostic) => void,
): readonly TensorType[] | null {
  const layer = index.layers.get(node.layer);
  const def = layer ? getLayerDef(layer.type) : undefined;
  if (!layer || !def) return null;
  const inputs: TensorType[] = [];
  for (const id of node.inputs) {
    const type = index.types.get(id);
    if (!type) return null; // failed upstream: already reported there
    inputs.push(type);
  }
  const { min, max } = def.inputArity;
  if (inputs.length < min || inputs.length > max) {
    report(
      wrongInputCount(node.span, labelOf(layer), min, max, inputs.length, expansionNotes(node.expandedFrom)),
    );
    return null;
  }
  if (!def.supportsMasking) {
    const masked = inputs.findIndex((t) => t.masked);
    if (masked >= 0) {
      const producer = producerOf(node, masked, index);
      report(maskNotSupported(node.span, labelOf(layer), producer, expansionNotes(node.expandedFrom)));
      return null;
    }
  }
  const ctx = new NodeShapeContext(node, layer, index, report);
  const outputs = runShapeRule(def, layer, inputs, ctx, node, report);
  if (!outputs || ctx.reported) return null;
  if (outputs.length !== node.outputs.length) {
    report(unpackCountMismatch(node.span, layer.type, outputs.length, node.outputs.length));
    return null;
  }
  return outputs;
}

/** A shape rule that throws is a kerasc bug; it becomes a diagnostic instead of a crash. */
function runShapeRule(
  def: LayerDef,
  layer: LayerInstance,
  inputs: readonly TensorType[],
  ctx: NodeShapeContext,
  node: IRNode,
  report: (d: Diagnostic) => void,
): readonly TensorType[] | null {
  try {
    const outputs = def.inferOutputs(layer.args, inputs, ctx);
    if (!outputs && !ctx.reported)
      report(shapeRuleFailed(node.span, labelOf(layer), "no output shape and no reason"));
    return outputs;
  } catch (error) {
    report(
      shapeRuleFailed(node.span, labelOf(layer), error instanceof Error ? error.message : String(error)),
    );
    return null;
  }
}
