// What `kerasc summary` reports for one model: Keras's rows (layer, output shape, params, connected to)
// and totals, plus FLOPs and activation memory per sample and per batch.
import type { DType, Graph, IRNode, IRValue, LayerInstance, Shape, TensorType } from "../../ir/graph.js";
import { layerParamCounts, type ParamCount } from "../3-infer/params.js";
import { getLayerDef } from "../layers/registry.js";
import { knownProduct } from "../layers/shape-utils.js";
import { type KerasNetwork, kerasNetwork } from "./network.js";

export type { ParamCount } from "../3-infer/params.js";

/** A model input or output: its Keras name and shape (null when inference could not type it). */
export interface SummaryTensor {
  readonly name: string;
  readonly shape: Shape | null;
}

/** One entry of Keras's "Connected to" column, printed `dense_1[0][0]`. */
export interface Connection {
  /** The producing layer's name. */
  readonly layer: string;
  /** Which application (call) of that layer produced the tensor. */
  readonly nodeIndex: number;
  /** Which of that application's outputs. */
  readonly tensorIndex: number;
}

/** One row of the summary: a layer, however many times the model applies it. */
export interface LayerSummary {
  readonly name: string;
  /** Keras's class name (`InputLayer` for an Input), as Keras prints it after the layer's name. */
  readonly type: string;
  /**
   * One shape per output tensor, the same for every application of the layer; null when a shared layer's
   * applications produce different shapes (Keras prints "multiple"). An entry is null for an untyped tensor.
   */
  readonly outputShapes: readonly (Shape | null)[] | null;
  /** Counted once for a shared layer, as Keras does; null when a weight's size is unknown. */
  readonly params: ParamCount | null;
  /** FLOPs for one sample over all of the layer's applications (a multiply-add counts 2); null when unknown. */
  readonly flops: number | null;
  /** Bytes of the layer's outputs for one sample over all its applications; null when a dim is not known. */
  readonly activationBytes: number | null;
  /** The inputs of every application, in call order. */
  readonly connectedTo: readonly Connection[];
}

/** Totals for a batch of `batch` samples (parameters do not scale with the batch). */
export interface BatchTotals {
  readonly batch: number;
  readonly flops: number | null;
  readonly activationBytes: number | null;
}

export interface ModelSummary {
  readonly name: string;
  readonly kind: Graph["kind"];
  /**
   * Whether the table has Keras's "Connected to" column: Keras leaves it out for any model whose layers
   * form one chain (one call each, one input each), Sequential or not.
   */
  readonly showConnections: boolean;
  readonly inputs: readonly SummaryTensor[];
  readonly outputs: readonly SummaryTensor[];
  /** Keras's `model.layers` in its order; a Sequential model's implicit InputLayer is not listed. */
  readonly layers: readonly LayerSummary[];
  /** Totals over the model's layers; null when some layer's count is unknown. */
  readonly params: ParamCount | null;
  /** FLOPs for one sample through the whole model; null when some layer's are unknown. */
  readonly flops: number | null;
  /** Bytes of every tensor the model computes for one sample, the inputs included; null when unknown. */
  readonly activationBytes: number | null;
  /** The layers whose FLOPs are unknown (a dimension they depend on is None or symbolic). */
  readonly unknownFlops: readonly string[];
  /** The layers whose output sizes are unknown. */
  readonly unknownActivations: readonly string[];
  /** The totals scaled to `options.batch` samples, when a batch size was given. */
  readonly perBatch: BatchTotals | undefined;
}

export interface SummaryOptions {
  /** Also report FLOPs and activation memory for a batch of this many samples. */
  readonly batch?: number;
}

/** Bytes per element as TensorFlow.js stores them: float32 and int32 in 4, bool in 1. */
const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1 };

/** Summarizes one typed graph. Works on a graph with errors too: what inference could not type is null. */
export function summarizeGraph(graph: Graph, options: SummaryOptions = {}): ModelSummary {
  const network = kerasNetwork(graph);
  const paramCounts = layerParamCounts(graph);
  const all = network.layers.map(({ layer, nodes }) =>
    summarizeLayer(layer, nodes, paramCounts.get(layer.id) ?? null, network),
  );
  // Keras's Sequential lists the layers the user added; the Input it made for them stays implicit.
  const listed = graph.kind === "sequential" ? all.filter((l) => l.type !== KERAS_INPUT_CLASS) : all;
  const flops = sumOrNull(all.map((l) => l.flops));
  const activationBytes = sumOrNull(all.map((l) => l.activationBytes));
  const values = new Map(graph.values.map((v) => [v.id, v]));
  const tensor = (name: (value: IRValue) => string) => (id: number) => {
    const value = values.get(id);
    return { name: value ? name(value) : "?", shape: value?.type?.shape ?? null };
  };
  return {
    name: graph.name,
    kind: graph.kind,
    showConnections: !network.chainLike,
    inputs: graph.inputs.map(tensor((v) => producingLayer(graph, v)?.name ?? v.name)),
    outputs: graph.outputs.map(tensor((v) => outputName(graph, v))),
    layers: listed,
    params: sumParams(all.map((l) => l.params)),
    flops,
    activationBytes,
    unknownFlops: all.filter((l) => l.flops === null).map((l) => l.name),
    unknownActivations: all.filter((l) => l.activationBytes === null).map((l) => l.name),
    perBatch:
      options.batch === undefined
        ? undefined
        : {
            batch: options.batch,
            flops: flops === null ? null : flops * options.batch,
            activationBytes: activationBytes === null ? null : activationBytes * options.batch,
          },
  };
}

/** Keras's class for a model input is InputLayer (`Input()` is a function that makes one). */
const KERAS_INPUT_CLASS = "InputLayer";

function summarizeLayer(
  layer: LayerInstance,
  nodes: readonly IRNode[],
  params: ParamCount | null,
  network: KerasNetwork,
): LayerSummary {
  const outputs = nodes.map((node) => network.outputs(node));
  return {
    name: layer.name,
    type: layer.type === "Input" ? KERAS_INPUT_CLASS : layer.type,
    outputShapes: commonShapes(outputs),
    params,
    flops: sumOrNull(nodes.map((node, i) => nodeFlops(layer, network, node, outputs[i]!))),
    activationBytes: sumOrNull(outputs.flat().map((v) => (v.type ? bytesPerSample(v.type) : null))),
    connectedTo: nodes.flatMap((node) =>
      network.inbound(node).map(({ layer, nodeIndex, tensorIndex }) => ({ layer, nodeIndex, tensorIndex })),
    ),
  };
}

/** The layer definition's FLOPs for one application; null when it is not typed or not a known layer. */
function nodeFlops(
  layer: LayerInstance,
  network: KerasNetwork,
  node: IRNode,
  outputs: readonly IRValue[],
): number | null {
  const def = getLayerDef(layer.type);
  const inputs = network.inbound(node).map((t) => t.value.type);
  const outputTypes = outputs.map((v) => v.type);
  if (!def || !allTyped(inputs) || !allTyped(outputTypes)) return null;
  return def.flops(layer.args, inputs, outputTypes);
}

function allTyped(types: readonly (TensorType | null)[]): types is readonly TensorType[] {
  return types.every((t) => t !== null);
}

/** A tensor's size for one sample: every dimension after the batch must be a known size. */
export function bytesPerSample(type: TensorType): number | null {
  const elements = knownProduct(type.shape.slice(1));
  return elements === null ? null : elements * BYTES_PER_ELEMENT[type.dtype];
}

/**
 * The shapes of some tensors per call of a layer, when every call agrees; null when they differ (Keras
 * then prints "multiple"). An untyped tensor's shape is null.
 */
export function commonShapes(perCall: readonly (readonly IRValue[])[]): readonly (Shape | null)[] | null {
  const shapes = perCall.map((values) => values.map((v) => v.type?.shape ?? null));
  const first = shapes[0] ?? [];
  return shapes.every((s) => sameShapes(s, first)) ? first : null;
}

function sameShapes(a: readonly (Shape | null)[], b: readonly (Shape | null)[]): boolean {
  return (
    a.length === b.length &&
    a.every((shape, i) => {
      const other = b[i];
      if (shape === null || other === null || other === undefined) return shape === other;
      return shape.length === other.length && shape.every((d, j) => d === other[j]);
    })
  );
}

function sumOrNull(items: readonly (number | null)[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item === null) return null;
    total += item;
  }
  return total;
}

function sumParams(counts: readonly (ParamCount | null)[]): ParamCount | null {
  const trainable = sumOrNull(counts.map((c) => c?.trainable ?? null));
  const nonTrainable = sumOrNull(counts.map((c) => c?.nonTrainable ?? null));
  if (trainable === null || nonTrainable === null) return null;
  return { trainable, nonTrainable, total: trainable + nonTrainable };
}

function producingLayer(graph: Graph, value: IRValue): LayerInstance | undefined {
  const node = graph.nodes.find((n) => n.id === value.producer);
  return node && graph.layers.find((l) => l.id === node.layer);
}

/** Keras names a model output after its layer; one of a layer's several outputs gets `_<index>` too. */
function outputName(graph: Graph, value: IRValue): string {
  const layer = producingLayer(graph, value);
  if (!layer) return value.name;
  const node = graph.nodes.find((n) => n.id === value.producer);
  return node && node.outputs.length > 1 ? `${layer.name}_${value.outputIndex}` : layer.name;
}
