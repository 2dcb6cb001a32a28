// The advanced activations on cpu and wasm: parity with TF.js layers where it has the layer and the
// configuration (LeakyReLU, PReLU, ELU alpha 1, ThresholdedReLU, ReLU max_value, Softmax), and Keras 2's
// formulas written out elementwise for the rest (ELU with any alpha, ReLU with negative_slope/threshold).
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, randomInputs } from "./executor-helpers.js";
import { expectLayerParity, oneLayer, randomWeights } from "./layer-parity-helpers.js";

const TWIN_CASES: readonly (readonly [string, string, string, () => tfl.layers.Layer])[] = [
  ["LeakyReLU default", "(4, 5)", "LeakyReLU()", () => tfl.layers.leakyReLU({ alpha: 0.3 })],
  ["LeakyReLU alpha", "(6,)", "LeakyReLU(alpha=0.05)", () => tfl.layers.leakyReLU({ alpha: 0.05 })],
  ["PReLU", "(4, 5)", "PReLU()", () => tfl.layers.prelu({})],
  [
    "PReLU shared axes (channels of an image)",
    "(3, 4, 2)",
    "PReLU(shared_axes=[1, 2])",
    () => tfl.layers.prelu({ sharedAxes: [1, 2] }),
  ],
  [
    "PReLU shared middle axis",
    "(3, 4, 2)",
    "PReLU(shared_axes=[2])",
    () => tfl.layers.prelu({ sharedAxes: [2] }),
  ],
  ["ELU alpha 1", "(6,)", "ELU()", () => tfl.layers.elu({ alpha: 1 })],
  ["ThresholdedReLU", "(6,)", "ThresholdedReLU(theta=0.5)", () => tfl.layers.thresholdedReLU({ theta: 0.5 })],
  [
    "ThresholdedReLU theta 0",
    "(6,)",
    "ThresholdedReLU(theta=0.0)",
    () => tfl.layers.thresholdedReLU({ theta: 0 }),
  ],
  ["ReLU", "(6,)", "ReLU()", () => tfl.layers.reLU({})],
  ["ReLU max_value", "(6,)", "ReLU(max_value=1.0)", () => tfl.layers.reLU({ maxValue: 1 })],
  ["ReLU max_value 6", "(6,)", "ReLU(max_value=6.0)", () => tfl.layers.reLU({ maxValue: 6 })],
  ["Softmax", "(4, 5)", "Softmax()", () => tfl.layers.softmax({ axis: -1 })],
  ["Softmax axis -1 on 4D", "(2, 3, 4)", "Softmax(axis=-1)", () => tfl.layers.softmax({ axis: -1 })],
];

/** Keras 2.2 K.relu, elementwise. */
function kerasRelu(x: number, alpha: number, maxValue: number | null, threshold: number): number {
  let y = threshold !== 0 ? (x > threshold ? x : 0) : Math.max(x, 0);
  if (maxValue !== null) y = Math.min(Math.max(y, 0), maxValue);
  return y - alpha * Math.max(threshold - x, 0);
}

const FORMULA_CASES: readonly (readonly [string, (x: number) => number])[] = [
  ["ELU(alpha=0.5)", (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1))],
  ["ELU(alpha=2.5)", (x) => (x > 0 ? x : 2.5 * (Math.exp(x) - 1))],
  ["ReLU(negative_slope=0.1)", (x) => kerasRelu(x, 0.1, null, 0)],
  ["ReLU(threshold=0.5)", (x) => kerasRelu(x, 0, null, 0.5)],
  ["ReLU(max_value=1.5, negative_slope=0.2, threshold=-0.5)", (x) => kerasRelu(x, 0.2, 1.5, -0.5)],
  ["ReLU(max_value=6.0, negative_slope=0.2)", (x) => kerasRelu(x, 0.2, 6, 0)],
  ["ReLU(max_value=0.7, threshold=0.3)", (x) => kerasRelu(x, 0, 0.7, 0.3)],
  ["ThresholdedReLU(theta=1.2)", (x) => (x > 1.2 ? x : 0)],
];

describe.each<BackendName>(["cpu", "wasm"])("advanced activations on %s", (backend) => {
  it.each(TWIN_CASES)("%s matches TF.js layers", async (name, shape, layer, twin) => {
    // TF.js's wasm Prelu kernel cycles alpha over the last axis only, so its twin is wrong when alpha is
    // shared along a middle axis; the formula test below covers that case on wasm.
    if (backend === "wasm" && name === "PReLU shared middle axis") return;
    await expectLayerParity(oneLayer(shape, layer), twin(), backend);
  });

  it.each([
    [1, "(4, 5)"],
    [-2, "(2, 3, 4)"],
    [1, "(2, 3, 4)"],
  ] as const)(
    "Softmax(axis=%i) on %s normalises along that axis (TF.js layers: last axis only)",
    async (axis, shape) => {
      const { program } = oneLayer(shape, `Softmax(axis=${axis})`);
      const model = await loadModel(program, { backend });
      const [input] = randomInputs(program);
      const [y] = model.predict([input!]);
      const dims = input!.shape;
      const at = axis < 0 ? dims.length + axis : axis;
      const stride = dims.slice(at + 1).reduce((a, b) => a * b, 1);
      const size = dims[at]!;
      const expected = Array.from(input!.data, (_v, i) => {
        const base = i - (Math.floor(i / stride) % size) * stride;
        const row = Array.from({ length: size }, (_, k) => input!.data[base + k * stride]!);
        const max = Math.max(...row);
        const sum = row.reduce((acc, v) => acc + Math.exp(v - max), 0);
        return Math.exp(input!.data[i]! - max) / sum;
      });
      expectClose(y!, expected, 1e-5);
      tf.dispose(y!);
      model.dispose();
    },
  );

  it.each(FORMULA_CASES)("%s matches Keras 2's formula", async (layer, formula) => {
    const { program } = oneLayer("(4, 6)", layer);
    const model = await loadModel(program, { backend });
    const [input] = randomInputs(program);
    // Scaled to [-8, 8): both sides of every threshold and cap.
    const data = input!.data.map((v) => 4 * v);
    const [y] = model.predict([{ data, shape: input!.shape }]);
    expectClose(
      y!,
      Array.from(data, (v) => formula(v)),
      1e-5,
    );
    tf.dispose(y!);
    model.dispose();
  });

  it("PReLU applies its slope per position: relu(x) - alpha * relu(-x), shared along axis 2", async () => {
    const { program } = oneLayer("(3, 4, 2)", "PReLU(shared_axes=[2])");
    expect(program.weights.map((w) => [w.name, w.shape])).toEqual([["p_re_lu_1/alpha", [3, 1, 2]]]);
    const weights = randomWeights(program);
    const alpha = weights.get("p_re_lu_1/alpha")!;
    const model = await loadModel(program, { backend, weights });
    const [input] = randomInputs(program);
    const [y] = model.predict([input!]);
    // Element i sits at (n, a, b, c) with c = i % 2, a = ⌊i / 8⌋ % 3; alpha[a, 0, c].
    const slope = (i: number) => alpha[(Math.floor(i / 8) % 3) * 2 + (i % 2)]!;
    const expected = Array.from(input!.data, (v, i) => (v >= 0 ? v : slope(i) * v));
    expectClose(y!, expected, 1e-5);
    tf.dispose(y!);
    model.dispose();
  });

  it("leaves no tensors behind", async () => {
    const { program } = oneLayer("(3, 4, 2)", "PReLU(shared_axes=[1, 2])");
    const model = await loadModel(program, { backend });
    const input = randomInputs(program)[0]!;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(model.predict([input]));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
