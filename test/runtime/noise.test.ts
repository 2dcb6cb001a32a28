// The noise layers on cpu and wasm: identities at inference (parity with TF.js layers where it has the
// layer), and in training mode seeded noise with the documented statistics — GaussianNoise's mean and
// standard deviation, GaussianDropout's, AlphaDropout's two values and drop fraction, SpatialDropout's whole
// channels — and ActivityRegularization, the identity.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, randomInputs } from "./executor-helpers.js";
import { expectLayerParity, oneLayer } from "./layer-parity-helpers.js";

function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

/** Runs `layer` over `shape` (batch included) filled with `fill`, in training mode, with the model's seed. */
async function trainingOutput(
  inputShape: string,
  layer: string,
  shape: readonly number[],
  backend: BackendName,
  fill = 1,
  seed = 11,
): Promise<Float32Array> {
  const { program } = oneLayer(inputShape, layer);
  const model = await loadModel(program, { backend, seed });
  const size = shape.reduce((a, b) => a * b, 1);
  const [y] = model.predict([{ data: new Float32Array(size).fill(fill), shape }], { training: true });
  const values = y!.dataSync() as Float32Array;
  tf.dispose(y!);
  model.dispose();
  return values;
}

const IDENTITY_LAYERS = [
  "GaussianNoise(0.5)",
  "GaussianDropout(0.3)",
  "AlphaDropout(0.3)",
  "AlphaDropout(0.3, noise_shape=(None, 1, 5))",
  "SpatialDropout1D(0.5)",
  "ActivityRegularization(l1=0.01, l2=0.02)",
];

describe.each<BackendName>(["cpu", "wasm"])("noise layers on %s", (backend) => {
  it.each(IDENTITY_LAYERS)("%s is the identity at inference", async (layer) => {
    const { program } = oneLayer("(4, 5)", layer);
    const model = await loadModel(program, { backend });
    const [input] = randomInputs(program);
    const [y] = model.predict([input!]);
    expectClose(y!, input!.data, 0);
    tf.dispose(y!);
    model.dispose();
  });

  it.each([
    ["(3, 4, 2)", "SpatialDropout2D(0.5)"],
    ["(3, 4, 2)", 'SpatialDropout2D(0.5, data_format="channels_first")'],
    ["(2, 3, 2, 2)", "SpatialDropout3D(0.5)"],
  ])("%s %s is the identity at inference", async (shape, layer) => {
    const { program } = oneLayer(shape, layer);
    const model = await loadModel(program, { backend });
    const [input] = randomInputs(program);
    const [y] = model.predict([input!]);
    expectClose(y!, input!.data, 0);
    tf.dispose(y!);
    model.dispose();
  });

  it.each([
    ["GaussianNoise(0.5)", () => tfl.layers.gaussianNoise({ stddev: 0.5 })],
    ["GaussianDropout(0.3)", () => tfl.layers.gaussianDropout({ rate: 0.3 })],
    ["AlphaDropout(0.3)", () => tfl.layers.alphaDropout({ rate: 0.3 })],
  ] as const)("%s matches TF.js layers at inference", async (layer, twin) => {
    await expectLayerParity(oneLayer("(6,)", layer), twin(), backend);
  });

  it("GaussianNoise adds zero-mean noise of the given stddev in training, seeded", async () => {
    const values = await trainingOutput("(100,)", "GaussianNoise(0.5)", [200, 100], backend, 1);
    const { mean, std } = meanStd(values.map((v) => v - 1));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
    // The same model seed gives the same noise; another seed other noise.
    const again = await trainingOutput("(100,)", "GaussianNoise(0.5)", [200, 100], backend, 1);
    expect(again).toEqual(values);
    const other = await trainingOutput("(100,)", "GaussianNoise(0.5)", [200, 100], backend, 1, 12);
    expect(other).not.toEqual(values);
  });

  it("GaussianDropout multiplies by noise of mean 1 and stddev sqrt(rate / (1 - rate)) in training", async () => {
    const values = await trainingOutput("(100,)", "GaussianDropout(0.2)", [200, 100], backend, 2);
    const { mean, std } = meanStd(values.map((v) => v / 2));
    expect(Math.abs(mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
  });

  it("AlphaDropout keeps a·x + b or sets a·α' + b, dropping `rate` of the values (Keras 2)", async () => {
    const rate = 0.3;
    const values = await trainingOutput("(100,)", `AlphaDropout(${rate})`, [200, 100], backend, 1);
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const kept = a + b;
    const dropped = a * alphaP + b;
    let drops = 0;
    for (const v of values) {
      const isKept = Math.abs(v - kept) < 1e-5;
      const isDropped = Math.abs(v - dropped) < 1e-5;
      expect(isKept || isDropped).toBe(true);
      if (isDropped) drops++;
    }
    expect(Math.abs(drops / values.length - rate)).toBeLessThan(0.01);
  });

  it("AlphaDropout's noise_shape shares one draw along its size-1 axes", async () => {
    const values = await trainingOutput(
      "(4, 5)",
      "AlphaDropout(0.5, noise_shape=(None, 1, 5))",
      [50, 4, 5],
      backend,
    );
    for (let n = 0; n < 50; n++)
      for (let c = 0; c < 5; c++)
        for (let t = 1; t < 4; t++) expect(values[n * 20 + t * 5 + c]).toBe(values[n * 20 + c]);
  });

  it.each([
    ["SpatialDropout1D(0.5)", "(4, 8)", [60, 4, 8], (n: number, c: number, s: number) => n * 32 + s * 8 + c],
    [
      "SpatialDropout2D(0.5)",
      "(2, 2, 8)",
      [60, 2, 2, 8],
      (n: number, c: number, s: number) => n * 32 + s * 8 + c,
    ],
    [
      'SpatialDropout2D(0.5, data_format="channels_first")',
      "(8, 2, 2)",
      [60, 8, 2, 2],
      (n: number, c: number, s: number) => n * 32 + c * 4 + s,
    ],
    [
      "SpatialDropout3D(0.5)",
      "(2, 1, 2, 8)",
      [60, 2, 1, 2, 8],
      (n: number, c: number, s: number) => n * 32 + s * 8 + c,
    ],
  ] as const)(
    "%s drops whole channels, about half of them, scaling the rest by 2",
    async (layer, inputShape, shape, index) => {
      const values = await trainingOutput(inputShape, layer, shape, backend);
      let drops = 0;
      for (let n = 0; n < 60; n++)
        for (let c = 0; c < 8; c++) {
          const first = values[index(n, c, 0)]!;
          expect([0, 2]).toContain(first);
          for (let s = 1; s < 4; s++) expect(values[index(n, c, s)]).toBe(first);
          if (first === 0) drops++;
        }
      expect(Math.abs(drops / 480 - 0.5)).toBeLessThan(0.1);
    },
  );

  it("leaves no tensors behind in training mode", async () => {
    for (const layer of [
      "GaussianNoise(0.5)",
      "GaussianDropout(0.3)",
      "AlphaDropout(0.3)",
      "SpatialDropout1D(0.2)",
    ]) {
      const { program } = oneLayer("(4, 5)", layer);
      const model = await loadModel(program, { backend });
      const input = randomInputs(program)[0]!;
      const before = tf.memory().numTensors;
      for (const training of [true, false, true]) tf.dispose(model.predict([input], { training }));
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });
});
