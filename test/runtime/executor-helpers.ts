// Test helpers for the executor suites: compile and lower .kml text, seeded inputs, and the TF.js layers twin
// of a typed graph (the parity reference) with weights copied in either direction.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { expect } from "vitest";
import { randomIndices } from "../../cli/commands/run.js";
import { lowerProgram } from "../../src/compiler/5-lower/lower.js";
import { compile } from "../../src/compiler/index.js";
import type { ArgValue, Graph, LayerInstance } from "../../src/ir/graph.js";
import { nodeHost } from "../../src/node-host.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel, type Model } from "../../src/runtime/model.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";

export const SAMPLES = join(import.meta.dirname, "../../samples");

/** A model compiled and lowered: its typed graph and its runtime program. */
export interface Lowered {
  readonly graph: Graph;
  readonly program: Program;
}

/** Compiles and lowers .kml text (imports resolved from `fileName`); fails the test on any diagnostic. */
export function lowerSource(source: string, fileName = "test.kml"): Lowered[] {
  const compiled = compile(source, { fileName, host: nodeHost });
  expect(compiled.diagnostics).toEqual([]);
  const lowered = lowerProgram(compiled.ir!);
  expect(lowered.diagnostics).toEqual([]);
  return lowered.graphs.map((g, i) => ({ graph: compiled.ir!.graphs[i]!, program: g.program! }));
}

/** The single model of a source. */
export function lowerOne(source: string): Lowered {
  const [only] = lowerSource(source);
  return only!;
}

/** Every model of samples/<name>.kml. */
export function lowerSample(name: string): Lowered[] {
  const path = join(SAMPLES, `${name}.kml`);
  return lowerSource(readFileSync(path, "utf8"), path);
}

/** Size given to symbolic dims (`T`) and to the batch in generated inputs. */
export const SYMBOL_SIZE = 5;
export const BATCH = 3;

/** The sizes `randomInputs` gives the dims a program input leaves unknown (None or symbolic). */
export interface InputSizes {
  /** The batch axis (axis 0) when it is unknown. */
  readonly batch: number;
  /** Every other unknown axis (timesteps, `T`). */
  readonly unknown: number;
}

/**
 * Seeded values for each program input, unknown dims sized by `sizes` (default batch 3, others 5): uniform
 * in [-2, 2) for float32 inputs; for int32 ones, indices as `kerasc run` draws them (integers in
 * [0, randomIndexLimit), valid for every Embedding of the program).
 */
export function randomInputs(
  program: Program,
  seed = 1,
  sizes: InputSizes = { batch: BATCH, unknown: SYMBOL_SIZE },
): { data: Float32Array | Int32Array; shape: number[] }[] {
  return program.inputs.map((input) => {
    const shape = input.shape.map((d, axis) =>
      typeof d === "number" ? d : axis === 0 ? sizes.batch : sizes.unknown,
    );
    const size = shape.reduce((a, b) => a * b, 1);
    const stream = forKey(seed, `input/${input.name}`);
    const data = input.dtype === "int32" ? randomIndices(program, stream, size) : stream.uniform(size, -2, 2);
    return { data, shape };
  });
}

/** The largest absolute difference between two equally long arrays. */
export function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

/** SPEC §7: max abs error ≤ 1e-4 relative to the output's scale (max |value|, at least 1). */
export function expectClose(
  actual: tf.Tensor,
  expected: tf.Tensor | ArrayLike<number>,
  tolerance = 1e-4,
): void {
  const want = expected instanceof tf.Tensor ? expected.dataSync() : expected;
  if (expected instanceof tf.Tensor) expect(actual.shape).toEqual(expected.shape);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  expect(maxAbsError(actual.dataSync(), want)).toBeLessThanOrEqual(tolerance * scale);
}

/** Keras activation names as TF.js layers spells them; `exponential` has no TF.js layers counterpart. */
const TFJS_ACTIVATIONS: Record<string, string> = { hard_sigmoid: "hardSigmoid" };

type TfjsActivation = Parameters<typeof tfl.layers.activation>[0]["activation"];

function tfjsActivation(name: ArgValue | undefined): TfjsActivation {
  const keras = String(name);
  return (TFJS_ACTIVATIONS[keras] ?? keras) as TfjsActivation;
}

/** Subtract, which TF.js layers lacks: a minimal layer computing a - b with tf.sub, for whole-model twins. */
class SubtractTwin extends tfl.layers.Layer {
  static readonly className = "SubtractTwin";
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [a, b] = inputs as tf.Tensor[];
    return tf.sub(a!, b!);
  }
  override computeOutputShape(shapes: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (shapes as tfl.Shape[])[0]!;
  }
}

/** TF.js layers' data format for a Keras data_format argument. */
const twinFormat = (format: ArgValue | undefined) =>
  format === "channels_first" ? ("channelsFirst" as const) : ("channelsLast" as const);

type ConvTwinArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** The TF.js layers arguments shared by the convolutions, from kerasc's (Keras-spelled) ones. */
function convTwinArgs(a: Readonly<Record<string, ArgValue>>): ConvTwinArgs {
  return {
    filters: a.filters as number,
    kernelSize: [...(a.kernel_size as number[])],
    strides: [...(a.strides as number[])],
    padding: a.padding as "valid" | "same" | "causal",
    dataFormat: twinFormat(a.data_format),
    ...(a.dilation_rate ? { dilationRate: [...(a.dilation_rate as number[])] } : {}),
    activation: tfjsActivation(a.activation),
    useBias: a.use_bias as boolean,
  } as ConvTwinArgs;
}

type TwinFactory = (args: Readonly<Record<string, ArgValue>>, name: string) => tfl.layers.Layer;

/** TF.js layers constructors for the core and merge layers, from kerasc's (Keras-spelled) arguments. */
const TWIN_FACTORIES: Record<string, TwinFactory> = {
  Dense: (a, name) =>
    tfl.layers.dense({
      name,
      units: a.units as number,
      activation: tfjsActivation(a.activation),
      useBias: a.use_bias as boolean,
    }),
  Activation: (a, name) => tfl.layers.activation({ name, activation: tfjsActivation(a.activation) }),
  Dropout: (a, name) => tfl.layers.dropout({ name, rate: a.rate as number }),
  Flatten: (a, name) =>
    tfl.layers.flatten({
      name,
      dataFormat: a.data_format === "channels_first" ? "channelsFirst" : "channelsLast",
    }),
  Reshape: (a, name) => tfl.layers.reshape({ name, targetShape: [...(a.target_shape as number[])] }),
  Permute: (a, name) => tfl.layers.permute({ name, dims: [...(a.dims as number[])] }),
  RepeatVector: (a, name) => tfl.layers.repeatVector({ name, n: a.n as number }),
  Add: (_a, name) => tfl.layers.add({ name }),
  Subtract: (_a, name) => new SubtractTwin({ name }),
  Multiply: (_a, name) => tfl.layers.multiply({ name }),
  Average: (_a, name) => tfl.layers.average({ name }),
  Maximum: (_a, name) => tfl.layers.maximum({ name }),
  Minimum: (_a, name) => tfl.layers.minimum({ name }),
  Concatenate: (a, name) => tfl.layers.concatenate({ name, axis: a.axis as number }),
  // Convolutional layers (the conv_* samples).
  Conv1D: (a, name) => tfl.layers.conv1d({ name, ...convTwinArgs(a) }),
  Conv2D: (a, name) => tfl.layers.conv2d({ name, ...convTwinArgs(a) }),
  SeparableConv2D: (a, name) =>
    tfl.layers.separableConv2d({ name, ...convTwinArgs(a), depthMultiplier: a.depth_multiplier as number }),
  DepthwiseConv2D: (a, name) => {
    const { filters: _filters, ...rest } = convTwinArgs(a);
    return tfl.layers.depthwiseConv2d({
      name,
      ...(rest as Parameters<typeof tfl.layers.depthwiseConv2d>[0]),
      depthMultiplier: a.depth_multiplier as number,
    });
  },
  Conv2DTranspose: (a, name) => tfl.layers.conv2dTranspose({ name, ...convTwinArgs(a) }),
  ZeroPadding2D: (a, name) =>
    tfl.layers.zeroPadding2d({
      name,
      padding: a.padding as [[number, number], [number, number]],
      dataFormat: twinFormat(a.data_format),
    }),
  UpSampling2D: (a, name) =>
    tfl.layers.upSampling2d({
      name,
      size: [...(a.size as number[])],
      dataFormat: twinFormat(a.data_format),
      interpolation: a.interpolation as "nearest" | "bilinear",
    }),
  Cropping2D: (a, name) =>
    tfl.layers.cropping2D({
      name,
      cropping: a.cropping as [[number, number], [number, number]],
      dataFormat: twinFormat(a.data_format),
    }),
};

/** Whether every layer of the graph has a TF.js layers twin (and is not an activation TF.js lacks). */
export function hasTwin(graph: Graph): boolean {
  return graph.layers.every(
    (l) =>
      (l.type === "Input" || l.type in TWIN_FACTORIES) &&
      l.args.activation !== "exponential" &&
      l.args.noise_shape == null &&
      l.args.padding !== "causal", // TF.js layers' Conv1D lacks causal padding
  );
}

/** The TF.js layers model with the graph's structure: one layer object per layer instance (shared stays shared). */
export function buildTwin(graph: Graph): tfl.LayersModel {
  const layers = new Map(graph.layers.map((l) => [l.id, l]));
  const twins = new Map<number, tfl.layers.Layer>();
  const symbolic = new Map<number, tfl.SymbolicTensor>();
  for (const node of graph.nodes) {
    const layer = layers.get(node.layer)!;
    const [output] = node.outputs;
    if (layer.type === "Input") {
      const type = graph.values.find((v) => v.id === output)!.type!;
      const shape = type.shape.slice(1).map((d) => (typeof d === "number" ? d : null));
      symbolic.set(output!, tfl.input({ shape, dtype: type.dtype === "int32" ? "int32" : "float32" }));
      continue;
    }
    const twin = twins.get(layer.id) ?? twinOf(layer);
    twins.set(layer.id, twin);
    const inputs = node.inputs.map((id) => symbolic.get(id)!);
    const applied = twin.apply(inputs.length === 1 ? inputs[0]! : inputs) as tfl.SymbolicTensor;
    symbolic.set(output!, applied);
  }
  return tfl.model({
    inputs: graph.inputs.map((id) => symbolic.get(id)!),
    outputs: graph.outputs.map((id) => symbolic.get(id)!),
  });
}

function twinOf(layer: LayerInstance): tfl.layers.Layer {
  const factory = TWIN_FACTORIES[layer.type];
  if (!factory) throw new Error(`no TF.js layers twin for ${layer.type}`);
  return factory(layer.args, layer.name);
}

/** The twin's weights by kerasc name ("dense_1/kernel"), from each layer's weights in Keras order. */
export function twinWeights(twin: tfl.LayersModel, program: Program): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const layer of twin.layers) {
    const names = program.weights.filter((w) => w.name.startsWith(`${layer.name}/`)).map((w) => w.name);
    layer.getWeights().forEach((tensor, i) => {
      values.set(names[i]!, tensor.dataSync() as Float32Array);
    });
  }
  return values;
}

/** Sets the twin's weights to the model's, layer by layer in Keras order. */
export function setTwinWeights(twin: tfl.LayersModel, model: Model, program: Program): void {
  for (const layer of twin.layers) {
    const names = program.weights.filter((w) => w.name.startsWith(`${layer.name}/`)).map((w) => w.name);
    if (names.length > 0) layer.setWeights(names.map((n) => model.weights.get(n)!));
  }
}

/**
 * Runs the model and its TF.js layers twin on the same seeded inputs with the same weights, copied both
 * ways (kerasc's seeded initial weights into the twin, then the twin's own into kerasc), and compares
 * every output on `backend`.
 */
export async function expectTwinParity(lowered: Lowered, backend: BackendName): Promise<void> {
  const { graph, program } = lowered;
  const inputs = randomInputs(program);
  const feed = () => inputs.map((i) => tf.tensor(i.data, i.shape, program.inputs[0]?.dtype));

  // Loading selects the backend; the twin creates its weights on it.
  const ours = await loadModel(program, { backend, seed: 7 });
  expect(ours.backend).toBe(backend);
  const twin = buildTwin(graph);
  setTwinWeights(twin, ours, program);
  compareOutputs(ours, twin, feed);
  ours.dispose();

  const fromTwin = await loadModel(program, { backend, weights: twinWeights(twin, program) });
  compareOutputs(fromTwin, twin, feed);
  fromTwin.dispose();
  twin.dispose();
}

function compareOutputs(model: Model, twin: tfl.LayersModel, feed: () => tf.Tensor[]): void {
  const x = feed();
  const ours = model.predict(x);
  const predicted = twin.predict(x.length === 1 ? x[0]! : x);
  const theirs = Array.isArray(predicted) ? predicted : [predicted];
  expect(ours.length).toBe(theirs.length);
  ours.forEach((tensor, i) => {
    expectClose(tensor, theirs[i]!);
  });
  tf.dispose([...x, ...ours, ...theirs]);
}
