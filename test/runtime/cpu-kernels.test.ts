// kerasc's own cpu kernels (src/runtime/cpu/): the product against a float64 triple loop written here from
// the definition, over shapes that exercise every remainder of its 4 × 4 blocks; the registered kernel
// against tfjs-backend-cpu's own _FusedMatMul (tf.fused.matMul, which never substitutes) for every fused
// activation and bias shape, and with transposed operands; and that kerasc's kernel is what runs on cpu
// and only there.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend.js";
import { gemm } from "../../src/runtime/cpu/gemm.js";
import { cpuSubstitute, KERASC_MAT_MUL } from "../../src/runtime/cpu/kernels.js";

const pattern = (length: number, seed: number) =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898 + seed) * 1.5);

/** a (m, k) · b (k, n) from the definition, in float64. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let q = 0; q < k; q++) sum += a[i * k + q]! * b[q * n + j]!;
      out[i * n + j] = sum;
    }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

describe("gemm", () => {
  const shapes: [number, number, number][] = [];
  for (const m of [1, 3, 4, 5, 8, 9])
    for (const k of [1, 7, 33]) for (const n of [1, 3, 4, 5, 8, 9, 17]) shapes.push([m, k, n]);

  it.each(shapes)("(%i × %i) · (%i columns) equals the definition", (m, k, n) => {
    const a = pattern(m * k, 1);
    const b = pattern(k * n, 2);
    const out = new Float32Array(m * n).fill(Number.NaN);
    gemm(a, b, m, k, n, out);
    // Sums in float64, rounded once to float32: within float32 rounding of the exact value.
    expectClose(out, reference(a, b, m, k, n), 1e-6);
  });

  it("reads a and b from their offsets", () => {
    const [m, k, n] = [5, 6, 7];
    const a = pattern(3 + m * k, 3);
    const b = pattern(11 + k * n, 4);
    const out = new Float32Array(m * n);
    gemm(a, b, m, k, n, out, 3, 11);
    expectClose(out, reference(a.subarray(3), b.subarray(11), m, k, n), 1e-6);
  });
});

describe("KerascMatMul on cpu", () => {
  const ACTIVATIONS = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const;
  const [m, k, n] = [6, 70, 9];

  /** Our kernel and tfjs's on the same operands; the same values within float32 rounding. */
  function compare(args: {
    a: tf.Tensor2D;
    b: tf.Tensor2D;
    transposeA?: boolean;
    transposeB?: boolean;
    bias?: tf.Tensor;
    activation?: (typeof ACTIVATIONS)[number];
    preluActivationWeights?: tf.Tensor;
    leakyreluAlpha?: number;
  }): void {
    const inputs: tf.NamedTensorMap = { a: args.a, b: args.b };
    if (args.bias) inputs.bias = args.bias;
    if (args.preluActivationWeights) inputs.preluActivationWeights = args.preluActivationWeights;
    const before = tf.memory().numTensors;
    const ours = tf.engine().runKernel<tf.Tensor>(KERASC_MAT_MUL, inputs, {
      transposeA: args.transposeA ?? false,
      transposeB: args.transposeB ?? false,
      activation: args.activation ?? "linear",
      leakyreluAlpha: args.leakyreluAlpha ?? 0.2,
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    const theirs = tf.fused.matMul(args);
    expect(ours.shape).toEqual(theirs.shape);
    expect(ours.dtype).toBe("float32");
    expectClose(ours.dataSync(), theirs.dataSync(), 2e-6);
    tf.dispose([ours, theirs]);
  }

  it.each(ACTIVATIONS)("%s with a bias per column equals tfjs's _FusedMatMul", async (activation) => {
    await selectBackend("cpu");
    const a = tf.tensor2d(pattern(m * k, 5), [m, k]);
    const b = tf.tensor2d(pattern(k * n, 6), [k, n]);
    const bias = tf.tensor1d(pattern(n, 7));
    const alpha = tf.tensor1d(pattern(n, 8));
    compare({ a, b, bias, activation, preluActivationWeights: alpha, leakyreluAlpha: 0.15 });
    tf.dispose([a, b, bias, alpha]);
  });

  it.each([
    ["[1, n]", [1, n]],
    ["[m, 1]", [m, 1]],
    ["[m, n]", [m, n]],
    ["a scalar", []],
  ])("broadcasts a bias of %s as tfjs does", async (_name, shape) => {
    await selectBackend("cpu");
    const a = tf.tensor2d(pattern(m * k, 9), [m, k]);
    const b = tf.tensor2d(pattern(k * n, 10), [k, n]);
    const size = (shape as number[]).reduce((x, y) => x * y, 1);
    const bias = tf.tensor(pattern(size, 11), shape as number[]);
    const alpha = tf.tensor(pattern(size, 12), shape as number[]);
    compare({ a, b, bias, activation: "prelu", preluActivationWeights: alpha });
    tf.dispose([a, b, bias, alpha]);
  });

  it.each([
    [true, false],
    [false, true],
    [true, true],
  ])("transposeA %s, transposeB %s equals tfjs's", async (transposeA, transposeB) => {
    await selectBackend("cpu");
    const a = tf.tensor2d(pattern(m * k, 13), transposeA ? [k, m] : [m, k]);
    const b = tf.tensor2d(pattern(k * n, 14), transposeB ? [n, k] : [k, n]);
    compare({ a, b, transposeA, transposeB, activation: "relu" });
    tf.dispose([a, b]);
  });

  it("stands in for _FusedMatMul and BatchMatMul on cpu only", async () => {
    await selectBackend("cpu");
    expect(cpuSubstitute(tf._FusedMatMul)).toBe(KERASC_MAT_MUL);
    expect(cpuSubstitute(tf.BatchMatMul)).toBe(KERASC_MAT_MUL);
    expect(cpuSubstitute(tf.Conv3D)).toBeUndefined();
    await selectBackend("wasm");
    expect(cpuSubstitute(tf._FusedMatMul)).toBeUndefined();
  });
});
