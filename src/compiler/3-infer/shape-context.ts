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
  /** Each value's producing node; only messages need it, so it is built on first use. */
  readonly producers: ReadonlyMap<ValueId, IRNode>;
  readonly types: ReadonlyMap<ValueId, TensorType | null>;
  readonly lineOf: LineOf;
}

export function indexGraph(
  graph: Graph,
  lineOf: LineOf,
): GraphIndex & { types: Map<ValueId, TensorType | null> } {
  const layers = new Map<number, LayerInstance>();
  for (const layer of graph.layers) layers.set(layer.id, layer);
  let producers: Map<ValueId, IRNode> | undefined;
  return {
    graph,
    layers,
    get producers() {
      producers ??= producersOf(graph);
      return producers;
    },
    types: new Map(),
    lineOf,
  };
}

function producersOf(graph: Graph): Map<ValueId, IRNode> {
  const producers = new Map<ValueId, IRNode>();
  for (const node of graph.nodes) for (const v of node.outputs) producers.set(v, node);
  return producers;
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

/**
 * The ShapeContext of one node; `reported` tells whether the rule complained. A class, not an object of
 * closures: one small object per node instead of five keeps a large graph's inference young-generation only.
 */
export class NodeShapeContext implements ShapeContext {
  reported = false;

  constructor(
    private readonly node: IRNode,
    private readonly layer: LayerInstance,
    private readonly index: GraphIndex,
    private readonly report: (d: Diagnostic) => void,
  ) {}

  inputMismatch(inputIndex: number, expected: string, hint?: string): void {
    this.reported = true;
    const node = this.node;
    const which = node.inputs.length > 1 ? inputIndex : undefined;
    const producer = producerOf(node, inputIndex, this.index);
    const notes = expansionNotes(node.expandedFrom);
    this.report(inputShapeMismatch(node.span, labelOf(this.layer), which, expected, producer, hint, notes));
  }

  argumentMismatch(arg: string, message: string, hint?: string): void {
    this.reported = true;
    const notes = expansionNotes(this.node.expandedFrom);
    this.report(argumentShapeMismatch(this.layer.span, labelOf(this.layer), arg, message, hint, notes));
  }
}
