// Models built with `weights=` predict with exactly those weights: Dense is x·W + b by hand, BatchNormalization
// follows Keras's inference formula with the given moving statistics, Bidirectional(LSTM) equals TF.js layers'
// Bidirectional given the same six arrays through setWeights; weights given at load still win; and a plan
// keeps the values through JSON (optimized or not).
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import { lowerProgram } from "../../src/compiler/5-lower/lower.js";
import { compile } from "../../src/compiler/index.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import { loadModel, type Model, type ModelInput } from "../../src/runtime/model.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";

/** The runtime program of a source's single model; fails the test on any diagnostic. */
function programOf(source: string): Program {
  const compiled = compile(source, { fileName: "test.kml", plan: false });
  expect(compiled.diagnostics).toEqual([]);
  const lowered = lowerProgram(compiled.ir!);
  expect(lowered.diagnostics).toEqual([]);
  return lowered.graphs[0]!.program!;
}

/** An array as a .kml literal: nested lists of `shape` over `values` (C order). */
function literal(values: ArrayLike<number>, shape: readonly number[]): string {
  if (shape.length === 0) return String(values[0]);
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const items = Array.from({ length: n! }, (_, i) =>
    literal(Array.from(values).slice(i * step, (i + 1) * step), rest),
  );
  return `[${items.join(", ")}]`;
}

/** Seeded values in [-1, 1), rounded to 4 decimals so the literal is exact. */
function seeded(key: string, size: number): number[] {
  return Array.from(forKey(7, key).uniform(size, -1, 1), (v) => Math.round(v * 1e4) / 1e4);
}

/** The first output's values. */
function predict1(model: Model, inputs: readonly ModelInput[]): number[] {
  const [y, ...rest] = model.predict(inputs);
  const values = Array.from(y!.dataSync());
  tf.dispose([y!, ...rest]);
  return values;
}

function expectAllClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(0, ...actual.map((a, i) => Math.abs(a - expected[i]!)));
  expect(worst, `${actual} vs ${expected}`).toBeLessThan(tolerance);
}

const W = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const B = [0.5, -0.5];
const DENSE = `sequential m(input_shape=(3,)) { Dense(2, weights=${JSON.stringify([W, B])}) }`;
const X = [1, -2, 0.25, 3, 0, -1];

/** x · W + b for a batch of rows of 3 features, by hand. */
function denseByHand(x: readonly number[]): number[] {
  const out: number[] = [];
  for (let row = 0; row < x.length / 3; row++)
    for (let j = 0; j < 2; j++) {
      let sum = B[j]!;
      for (let k = 0; k < 3; k++) sum += x[row * 3 + k]! * W[k]![j]!;
      out.push(sum);
    }
  return out;
}

describe.each<BackendName>(["cpu", "wasm"])("weights= on %s", (backend) => {
  it("Dense predicts x·W + b with the given kernel and bias", async () => {
    const model = await loadModel(programOf(DENSE), { backend, seed: 3 });
    const x = { data: Float32Array.from(X), shape: [2, 3] };
    expect(predict1(model, [x])).toEqual(denseByHand(X));
    // The seed draws nothing: every weight was given.
    const other = await loadModel(programOf(DENSE), { backend, seed: 99 });
    expect(predict1(other, [x])).toEqual(denseByHand(X));
    model.dispose();
    other.dispose();
  });

  it("weights given at load win over the declared values", async () => {
    const program = programOf(DENSE);
    const bias = Float32Array.from([10, 20]);
    const model = await loadModel(program, { backend, weights: new Map([["dense_1/bias", bias]]) });
    const x = { data: Float32Array.from(X.slice(0, 3)), shape: [1, 3] };
    const [a, b] = denseByHand(X.slice(0, 3));
    expect(predict1(model, [x])).toEqual([a! - 0.5 + 10, b! + 0.5 + 20]);
    model.dispose();
  });

  it("a shared layer computes both applications with the one weight set", async () => {
    const source = `model m {
  a = Input(shape=(3,))
  b = Input(shape=(3,))
  shared = Dense(2, weights=${JSON.stringify([W, B])})
  y = shared(a)
  z = shared(b)
  outputs y, z
}`;
    const program = programOf(source);
    expect(program.weights.map((w) => w.name)).toEqual(["dense_1/kernel", "dense_1/bias"]);
    const model = await loadModel(program, { backend });
    const [y, z] = model.predict([
      { data: Float32Array.from(X.slice(0, 3)), shape: [1, 3] },
      { data: Float32Array.from(X.slice(3)), shape: [1, 3] },
    ]);
    expect([...y!.dataSync(), ...z!.dataSync()]).toEqual(denseByHand(X));
    tf.dispose([y!, z!]);
    model.dispose();
  });

  it("BatchNormalization normalises with the given statistics: (x − mean) / √(var + ε) · γ + β", async () => {
    const [gamma, beta, mean, variance] = [
      [2, 0.5, -1],
      [0.1, -0.2, 0.3],
      [1, -1, 0.5],
      [4, 0.25, 1],
    ];
    const epsilon = 0.001;
    const x = [1, 2, 3, -1, 0, 0.5];
    const formula = (g: readonly number[], b: readonly number[]) =>
      x.map((v, i) => ((v - mean![i % 3]!) / Math.sqrt(variance![i % 3]! + epsilon)) * g[i % 3]! + b[i % 3]!);
    const run = async (args: string) => {
      const source = `sequential m(input_shape=(3,)) { BatchNormalization(${args}) }`;
      const model = await loadModel(programOf(source), { backend });
      const y = predict1(model, [{ data: Float32Array.from(x), shape: [2, 3] }]);
      model.dispose();
      return y;
    };
    expectAllClose(
      await run(`weights=${JSON.stringify([gamma, beta, mean, variance])}`),
      formula(gamma!, beta!),
    );
    // center=False: no beta (β = 0); the list is gamma, moving_mean, moving_variance.
    expectAllClose(
      await run(`center=False, weights=${JSON.stringify([gamma, mean, variance])}`),
      formula(gamma!, [0, 0, 0]),
    );
  });

  it("Conv2D convolves with the given (kh, kw, in, out) kernel and bias", async () => {
    // A 2×2 kernel over a 2×2 single-channel image: one output per filter, Σ x·k + b.
    const kernel = [1, -1, 0.5, 2, -2, 1, 3, 0]; // (2, 2, 1, 2) in C order
    const bias = [0.25, -0.75];
    const source = `sequential m(input_shape=(2, 2, 1)) { Conv2D(2, (2, 2), weights=[${literal(kernel, [2, 2, 1, 2])}, ${JSON.stringify(bias)}]) }`;
    const model = await loadModel(programOf(source), { backend });
    const image = [1, 2, 3, 4];
    const expected = [0, 1].map((f) => bias[f]! + image.reduce((s, v, p) => s + v * kernel[p * 2 + f]!, 0));
    expectAllClose(predict1(model, [{ data: Float32Array.from(image), shape: [1, 2, 2, 1] }]), expected);
    model.dispose();
  });

  it("Bidirectional(LSTM(2), weights=[...6 arrays...]) equals TF.js layers' Bidirectional after setWeights", async () => {
    const [T, F, U] = [4, 3, 2];
    const shapes = [[F, 4 * U], [U, 4 * U], [4 * U]];
    const arrays = [...shapes, ...shapes].map((shape, i) => ({
      shape,
      values: seeded(
        `bidirectional/${i}`,
        shape.reduce((a, b) => a * b, 1),
      ),
    }));
    const list = arrays.map((a) => literal(a.values, a.shape)).join(", ");
    const source = `sequential m(input_shape=(${T}, ${F})) { Bidirectional(LSTM(${U}, return_sequences=True), weights=[${list}]) }`;
    const model = await loadModel(programOf(source), { backend, seed: 5 });

    // The twin on the backend loadModel selected, its weights set through setWeights (forward, then backward).
    const layer = tfl.layers.bidirectional({
      layer: tfl.layers.lstm({
        units: U,
        returnSequences: true,
        recurrentInitializer: "glorotUniform",
      }) as tfl.RNN,
    });
    const input = tfl.input({ shape: [T, F] });
    const twin = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
    const tensors = arrays.map((a) => tf.tensor(a.values, a.shape));
    layer.setWeights(tensors);

    const x = forKey(11, "x").uniform(2 * T * F, -1, 1);
    const ours = predict1(model, [{ data: x, shape: [2, T, F] }]);
    const xTensor = tf.tensor(x, [2, T, F]);
    const predicted = twin.predict(xTensor) as tf.Tensor;
    expectAllClose(ours, Array.from(predicted.dataSync()));
    tf.dispose([...tensors, xTensor, predicted]);
    twin.dispose();
    model.dispose();
  });

  it("a plan keeps the values through JSON, optimized or not", async () => {
    const source = `sequential m(input_shape=(3,)) {
  Dense(2, weights=${JSON.stringify([W, B])})
  BatchNormalization(weights=[[2, 0.5], [0.1, -0.2], [1, -1], [4, 0.25]])
}`;
    const x = { data: Float32Array.from(X), shape: [2, 3] };
    const bn = (v: number, i: number) =>
      ((v - [1, -1][i % 2]!) / Math.sqrt([4, 0.25][i % 2]! + 0.001)) * [2, 0.5][i % 2]! + [0.1, -0.2][i % 2]!;
    const expected = denseByHand(X).map(bn);
    for (const optimize of [false, true]) {
      const compiled = compile(source, { fileName: "test.kml", plan: { optimize } });
      expect(compiled.diagnostics).toEqual([]);
      const text = JSON.stringify(compiled.plan);
      const declared = JSON.parse(text).weights as { name: string; values?: number[] }[];
      expect(declared.find((w) => w.name === "dense_1/kernel")?.values).toEqual([1, 2, 3, 4, 5, 6]);
      const model = await loadPlan(JSON.parse(text), { backend, seed: 42 });
      expectAllClose(predict1(model, [x]), expected);
      model.dispose();
    }
  });
});

describe("plans with declared values", () => {
  it("refuses values of another length than the weight's shape holds", async () => {
    const plan = compile(DENSE, { fileName: "test.kml", plan: { optimize: false } }).plan!;
    const broken = {
      ...plan,
      weights: plan.weights.map((w) => (w.name === "dense_1/bias" ? { ...w, values: [1, 2, 3] } : w)),
    };
    await expect(loadPlan(JSON.parse(JSON.stringify(broken)), { backend: "cpu" })).rejects.toThrow(
      'weight "dense_1/bias" declares 3 values, but its shape (2) holds 2',
    );
  });

  it("refuses values that are not numbers (the schema)", async () => {
    const plan = compile(DENSE, { fileName: "test.kml", plan: { optimize: false } }).plan!;
    const broken = JSON.parse(JSON.stringify(plan));
    broken.weights[1].values = ["a", "b"];
    await expect(loadPlan(broken, { backend: "cpu" })).rejects.toThrow("/weights/1/values/0");
  });
});
