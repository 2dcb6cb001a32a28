// Lambda's tensor expressions executed (the `tensorFunction` op) on cpu and wasm: every step kind against
// values derived by hand from the input arrays, broadcasting between inputs, and the reference's
// antirectifier against its formula written out; the sample runs end to end.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, lowerOne, lowerSample, randomInputs, SAMPLES } from "./executor-helpers.js";

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Python's floor division and modulo on floats. */
const floorDiv = (a: number, b: number) => Math.floor(a / b);
const pyMod = (a: number, b: number) => a - Math.floor(a / b) * b;
/** tf.round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Elementwise expressions of x (input (2, 4), values in [-2, 2)) and their values. */
const ELEMENTWISE: readonly (readonly [string, (x: number) => number])[] = [
  ["-x", (x) => -x],
  ["abs(x)", Math.abs],
  ["exp(x)", Math.exp],
  ["log(abs(x) + 0.5)", (x) => Math.log(Math.abs(x) + 0.5)],
  ["sqrt(abs(x))", (x) => Math.sqrt(Math.abs(x))],
  ["square(x)", (x) => x * x],
  ["sign(x)", Math.sign],
  ["round(x * 2)", (x) => roundHalfEven(Math.fround(x * 2))],
  ["sin(x)", Math.sin],
  ["cos(x)", Math.cos],
  ["sigmoid(x)", (x) => 1 / (1 + Math.exp(-x))],
  ["hard_sigmoid(x)", (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1)],
  ["tanh(x)", Math.tanh],
  ["softplus(x)", (x) => Math.log(1 + Math.exp(x))],
  ["softsign(x)", (x) => x / (1 + Math.abs(x))],
  ["selu(x)", (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1))],
  ["relu(x)", (x) => Math.max(x, 0)],
  ["relu(x, alpha=0.1, max_value=1.5)", (x) => Math.min(Math.max(x, 0), 1.5) - 0.1 * Math.max(-x, 0)],
  ["relu(x, max_value=6)", (x) => Math.min(Math.max(x, 0), 6)],
  ["elu(x, alpha=0.5)", (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1))],
  ["elu(x)", (x) => (x > 0 ? x : Math.exp(x) - 1)],
  ["clip(x, -0.5, 1.0)", (x) => Math.min(Math.max(x, -0.5), 1)],
  ["x + 1", (x) => x + 1],
  ["x - 2", (x) => x - 2],
  ["3 * x", (x) => 3 * x],
  ["x / 4", (x) => x / 4],
  ["x // 0.7", (x) => floorDiv(x, Math.fround(0.7))],
  ["x % 0.7", (x) => pyMod(x, Math.fround(0.7))],
  ["x ** 2", (x) => x ** 2],
  ["pow(abs(x), 1.5)", (x) => Math.abs(x) ** 1.5],
  ["maximum(x, 0.2)", (x) => Math.max(x, 0.2)],
  ["minimum(x, 0.2)", (x) => Math.min(x, 0.2)],
  ["-x ** 2 + x * (x - 1) / 2", (x) => -(x ** 2) + (x * (x - 1)) / 2],
];

/** Every index of `shape`, in C order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let i = shape.length - 1; i >= 0; i--) {
      index.unshift(rest % shape[i]!);
      rest = Math.floor(rest / shape[i]!);
    }
    yield index;
  }
}

/** Groups values by their index off `axes`: each group (in C order of the kept axes) as a list. */
function groups(data: ArrayLike<number>, shape: readonly number[], axes: readonly number[]): number[][] {
  const byKey = new Map<string, number[]>();
  let flat = 0;
  for (const index of indices(shape)) {
    const key = index.filter((_, i) => !axes.includes(i)).join(",");
    const group = byKey.get(key) ?? [];
    group.push(data[flat++]!);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => mean(v.map((x) => (x - mean(v)) ** 2));

/** Reductions over an input of shape (3, 2, 4) (batch 3): expression, axes reduced, per-group value. */
const REDUCTIONS: readonly (readonly [string, number[], (v: number[]) => number])[] = [
  ["mean(x, axis=1)", [1], mean],
  ["sum(x, axis=-1)", [2], (v) => v.reduce((a, b) => a + b, 0)],
  ["max(x, axis=(1, 2))", [1, 2], (v) => Math.max(...v)],
  ["min(x, axis=2, keepdims=True)", [2], (v) => Math.min(...v)],
  ["prod(x, axis=1)", [1], (v) => v.reduce((a, b) => a * b, 1)],
  ["var(x, axis=2)", [2], variance],
  ["std(x, axis=-1, keepdims=True)", [2], (v) => Math.sqrt(variance(v))],
  ["logsumexp(x, axis=2)", [2], (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0))],
  ["mean(x, axis=(1, 2), keepdims=True)", [1, 2], mean],
];

async function runLambda(backend: BackendName, source: string) {
  const { program } = lowerOne(source);
  const model = await loadModel(program, { backend });
  const inputs = randomInputs(program);
  const [y] = model.predict(inputs);
  return {
    y: y!,
    inputs,
    dispose: () => {
      tf.dispose(y!);
      model.dispose();
    },
  };
}

describe.each<BackendName>(["cpu", "wasm"])("Lambda on %s", (backend) => {
  it.each(ELEMENTWISE)("lambda x: %s", async (expression, formula) => {
    const run = await runLambda(
      backend,
      `sequential m(input_shape=(2, 4)) { Lambda(lambda x: ${expression}) }`,
    );
    expectClose(
      run.y,
      Array.from(run.inputs[0]!.data, (v) => formula(v)),
      1e-5,
    );
    run.dispose();
  });

  it.each(REDUCTIONS)("lambda x: %s", async (expression, axes, reduce) => {
    const run = await runLambda(
      backend,
      `sequential m(input_shape=(2, 4)) { Lambda(lambda x: ${expression}) }`,
    );
    const expected = groups(run.inputs[0]!.data, [3, 2, 4], axes).map(reduce);
    expectClose(run.y, expected, 1e-5);
    run.dispose();
  });

  it("l2_normalize divides by the L2 norm along the axis", async () => {
    const run = await runLambda(
      backend,
      "sequential m(input_shape=(2, 4)) { Lambda(lambda x: l2_normalize(x, axis=1)) }",
    );
    const x = run.inputs[0]!.data;
    // Axis 1 (size 2): element (n, i, j) with its partner (n, 1 - i, j).
    const expected = Array.from(x, (v, flat) => {
      const partner = flat % 8 < 4 ? flat + 4 : flat - 4;
      return v / Math.sqrt(Math.max(v * v + x[partner]! ** 2, 1e-12));
    });
    expectClose(run.y, expected, 1e-5);
    run.dispose();
  });

  it("softmax along axis 1 and concatenate along the last axis", async () => {
    const run = await runLambda(
      backend,
      "sequential m(input_shape=(2, 4)) { Lambda(lambda x: concatenate([softmax(x, axis=1), x], axis=-1)) }",
    );
    const x = run.inputs[0]!.data;
    const expected: number[] = [];
    for (let n = 0; n < 3; n++)
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 4; j++) {
          const a = x[n * 8 + j]!;
          const b = x[n * 8 + 4 + j]!;
          expected.push(Math.exp(x[n * 8 + i * 4 + j]!) / (Math.exp(a) + Math.exp(b)));
        }
        for (let j = 0; j < 4; j++) expected.push(x[n * 8 + i * 4 + j]!);
      }
    expect(run.y.shape).toEqual([3, 2, 8]);
    expectClose(run.y, expected, 1e-5);
    run.dispose();
  });

  it("two inputs broadcast like NumPy", async () => {
    const run = await runLambda(
      backend,
      "model m { a = Input(shape=(2, 4))\n b = Input(shape=(1, 4))\n y = Lambda(lambda a, b: a * b - b)([a, b])\n outputs y }",
    );
    const [a, b] = run.inputs;
    const expected = Array.from(a!.data, (v, flat) => {
      const w = b!.data[Math.floor(flat / 8) * 4 + (flat % 4)]!;
      return v * w - w;
    });
    expectClose(run.y, expected, 1e-5);
    run.dispose();
  });

  it("returns its input unchanged for the identity", async () => {
    const run = await runLambda(backend, "sequential m(input_shape=(4,)) { Lambda(lambda x: x) }");
    expectClose(run.y, run.inputs[0]!.data, 0);
    run.dispose();
  });

  it("the reference's antirectifier equals its formula", async () => {
    const sample = readFileSync(join(SAMPLES, "lambda_antirectifier.kml"), "utf8");
    const block = sample.slice(sample.indexOf("block antirectifier"), sample.indexOf("sequential"));
    const run = await runLambda(
      backend,
      `${block}\nsequential m(input_shape=(6,)) { Lambda(antirectifier) }`,
    );
    const x = run.inputs[0]!.data;
    const expected: number[] = [];
    for (let n = 0; n < 3; n++) {
      const row = Array.from(x.slice(n * 6, n * 6 + 6));
      const centred = row.map((v) => v - mean(row));
      const norm = Math.sqrt(
        Math.max(
          centred.reduce((a, v) => a + v * v, 0),
          1e-12,
        ),
      );
      const unit = centred.map((v) => v / norm);
      expected.push(...unit.map((v) => Math.max(v, 0)), ...unit.map((v) => Math.max(-v, 0)));
    }
    expect(run.y.shape).toEqual([3, 12]);
    expectClose(run.y, expected, 1e-5);
    run.dispose();
  });

  it("runs the antirectifier sample end to end without leaks", async () => {
    const { program } = lowerSample("lambda_antirectifier")[0]!;
    const model = await loadModel(program, { backend });
    const inputs = randomInputs(program);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const [y] = model.predict(inputs);
      expect(y!.shape).toEqual([3, 10]);
      const sums = groups(y!.dataSync(), [3, 10], [1]).map((v) => v.reduce((a, b) => a + b, 0));
      for (const sum of sums) expect(sum).toBeCloseTo(1, 5);
      tf.dispose(y!);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
