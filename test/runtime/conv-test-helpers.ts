// Helpers for the convolutional, pooling and locally-connected parity suites: a one-layer TF.js twin with the
// model's weights, and independent references written as plain loops over flat arrays (channels-last unless
// stated) for what TF.js layers lacks.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { expect } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";
import { expectClose, type Lowered, lowerOne, randomInputs } from "./executor-helpers.js";

/** `sequential m(input_shape=shape) { layer }`, lowered. */
export function single(shape: string, layer: string): Lowered {
  return lowerOne(`sequential m(input_shape=${shape}) { ${layer} }`);
}

/** Seeded weights in [-1, 1) for every weight of the program. */
export function seededWeights(program: Program, seed = 5): Map<string, Float32Array> {
  return new Map(
    program.weights.map((w) => [
      w.name,
      forKey(seed, w.name).uniform(
        w.shape.reduce((a, b) => a * b, 1),
        -1,
        1,
      ),
    ]),
  );
}

/** A flat array with its shape. */
export interface Array_ {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/** The result of running a one-input model on seeded inputs: input, weights and output as plain arrays. */
export interface Run {
  readonly x: Array_;
  readonly weights: ReadonlyMap<string, Array_>;
  readonly y: Array_;
}

/** Runs the model on `backend` with seeded weights and one seeded input; checks that no tensor leaks. */
export async function runOurs(lowered: Lowered, backend: BackendName): Promise<Run> {
  const { program } = lowered;
  const values = seededWeights(program);
  const model = await loadModel(program, { backend, weights: values });
  const start = tf.memory().numTensors;
  const [x] = randomInputs(program);
  const [y] = model.predict([x!]);
  const result = { data: y!.dataSync().slice(), shape: y!.shape };
  tf.dispose(y!);
  expect(tf.memory().numTensors).toBe(start);
  model.dispose();
  const weights = new Map(
    program.weights.map((w) => [w.name.split("/")[1]!, { data: values.get(w.name)!, shape: w.shape }]),
  );
  return { x: x!, weights, y: result };
}

/** Compares a run's output with a reference (shape and values, SPEC §7 tolerance). */
export function expectMatches(run: Run, expected: Array_): void {
  expect(run.y.shape).toEqual(expected.shape);
  const actual = tf.tensor(Float32Array.from(run.y.data), [...run.y.shape]);
  expectClose(actual, expected.data);
  actual.dispose();
}

/**
 * Parity with one TF.js layers layer over the model's input, the same weights and inputs; no leaks. The
 * twin always runs on cpu (TF.js's reference backend: on wasm both would share a wrong kernel). With
 * `viaChannelsLast` the twin is the channels_last layer, fed the input transposed, its output transposed
 * back (for channels_first configurations TF.js layers gets wrong).
 */
export async function expectTwin(
  lowered: Lowered,
  twin: tfl.layers.Layer,
  backend: BackendName,
  options: { readonly viaChannelsLast?: boolean } = {},
): Promise<void> {
  const { program } = lowered;
  const weights = seededWeights(program);
  const model = await loadModel(program, { backend, weights });
  expect(model.backend).toBe(backend);
  const [data] = randomInputs(program);
  const x = tf.tensor(data!.data, data!.shape);
  const start = tf.memory().numTensors;
  const [ours] = model.predict([x]);
  expect(tf.memory().numTensors).toBe(start + 1);
  const actual = { data: ours!.dataSync().slice(), shape: ours!.shape };
  tf.dispose([x, ours!]);
  model.dispose();

  await selectBackend("cpu");
  const twinInput = options.viaChannelsLast ? toChannelsLast(data!) : data!;
  const input = tfl.input({ shape: twinInput.shape.slice(1) });
  const twinModel = tfl.model({ inputs: input, outputs: twin.apply(input) as tfl.SymbolicTensor });
  const values = program.weights.map((w) => tf.tensor(weights.get(w.name)!, [...w.shape]));
  if (values.length > 0) twin.setWeights(values);
  tf.dispose(values);
  const tx = tf.tensor(twinInput.data, [...twinInput.shape]);
  const theirs = twinModel.predict(tx) as tf.Tensor;
  const raw = { data: theirs.dataSync().slice(), shape: theirs.shape };
  tf.dispose([tx, theirs]);
  twinModel.dispose();
  expectMatches(
    { x: data!, weights: new Map(), y: actual },
    options.viaChannelsLast ? toChannelsFirst(raw) : raw,
  );
}

// ---- plain-loop references -------------------------------------------------------------------------------

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  return strides;
}

/** Calls `fn` with every multi-index of `shape`, row-major. */
export function forEachIndex(shape: readonly number[], fn: (index: number[]) => void): void {
  const total = shape.reduce((a, b) => a * b, 1);
  const strides = stridesOf(shape);
  for (let flat = 0; flat < total; flat++) fn(shape.map((size, i) => Math.floor(flat / strides[i]!) % size));
}

/** The flat offset of a multi-index. */
export function offsetOf(shape: readonly number[], index: readonly number[]): number {
  const strides = stridesOf(shape);
  return index.reduce((sum, i, axis) => sum + i * strides[axis]!, 0);
}

/** A channels_first array as channels-last: (b, c, ...s) → (b, ...s, c). */
export function toChannelsLast(a: Array_): Array_ {
  const [b, c, ...spatial] = a.shape as number[];
  const shape = [b!, ...spatial, c!];
  const data = new Float32Array(a.data.length);
  forEachIndex(a.shape, (i) => {
    data[offsetOf(shape, [i[0]!, ...i.slice(2), i[1]!])] = a.data[offsetOf(a.shape, i)]!;
  });
  return { data, shape };
}

/** A channels-last array as channels_first: (b, ...s, c) → (b, c, ...s). */
export function toChannelsFirst(a: Array_): Array_ {
  const shape = [a.shape[0]!, a.shape[a.shape.length - 1]!, ...a.shape.slice(1, -1)];
  const data = new Float32Array(a.data.length);
  forEachIndex(a.shape, (i) => {
    data[offsetOf(shape, [i[0]!, i[i.length - 1]!, ...i.slice(1, -1)])] = a.data[offsetOf(a.shape, i)]!;
  });
  return { data, shape };
}

/**
 * Convolution from its definition: y[b, o, f] = bias[f] + Σ_t Σ_c x[b, o·s + t·d − padBefore, c] · k[t, c, f]
 * (positions outside the input read 0). Kernel (...window, in, out).
 */
export function convReference(
  x: Array_,
  kernel: Array_,
  bias: Array_ | undefined,
  options: {
    readonly strides: readonly number[];
    readonly dilations: readonly number[];
    readonly padBefore: readonly number[];
    readonly outSpatial: readonly number[];
  },
): Array_ {
  const rank = options.strides.length;
  const window = kernel.shape.slice(0, rank);
  const [inC, outC] = kernel.shape.slice(rank) as [number, number];
  const shape = [x.shape[0]!, ...options.outSpatial, outC];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  forEachIndex(shape, (index) => {
    const [b, ...rest] = index;
    const o = rest.slice(0, rank);
    const f = rest[rank]!;
    let sum = bias ? bias.data[f]! : 0;
    forEachIndex(window, (t) => {
      const at = o.map(
        (oi, i) => oi * options.strides[i]! + t[i]! * options.dilations[i]! - options.padBefore[i]!,
      );
      if (at.some((p, i) => p < 0 || p >= x.shape[i + 1]!)) return;
      for (let c = 0; c < inC; c++) {
        sum +=
          x.data[offsetOf(x.shape, [b!, ...at, c])]! * kernel.data[offsetOf(kernel.shape, [...t, c, f])]!;
      }
    });
    data[offsetOf(shape, index)] = sum;
  });
  return { data, shape };
}

/**
 * Transposed convolution as the scatter it is: every x[b, i, c] adds x · k[t, f, c] to y[b, i·s + t − pad, f],
 * pad = TF's "same" split of max((L − 1)·s + k − O, 0) (before = ⌊total / 2⌋), 0 for "valid".
 */
export function convTransposeReference(
  x: Array_,
  kernel: Array_,
  bias: Array_ | undefined,
  options: {
    readonly strides: readonly number[];
    readonly padding: "valid" | "same";
    readonly outSpatial: readonly number[];
  },
): Array_ {
  const rank = options.strides.length;
  const window = kernel.shape.slice(0, rank);
  const [outC, inC] = kernel.shape.slice(rank) as [number, number];
  const shape = [x.shape[0]!, ...options.outSpatial, outC];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const pad = window.map((k, i) =>
    options.padding === "valid"
      ? 0
      : Math.floor(Math.max((x.shape[i + 1]! - 1) * options.strides[i]! + k - options.outSpatial[i]!, 0) / 2),
  );
  forEachIndex(x.shape.slice(0, -1), ([b, ...i]) => {
    forEachIndex(window, (t) => {
      const at = i.map((ii, axis) => ii * options.strides[axis]! + t[axis]! - pad[axis]!);
      if (at.some((p, axis) => p < 0 || p >= options.outSpatial[axis]!)) return;
      for (let f = 0; f < outC; f++) {
        let sum = 0;
        for (let c = 0; c < inC; c++) {
          sum +=
            x.data[offsetOf(x.shape, [b!, ...i, c])]! * kernel.data[offsetOf(kernel.shape, [...t, f, c])]!;
        }
        data[offsetOf(shape, [b!, ...at, f])]! += sum;
      }
    });
  });
  if (bias) for (let n = 0; n < data.length; n++) data[n]! += bias.data[n % outC]!;
  return { data, shape };
}

/** Zero padding: (before, after) per axis of any rank. */
export function padReference(x: Array_, pads: readonly (readonly [number, number])[]): Array_ {
  const shape = x.shape.map((s, i) => s + pads[i]![0] + pads[i]![1]);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  forEachIndex(x.shape, (i) => {
    data[
      offsetOf(
        shape,
        i.map((v, axis) => v + pads[axis]![0]),
      )
    ] = x.data[offsetOf(x.shape, i)]!;
  });
  return { data, shape };
}

/** Cropping: (before, after) removed per axis. */
export function cropReference(x: Array_, crops: readonly (readonly [number, number])[]): Array_ {
  const shape = x.shape.map((s, i) => s - crops[i]![0] - crops[i]![1]);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  forEachIndex(shape, (i) => {
    data[offsetOf(shape, i)] =
      x.data[
        offsetOf(
          x.shape,
          i.map((v, axis) => v + crops[axis]![0]),
        )
      ]!;
  });
  return { data, shape };
}

/** Nearest upsampling: y[i] = x[⌊i / factor⌋] on every axis. */
export function upsampleReference(x: Array_, factors: readonly number[]): Array_ {
  const shape = x.shape.map((s, i) => s * factors[i]!);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  forEachIndex(shape, (i) => {
    data[offsetOf(shape, i)] =
      x.data[
        offsetOf(
          x.shape,
          i.map((v, axis) => Math.floor(v / factors[axis]!)),
        )
      ]!;
  });
  return { data, shape };
}

/**
 * Pooling from its definition (channels-last): the max or mean over the in-bounds cells of each window
 * o·s + t − padBefore, where TF's "same" pads ⌊max((out − 1)·s + k − L, 0) / 2⌋ before; the padded cells are
 * not counted in the mean.
 */
export function poolReference(
  x: Array_,
  mode: "max" | "avg",
  poolSize: readonly number[],
  strides: readonly number[],
  padding: "valid" | "same",
): Array_ {
  const lengths = x.shape.slice(1, -1);
  const out = lengths.map((l, i) =>
    padding === "same" ? Math.ceil(l / strides[i]!) : Math.floor((l - poolSize[i]!) / strides[i]!) + 1,
  );
  const before = lengths.map((l, i) =>
    padding === "same" ? Math.floor(Math.max((out[i]! - 1) * strides[i]! + poolSize[i]! - l, 0) / 2) : 0,
  );
  const channels = x.shape[x.shape.length - 1]!;
  const shape = [x.shape[0]!, ...out, channels];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  forEachIndex(shape, (index) => {
    const b = index[0]!;
    const c = index[index.length - 1]!;
    const o = index.slice(1, -1);
    let best = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let count = 0;
    forEachIndex(poolSize, (t) => {
      const at = o.map((oi, i) => oi * strides[i]! + t[i]! - before[i]!);
      if (at.some((p, i) => p < 0 || p >= lengths[i]!)) return;
      const v = x.data[offsetOf(x.shape, [b, ...at, c])]!;
      best = Math.max(best, v);
      sum += v;
      count++;
    });
    data[offsetOf(shape, index)] = mode === "max" ? best : sum / count;
  });
  return { data, shape };
}

/** Global pooling (channels-last): the max or mean over every spatial position, per channel. */
export function globalPoolReference(x: Array_, mode: "max" | "avg"): Array_ {
  const [batch, channels] = [x.shape[0]!, x.shape[x.shape.length - 1]!];
  const positions = x.data.length / batch / channels;
  const data = new Float32Array(batch * channels);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let sum = 0;
      for (let p = 0; p < positions; p++) {
        const v = x.data[(b * positions + p) * channels + c]!;
        best = Math.max(best, v);
        sum += v;
      }
      data[b * channels + c] = mode === "max" ? best : sum / positions;
    }
  }
  return { data, shape: [batch, channels] };
}

/**
 * Keras 2's local_conv (implementation 1) from its definition: for each output position p (multi-index o),
 * the patch x[b, o·s + t, c] flattened (t, c) for channels_last or (c, t) for channels_first, times the
 * kernel (P, window·in, out), plus the bias (…out, filters) — which channels_first adds as Keras's bias_add
 * does, reshaped (not transposed) to (filters, …out). `x` is in the layer's own layout; so is the result.
 */
export function localConvReference(
  x: Array_,
  kernel: Array_,
  bias: Array_ | undefined,
  kernelSize: readonly number[],
  strides: readonly number[],
  channelsFirst: boolean,
): Array_ {
  const lengths = channelsFirst ? x.shape.slice(2) : x.shape.slice(1, -1);
  const inC = channelsFirst ? x.shape[1]! : x.shape[x.shape.length - 1]!;
  const out = lengths.map((l, i) => Math.floor((l - kernelSize[i]!) / strides[i]!) + 1);
  const positions = out.reduce((a, b) => a * b, 1);
  const taps = kernelSize.reduce((a, b) => a * b, 1);
  const [, features, filters] = kernel.shape as [number, number, number];
  expect(features).toBe(taps * inC);
  const batch = x.shape[0]!;
  const shape = channelsFirst ? [batch, filters, ...out] : [batch, ...out, filters];
  const data = new Float32Array(batch * positions * filters);
  forEachIndex([batch, ...out], ([b, ...o]) => {
    const p = offsetOf(out, o);
    const patch = new Float32Array(features);
    forEachIndex(kernelSize, (t) => {
      const tFlat = offsetOf(kernelSize, t);
      const at = o.map((oi, i) => oi * strides[i]! + t[i]!);
      for (let c = 0; c < inC; c++) {
        const value = x.data[offsetOf(x.shape, channelsFirst ? [b!, c, ...at] : [b!, ...at, c])]!;
        patch[channelsFirst ? c * taps + tFlat : tFlat * inC + c] = value;
      }
    });
    for (let f = 0; f < filters; f++) {
      let sum = 0;
      for (let i = 0; i < features; i++) sum += patch[i]! * kernel.data[(p * features + i) * filters + f]!;
      const target = channelsFirst ? offsetOf(shape, [b!, f, ...o]) : offsetOf(shape, [b!, ...o, f]);
      // channels_first: the bias's flat values read as (filters, …out); channels_last: as (…out, filters).
      const biasValue = bias ? bias.data[channelsFirst ? f * positions + p : p * filters + f]! : 0;
      data[target] = sum + biasValue;
    }
  });
  return { data, shape };
}
