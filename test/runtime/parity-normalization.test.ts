// BatchNormalization and LayerNormalization on cpu and wasm: parity with TF.js layers at inference (moving
// statistics, any axis, channels_first's axis 1, without center or scale), and BatchNormalization's
// training-mode batch statistics against a plain loop over the arrays.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, randomInputs } from "./executor-helpers.js";
import { expectLayerParity, oneLayer, randomWeights } from "./layer-parity-helpers.js";

const TWIN_CASES: readonly (readonly [string, string, () => tfl.layers.Layer])[] = [
  ["(6,)", "BatchNormalization()", () => tfl.layers.batchNormalization({})],
  ["(3, 4, 2)", "BatchNormalization()", () => tfl.layers.batchNormalization({})],
  ["(4, 5)", "BatchNormalization(epsilon=0.1)", () => tfl.layers.batchNormalization({ epsilon: 0.1 })],
  ["(4, 5)", "BatchNormalization(center=False)", () => tfl.layers.batchNormalization({ center: false })],
  ["(4, 5)", "BatchNormalization(scale=False)", () => tfl.layers.batchNormalization({ scale: false })],
  [
    "(4, 5)",
    "BatchNormalization(center=False, scale=False)",
    () => tfl.layers.batchNormalization({ center: false, scale: false }),
  ],
  ["(6,)", "LayerNormalization()", () => tfl.layers.layerNormalization({})],
  ["(3, 4, 2)", "LayerNormalization()", () => tfl.layers.layerNormalization({})],
  [
    "(3, 4, 2)",
    "LayerNormalization(axis=[1, 2, 3])",
    () => tfl.layers.layerNormalization({ axis: [1, 2, 3] }),
  ],
  ["(3, 4, 2)", "LayerNormalization(axis=[-2, -1])", () => tfl.layers.layerNormalization({ axis: [-2, -1] })],
  [
    "(4, 5)",
    "LayerNormalization(epsilon=0.5, center=False)",
    () => tfl.layers.layerNormalization({ epsilon: 0.5, center: false }),
  ],
  ["(4, 5)", "LayerNormalization(scale=False)", () => tfl.layers.layerNormalization({ scale: false })],
];

describe.each<BackendName>(["cpu", "wasm"])("normalization on %s", (backend) => {
  it.each(TWIN_CASES)("%s %s matches TF.js layers", async (shape, layer, twin) => {
    await expectLayerParity(oneLayer(shape, layer), twin(), backend);
  });

  // TF.js layers' inference on another axis than the last runs tf.batchNorm with broadcast-shaped
  // statistics, which its kernels index as if they were per last-axis position: a plain loop instead.
  it.each([
    ["(3, 4, 2)", 1],
    ["(4, 5)", -2],
    ["(2, 3, 2, 2)", 2],
  ] as const)(
    "BatchNormalization on %s, axis %i, at inference uses the moving statistics (a plain loop)",
    async (shape, axis) => {
      const { program } = oneLayer(shape, `BatchNormalization(axis=${axis}, epsilon=0.1)`);
      const weights = randomWeights(program);
      const w = (name: string) => weights.get(`batch_normalization_1/${name}`)!;
      const model = await loadModel(program, { backend, weights });
      const [input] = randomInputs(program);
      const dims = input!.shape;
      const at = axis < 0 ? dims.length + axis : axis;
      const stride = dims.slice(at + 1).reduce((a, b) => a * b, 1);
      const feature = (i: number) => Math.floor(i / stride) % dims[at]!;
      const expected = Array.from(input!.data, (v, i) => {
        const f = feature(i);
        return (
          ((v - w("moving_mean")[f]!) / Math.sqrt(w("moving_variance")[f]! + 0.1)) * w("gamma")[f]! +
          w("beta")[f]!
        );
      });
      const [y] = model.predict([input!]);
      expectClose(y!, expected, 1e-5);
      tf.dispose(y!);
      model.dispose();
    },
  );

  it("BatchNormalization in training normalises by the batch's statistics over every axis but `axis`", async () => {
    // channels_first: features on axis 1 of (batch 3, 2 features, 4 steps).
    const { program } = oneLayer("(2, 4)", "BatchNormalization(axis=1, epsilon=0.01)");
    const weights = randomWeights(program);
    const gamma = weights.get("batch_normalization_1/gamma")!;
    const beta = weights.get("batch_normalization_1/beta")!;
    const model = await loadModel(program, { backend, weights });
    const [input] = randomInputs(program);
    const x = input!.data;
    const feature = (i: number) => Math.floor(i / 4) % 2;
    const stats = [0, 1].map((f) => {
      const values = Array.from(x).filter((_, i) => feature(i) === f);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
      return { mean, variance };
    });
    const expected = Array.from(x, (v, i) => {
      const { mean, variance } = stats[feature(i)]!;
      return ((v - mean) / Math.sqrt(variance + 0.01)) * gamma[feature(i)]! + beta[feature(i)]!;
    });
    const [trained] = model.predict([input!], { training: true });
    expectClose(trained!, expected, 1e-5);
    // The moving statistics are neither used in training nor updated by it: inference is unchanged.
    const [before] = model.predict([input!]);
    const [after] = model.predict([input!]);
    expectClose(after!, before!.dataSync(), 0);
    const mean = weights.get("batch_normalization_1/moving_mean")!;
    const variance = weights.get("batch_normalization_1/moving_variance")!;
    const inference = Array.from(x, (v, i) => {
      const f = feature(i);
      return ((v - mean[f]!) / Math.sqrt(variance[f]! + 0.01)) * gamma[f]! + beta[f]!;
    });
    expectClose(after!, inference, 1e-5);
    tf.dispose([trained!, before!, after!]);
    model.dispose();
  });

  it("LayerNormalization normalises each sample over its axes (a plain loop)", async () => {
    const { program } = oneLayer("(2, 3)", "LayerNormalization(axis=[1, 2], epsilon=0.001)");
    const weights = randomWeights(program);
    const gamma = weights.get("layer_normalization_1/gamma")!;
    const beta = weights.get("layer_normalization_1/beta")!;
    const model = await loadModel(program, { backend, weights });
    const [input] = randomInputs(program);
    const x = input!.data;
    const expected = Array.from(x, (v, i) => {
      const sample = Array.from(x.slice(Math.floor(i / 6) * 6, Math.floor(i / 6) * 6 + 6));
      const mean = sample.reduce((a, b) => a + b, 0) / 6;
      const variance = sample.reduce((a, s) => a + (s - mean) ** 2, 0) / 6;
      return ((v - mean) / Math.sqrt(variance + 0.001)) * gamma[i % 6]! + beta[i % 6]!;
    });
    const [y] = model.predict([input!]);
    expectClose(y!, expected, 1e-5);
    tf.dispose(y!);
    model.dispose();
  });

  it("leaves no tensors behind, in either mode", async () => {
    const { program } = oneLayer("(3, 4, 2)", "BatchNormalization(axis=1)");
    const model = await loadModel(program, { backend });
    const input = randomInputs(program)[0]!;
    const before = tf.memory().numTensors;
    for (const training of [false, true, false]) tf.dispose(model.predict([input], { training }));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
