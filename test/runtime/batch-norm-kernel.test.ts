// The `batchNorm` op at inference on the last axis runs tf.batchNorm: one FusedBatchNorm kernel (and tfjs's
// reshapes around it) instead of the reshape/add/rsqrt/mul/sub chain, with the values of the formula on every
// rank and with or without center and scale, on cpu and wasm.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { PROGRAM_VERSION, type Program } from "../../src/runtime/program.js";
import { expectClose } from "./executor-helpers.js";

/** One batchNorm step on the last axis of an input of `shape`, epsilon 0.01. */
function batchNormProgram(shape: readonly number[], center: boolean, scale: boolean): Program {
  const features = [shape.at(-1)!];
  const names = [...(scale ? ["gamma"] : []), ...(center ? ["beta"] : []), "mean", "variance"];
  return {
    version: PROGRAM_VERSION,
    inputs: [{ name: "x", slot: 0, shape, dtype: "float32" }],
    outputs: [{ name: "y", slot: 1 }],
    weights: names.map((name) => ({ name, shape: features, dtype: "float32" as const })),
    steps: [
      {
        op: "batchNorm",
        attrs: { axis: shape.length - 1, epsilon: 0.01, center, scale },
        inputs: [0],
        outputs: [1],
        weights: names,
        frees: [0],
      },
    ],
  };
}

const series = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

describe.each<BackendName>(["cpu", "wasm"])("batchNorm at inference on %s", (backend) => {
  it.each([
    [[2, 3], true, true],
    [[2, 3, 4], true, true],
    [[2, 3, 2, 4], true, true],
    [[1, 2, 2, 3, 4], true, true],
    [[2, 3, 4], false, true],
    [[2, 3, 4], true, false],
    [[2, 3, 4], false, false],
  ] as const)("%j center=%s scale=%s: the formula, through FusedBatchNorm", async (shape, center, scale) => {
    const program = batchNormProgram(shape, center, scale);
    const c = shape.at(-1)!;
    const gamma = series(c, (i) => 0.5 + 0.25 * i);
    const beta = series(c, (i) => 0.1 * i - 0.2);
    const mean = series(c, (i) => 0.3 - 0.15 * i);
    const variance = series(c, (i) => 0.5 + 0.4 * i);
    const weights = new Map([
      ["gamma", gamma],
      ["beta", beta],
      ["mean", mean],
      ["variance", variance],
    ]);
    const model = await loadModel(program, {
      backend,
      weights: new Map(program.weights.map((w) => [w.name, weights.get(w.name)!])),
    });
    const size = shape.reduce<number>((a, b) => a * b, 1);
    const data = series(size, (i) => Math.sin(i * 1.3) * 2);
    const expected = Array.from(data, (v, i) => {
      const f = i % c;
      return (
        ((v - mean[f]!) / Math.sqrt(variance[f]! + 0.01)) * (scale ? gamma[f]! : 1) + (center ? beta[f]! : 0)
      );
    });
    const before = tf.memory().numTensors;
    let y: tf.Tensor | undefined;
    const profile = await tf.profile(() => {
      [y] = model.predict([{ data, shape: [...shape] }]);
      return [];
    });
    expectClose(y!, expected, 1e-5);
    const kernels = new Set(profile.kernels.map((k) => k.name));
    expect([...kernels].sort()).toEqual(["FusedBatchNorm", "Reshape"]);
    y!.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
