// The reference side of the inference benchmark: a TF.js layers model with the same architecture as a
// kerasc model, built from kerasc's typed IR (one TF.js layer per layer instance, named alike), and the
// kerasc weights copied into it by Keras weight name ("<layer>/<weight>", each layer's weights in Keras
// order, which TF.js layers shares). Only the layers and arguments the benchmark models use are supported;
// anything else throws rather than building a twin that computes something different.
//
// The test suite's twin builder (test/runtime/executor-helpers.ts) covers core, merge and convolutional
// layers but not BatchNormalization, pooling, Embedding or LSTM, and it imports vitest; this module has
// no test dependency, so the tests can import its factories once they need these layers too.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import {
  type ArgValue,
  compile,
  type Graph,
  hasErrors,
  type LayerInstance,
  renderDiagnosticsText,
} from "../src/index.js";

/** The typed graph of a source defining one model (what the twin is built from). */
export function typedGraph(source: string, fileName: string): Graph {
  const compiled = compile(source, { fileName });
  if (hasErrors(compiled.diagnostics) || !compiled.ir) {
    throw new Error(
      `${fileName} does not compile:\n${renderDiagnosticsText(compiled.diagnostics, compiled.sources, { color: false })}`,
    );
  }
  const [only, ...more] = compiled.ir.graphs;
  if (!only || more.length > 0) throw new Error(`${fileName} must define exactly one model`);
  return only;
}

type Args = Readonly<Record<string, ArgValue>>;
type TfjsActivation = Parameters<typeof tfl.layers.activation>[0]["activation"];

/** Keras activation names TF.js layers spells differently. */
const ACTIVATIONS: Record<string, string> = { hard_sigmoid: "hardSigmoid" };

function activation(name: ArgValue | undefined): TfjsActivation {
  const keras = String(name);
  if (keras === "exponential") throw new Error("TF.js layers has no exponential activation");
  return (ACTIVATIONS[keras] ?? keras) as TfjsActivation;
}

/** Fails when an argument has a value the twin does not reproduce. */
function expectArg(layer: string, args: Args, key: string, allowed: readonly ArgValue[]): void {
  const value = args[key] ?? null;
  if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
    throw new Error(`the TF.js twin of ${layer} does not support ${key}=${JSON.stringify(value)}`);
  }
}

function channelsLast(layer: string, args: Args): "channelsLast" {
  expectArg(layer, args, "data_format", ["channels_last", null]);
  return "channelsLast";
}

const ints = (value: ArgValue | undefined): number[] => [...(value as number[])];

type ConvArgs = Parameters<typeof tfl.layers.conv2d>[0];

function convArgs(name: string, a: Args): ConvArgs {
  expectArg(name, a, "dilation_rate", [[1, 1], null]);
  return {
    name,
    filters: a.filters as number,
    kernelSize: ints(a.kernel_size),
    strides: ints(a.strides),
    padding: a.padding as "valid" | "same",
    dataFormat: channelsLast(name, a),
    activation: activation(a.activation),
    useBias: a.use_bias as boolean,
  };
}

type Factory = (a: Args, name: string) => tfl.layers.Layer;

/** TF.js layers constructors from kerasc's (Keras-spelled, defaulted) arguments. */
const FACTORIES: Record<string, Factory> = {
  Dense: (a, name) =>
    tfl.layers.dense({
      name,
      units: a.units as number,
      activation: activation(a.activation),
      useBias: a.use_bias as boolean,
    }),
  Dropout: (a, name) => tfl.layers.dropout({ name, rate: a.rate as number }),
  Activation: (a, name) => tfl.layers.activation({ name, activation: activation(a.activation) }),
  ReLU: (a, name) => {
    expectArg(name, a, "negative_slope", [0]);
    expectArg(name, a, "threshold", [0]);
    return tfl.layers.reLU({ name, ...(a.max_value == null ? {} : { maxValue: a.max_value as number }) });
  },
  Flatten: (a, name) => tfl.layers.flatten({ name, dataFormat: channelsLast(name, a) }),
  Add: (_a, name) => tfl.layers.add({ name }),
  Conv2D: (a, name) => tfl.layers.conv2d(convArgs(name, a)),
  Conv2DTranspose: (a, name) => {
    expectArg(name, a, "output_padding", [null]);
    return tfl.layers.conv2dTranspose(convArgs(name, a));
  },
  BatchNormalization: (a, name) => {
    expectArg(name, a, "axis", [-1, 3]);
    return tfl.layers.batchNormalization({
      name,
      momentum: a.momentum as number,
      epsilon: a.epsilon as number,
      center: a.center as boolean,
      scale: a.scale as boolean,
    });
  },
  MaxPooling2D: (a, name) =>
    tfl.layers.maxPooling2d({
      name,
      poolSize: ints(a.pool_size) as [number, number],
      ...(a.strides == null ? {} : { strides: ints(a.strides) as [number, number] }),
      padding: a.padding as "valid" | "same",
      dataFormat: channelsLast(name, a),
    }),
  GlobalAveragePooling2D: (a, name) =>
    tfl.layers.globalAveragePooling2d({ name, dataFormat: channelsLast(name, a) }),
  UpSampling2D: (a, name) =>
    tfl.layers.upSampling2d({
      name,
      size: ints(a.size),
      dataFormat: channelsLast(name, a),
      interpolation: a.interpolation as "nearest" | "bilinear",
    }),
  Embedding: (a, name) => {
    expectArg(name, a, "mask_zero", [false]);
    return tfl.layers.embedding({
      name,
      inputDim: a.input_dim as number,
      outputDim: a.output_dim as number,
    });
  },
  LSTM: (a, name) => {
    for (const flag of ["return_state", "go_backwards", "stateful"]) expectArg(name, a, flag, [false]);
    expectArg(name, a, "dropout", [0]);
    expectArg(name, a, "recurrent_dropout", [0]);
    return tfl.layers.lstm({
      name,
      units: a.units as number,
      activation: activation(a.activation),
      recurrentActivation: activation(a.recurrent_activation),
      useBias: a.use_bias as boolean,
      returnSequences: a.return_sequences as boolean,
      unroll: a.unroll as boolean,
      // TF.js's default Orthogonal initializer fails in Node; the weights are overwritten anyway.
      recurrentInitializer: "glorotUniform",
    });
  },
};

function twinOf(layer: LayerInstance): tfl.layers.Layer {
  const factory = FACTORIES[layer.type];
  if (!factory) throw new Error(`no TF.js layers twin for ${layer.type} (${layer.name})`);
  return factory(layer.args, layer.name);
}

/** The TF.js layers model with the graph's structure, on whichever backend tfjs-core has active. */
export function buildTwin(graph: Graph): tfl.LayersModel {
  const layers = new Map(graph.layers.map((l) => [l.id, l]));
  const values = new Map(graph.values.map((v) => [v.id, v]));
  const twins = new Map<number, tfl.layers.Layer>();
  const symbolic = new Map<number, tfl.SymbolicTensor>();
  for (const node of graph.nodes) {
    const layer = layers.get(node.layer)!;
    if (node.outputs.length !== 1) throw new Error(`${layer.name}: the twin supports one output per layer`);
    const output = node.outputs[0]!;
    if (layer.type === "Input") {
      const type = values.get(output)!.type!;
      const shape = type.shape.slice(1).map((d) => (typeof d === "number" ? d : null));
      symbolic.set(output, tfl.input({ shape, dtype: type.dtype === "int32" ? "int32" : "float32" }));
      continue;
    }
    const twin = twins.get(layer.id) ?? twinOf(layer);
    twins.set(layer.id, twin);
    const inputs = node.inputs.map((id) => symbolic.get(id)!);
    symbolic.set(output, twin.apply(inputs.length === 1 ? inputs[0]! : inputs) as tfl.SymbolicTensor);
  }
  return tfl.model({
    name: graph.name,
    inputs: graph.inputs.map((id) => symbolic.get(id)!),
    outputs: graph.outputs.map((id) => symbolic.get(id)!),
  });
}

/**
 * Sets every twin layer's weights from `weights` (Keras names, each layer's in Keras order). Throws when a
 * size differs or when a weight is left over or missing: the twin must compute with exactly these weights.
 */
export function setTwinWeights(
  twin: tfl.LayersModel,
  weights: ReadonlyMap<string, Float32Array | Int32Array>,
): void {
  const used = new Set<string>();
  for (const layer of twin.layers) {
    const names = [...weights.keys()].filter((n) => n.startsWith(`${layer.name}/`));
    const own = layer.weights;
    if (names.length !== own.length) {
      throw new Error(
        `${layer.name}: kerasc has ${names.length} weights (${names.join(", ")}), TF.js layers ${own.length}`,
      );
    }
    if (names.length === 0) continue;
    const tensors = names.map((name, i) => {
      const values = weights.get(name)!;
      const shape = own[i]!.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      if (values.length !== size) {
        throw new Error(
          `${name}: ${values.length} values, but TF.js's weight has shape (${shape.join(", ")})`,
        );
      }
      used.add(name);
      return tf.tensor(values, shape, own[i]!.dtype);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  const unused = [...weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`no TF.js layer took the weights ${unused.join(", ")}`);
}
