// Parity of one kerasc layer with one TF.js layers layer: the model `sequential m(input_shape=...) { L }`
// against tfl.model(input → twin), the same random weights in both, the same seeded inputs, on a backend.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { expect } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel, type Model } from "../../src/runtime/model.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";
import { expectClose, type Lowered, lowerOne, randomInputs } from "./executor-helpers.js";

/** Random weights for every weight of the program: variances in [0.5, 1.5), the rest in [-1, 1). */
export function randomWeights(program: Program, seed = 3): Map<string, Float32Array> {
  return new Map(
    program.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const values = w.name.endsWith("variance")
        ? forKey(seed, w.name).uniform(size, 0.5, 1.5)
        : forKey(seed, w.name).uniform(size, -1, 1);
      return [w.name, values] as const;
    }),
  );
}

/** A one-layer TF.js model over an input of `shape` (batch excluded) with the model's weights copied in. */
function twinModel(
  twin: tfl.layers.Layer,
  shapes: readonly (readonly number[])[],
  model: Model,
): tfl.LayersModel {
  const inputs = shapes.map((shape) => tfl.input({ shape: [...shape] }));
  const output = twin.apply(inputs.length === 1 ? inputs[0]! : inputs) as tfl.SymbolicTensor;
  const built = tfl.model({ inputs, outputs: output });
  const names = [...model.weights.keys()];
  if (names.length > 0) twin.setWeights(names.map((n) => model.weights.get(n)!));
  return built;
}

/** Loads the lowered model with random weights and compares it with the twin layer on `backend`. */
export async function expectLayerParity(
  lowered: Lowered,
  twin: tfl.layers.Layer,
  backend: BackendName,
  options: { readonly training?: boolean } = {},
): Promise<void> {
  const { program } = lowered;
  const model = await loadModel(program, { backend, weights: randomWeights(program) });
  expect(model.backend).toBe(backend);
  const data = randomInputs(program);
  const twinModelInstance = twinModel(
    twin,
    data.map((d) => d.shape.slice(1)),
    model,
  );
  const x = data.map((d) => tf.tensor(d.data, d.shape));
  const [ours] = model.predict(x, { training: options.training ?? false });
  const theirs = twinModelInstance.predict(x.length === 1 ? x[0]! : x) as tf.Tensor;
  expectClose(ours!, theirs);
  tf.dispose([...x, ours!, theirs]);
  twinModelInstance.dispose();
  model.dispose();
}

/** `sequential m(input_shape=shape) { layer }`, lowered. */
export function oneLayer(shape: string, layer: string): Lowered {
  return lowerOne(`sequential m(input_shape=${shape}) { ${layer} }`);
}
