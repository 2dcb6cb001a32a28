// Helpers of the recurrent, mask and wrapper parity suites: a hand-built TF.js layers twin per case, its
// weights copied into kerasc in declaration order (both list each layer's weights in Keras order), inputs
// with masked timesteps, and hand references where TF.js lacks a layer.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { expect } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";
import { expectClose, lowerOne } from "./executor-helpers.js";

/** The twin's weights by kerasc name: positionally, checking each shape. */
export function weightsFromTwin(twin: tfl.LayersModel, program: Program): Map<string, Float32Array> {
  const values = twin.getWeights();
  expect(values.map((v) => v.shape)).toEqual(program.weights.map((w) => [...w.shape]));
  return new Map(program.weights.map((w, i) => [w.name, values[i]!.dataSync() as Float32Array]));
}

/** Seeded values in [-1, 1) with shape `shape`; `zeroSteps` lists [sample, timestep] pairs set to 0. */
export function sequence(
  shape: readonly number[],
  zeroSteps: readonly (readonly [number, number])[] = [],
  seed = 3,
) {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = forKey(seed, "sequence").uniform(size, -1, 1);
  const [, timesteps, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  for (const [b, t] of zeroSteps) data.fill(0, (b * timesteps! + t) * step, (b * timesteps! + t + 1) * step);
  return data;
}

/** Indices in [1, vocabulary) with shape (batch, length); `zeros` lists [sample, position] set to 0. */
export function indices(
  batch: number,
  length: number,
  vocabulary: number,
  zeros: readonly (readonly [number, number])[] = [],
) {
  const values = forKey(5, "indices").uniform(batch * length, 1, vocabulary);
  const data = Int32Array.from(values, (v) => Math.floor(v));
  for (const [b, t] of zeros) data[b * length + t] = 0;
  return data;
}

/** Compiles `source`, loads it with the twin's weights and compares every output with the twin's. */
export async function expectParity(
  source: string,
  makeTwin: () => tfl.LayersModel,
  makeInputs: () => readonly tf.Tensor[],
  backend: BackendName,
): Promise<void> {
  const { program } = lowerOne(source);
  // Loading selects the backend first; the twin and the inputs are created on it.
  const probe = await loadModel(program, { backend });
  probe.dispose();
  const twin = makeTwin();
  const model = await loadModel(program, { backend, weights: weightsFromTwin(twin, program) });
  const inputs = makeInputs();
  const ours = model.predict([...inputs]);
  const predicted = twin.predict(inputs.length === 1 ? inputs[0]! : [...inputs]);
  const theirs = Array.isArray(predicted) ? predicted : [predicted];
  expect(ours.length).toBe(theirs.length);
  ours.forEach((tensor, i) => {
    expectClose(tensor, theirs[i]!);
  });
  tf.dispose([...ours, ...theirs, ...inputs]);
  twin.dispose();
  model.dispose();
}
