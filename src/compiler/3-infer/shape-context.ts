// The ShapeContext a layer's shape rule reports through, for one node: each report becomes a diagnostic
// at the node that names the layer, what it expects, what it got, and the upstream layer that produced it.
import type { Graph, IRNode, IRSpan, LayerInstance, TensorType, ValueId } from "../../ir/graph.js";
import { atLine, type LineOf } from "../../ir/locate.js";
import { formatTensorType } from "../../ir/shape-text.js";
import {
  argumentShapeMismatch,
  inputShapeMismatch,
  type LayerLabel,
  type Producer,
} from "../diagnostics/catalogue/shapes.js";
import type { Diagnostic, RelatedLocation } from "../diagnostics/diagnostic.js";
import type { ShapeContext } from "../layers/layer.js";

/** Lookups the reports need, shared by every node of one graph. */
export interface GraphIndex {
  readonly graph: Graph;
  readonly layers: ReadonlyMap<number, LayerInstance>;
  readonly nodes: ReadonlyMap<number, IRNode>;
  readonly producers: ReadonlyMap<ValueId, IRNode>;
  readonly types: ReadonlyMap<ValueId, TensorType | null>;
  readonly lineOf: LineOf;
}

export function indexGraph(
  graph: Graph,
  lineOf: LineOf,
): GraphIndex & { types: Map<ValueId, TensorType | null> } {
  const producers = new Map<ValueId, IRNode>();
  for (const node of graph.nodes) for (const v of node.outputs) producers.set(v, node);
  return {
    graph,
    layers: new Map(graph.layers.map((l) => [l.id, l])),
    nodes: new Map(graph.nodes.map((n) => [n.id, n])),
    producers,
    types: new Map(),
    lineOf,
  };
}

export function labelOf(layer: LayerInstance): LayerLabel {
  return { type: layer.type, name: layer.name };
}

/** "in a block expanded from here" notes, innermost call first. */
export function expansionNotes(spans: readonly IRSpan[]): RelatedLocation[] {
  return [...spans].reverse().map((span) => ({ span, message: "in a block expanded from here" }));
}

/** The layer behind input `index` of `node`, as a message names it. */
export function producerOf(node: IRNode, index: number, index_: GraphIndex): Producer {
  const value = node.inputs[index];
  const producer = value === undefined ? undefined : index_.producers.get(value);
  const layer = producer ? index_.layers.get(producer.layer) : undefined;
  const type = value === undefined ? undefined : index_.types.get(value);
  const span = producer?.span ?? node.span;
  return {
    layer: layer?.name ?? "?",
    where: atLine(index_.lineOf, span, node.span.file),
    shape: type ? formatTensorType(type) : "an unknown shape",
    span,
  };
}

/** A ShapeContext for one node; `reported` tells whether the rule complained. */
export function nodeShapeContext(
  node: IRNode,
  layer: LayerInstance,
  index: GraphIndex,
  report: (d: Diagnostic) => void,
): ShapeContext & { readonly reported: boolean } {
  let reported = false;
  return {
    get reported() {
      return reported;
    },
    inputMismatch(inputIndex, expected, hint) {
      reported = true;
      const which = node.inputs.length > 1 ? inputIndex : undefined;
      const producer = producerOf(node, inputIndex, index);
      const notes = expansionNotes(node.expandedFrom);
      report(inputShapeMismatch(node.span, labelOf(layer), which, expected, producer, hint, notes));
    },
    argumentMismatch(arg, message, hint) {
      reported = true;
      report(
        argumentShapeMismatch(
          layer.span,
          labelOf(layer),
          arg,
          message,
          hint,
          expansionNotes(node.expandedFrom),
        ),
      );
    },
  };
}
