// The direct kernel calls of tf-ops.ts (direct-kernels.ts) against the tfjs ops they stand for, on cpu and
// wasm: bit-identical results for every activation, with and without bias, over strides, dilations and
// paddings; the cases they hand to the op (transposes, other ranks, int32) still work; nothing leaks; and
// they run only their kernel (no op wrapper, no Cast after AvgPool).
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import * as direct from "../../src/runtime/ops/direct-kernels.js";

const seeded = (shape: number[], seed: number) =>
  tf.tensor(
    Float32Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, i) => Math.sin(i * 12.9898 + seed) * 1.5,
    ),
    shape,
  );

/**
 * Values that are multiples of 1/64: on cpu the convolution is kerasc's kernel (src/runtime/cpu/), which adds
 * its products in another order than tfjs's; with these operands every sum is exact in float32, so the
 * results are still bit-identical.
 */
const dyadic = (shape: number[], seed: number) =>
  tf.tensor(
    Float32Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, i) => Math.round(Math.sin(i * 12.9898 + seed) * 1.5 * 64) / 64,
    ),
    shape,
  );

/** Runs both, checks bit-identical values and shapes, and that the direct one leaves nothing behind. */
function expectSame(ours: () => tf.Tensor, theirs: () => tf.Tensor): void {
  const before = tf.memory().numTensors;
  const a = ours();
  expect(tf.memory().numTensors).toBe(before + 1);
  const b = theirs();
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  tf.dispose([a, b]);
}

const ACTIVATIONS = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const;

describe.each<BackendName>(["cpu", "wasm"])("direct kernels on %s", (backend) => {
  it.each(ACTIVATIONS)("fusedMatMul %s equals tf.fused.matMul", async (activation) => {
    await selectBackend(backend);
    const a = seeded([3, 5], 1);
    const b = seeded([5, 4], 2);
    const alpha = seeded([4], 4);
    for (const bias of [undefined, seeded([4], 3)]) {
      const extra = {
        ...(bias ? { bias } : {}),
        activation,
        ...(activation === "leakyrelu" ? { leakyreluAlpha: 0.1 } : {}),
        ...(activation === "prelu" ? { preluActivationWeights: alpha } : {}),
      };
      expectSame(
        () => direct.fusedMatMul({ a, b, ...extra }),
        () => tf.fused.matMul({ a, b, ...extra }),
      );
      bias?.dispose();
    }
    tf.dispose([a, b, alpha]);
  });

  it("fusedMatMul hands transposes and other ranks to tf.fused.matMul", async () => {
    await selectBackend(backend);
    const a = seeded([5, 3], 1);
    const b = seeded([4, 5], 2);
    expectSame(
      () => direct.fusedMatMul({ a, b, transposeA: true, transposeB: true, activation: "relu" }),
      () => tf.fused.matMul({ a, b, transposeA: true, transposeB: true, activation: "relu" }),
    );
    const a3 = seeded([2, 3, 5], 3);
    const b3 = seeded([2, 5, 4], 4);
    expectSame(
      () => direct.fusedMatMul({ a: a3, b: b3 }),
      () => tf.fused.matMul({ a: a3, b: b3 }),
    );
    tf.dispose([a, b, a3, b3]);
  });

  it.each([
    ["3×3 same", [1, 1], [1, 1], "same"],
    ["3×3 valid stride 2", [2, 2], [1, 1], "valid"],
    ["3×3 same dilation 2", [1, 1], [2, 2], "same"],
    ["3×3 valid stride (1, 2)", [1, 2], [1, 1], "valid"],
  ] as const)(
    "fusedConv2d %s equals tf.fused.conv2d for every activation",
    async (_l, strides, dilations, pad) => {
      await selectBackend(backend);
      const x = dyadic([2, 7, 6, 3], 5);
      const filter = dyadic([3, 3, 3, 4], 6);
      const alpha = seeded([4], 8);
      for (const activation of ACTIVATIONS) {
        for (const bias of [undefined, seeded([4], 7)]) {
          const args = {
            x: x as tf.Tensor4D,
            filter: filter as tf.Tensor4D,
            strides: [...strides] as [number, number],
            dilations: [...dilations] as [number, number],
            pad,
            ...(bias ? { bias } : {}),
            activation,
            ...(activation === "leakyrelu" ? { leakyreluAlpha: 0.1 } : {}),
            ...(activation === "prelu" ? { preluActivationWeights: alpha } : {}),
          };
          expectSame(
            () => direct.fusedConv2d(args),
            () => tf.fused.conv2d(args),
          );
          bias?.dispose();
        }
      }
      tf.dispose([x, filter, alpha]);
    },
  );

  it("fusedConv2d hands a 3D input to tf.fused.conv2d", async () => {
    await selectBackend(backend);
    const x = seeded([5, 5, 2], 1) as tf.Tensor3D;
    const filter = seeded([2, 2, 2, 3], 2) as tf.Tensor4D;
    expectSame(
      () => direct.fusedConv2d({ x, filter, strides: 1, pad: "valid", activation: "relu" }),
      () => tf.fused.conv2d({ x, filter, strides: 1, pad: "valid", activation: "relu" }),
    );
    tf.dispose([x, filter]);
  });

  it.each([
    ["2×2 valid", [2, 2], [2, 2], "valid"],
    ["3×3 same stride 2", [3, 3], [2, 2], "same"],
    ["(3, 2) same stride (2, 1)", [3, 2], [2, 1], "same"],
  ] as const)("maxPool and avgPool %s equal tf.maxPool and tf.avgPool", async (_l, size, strides, pad) => {
    await selectBackend(backend);
    const x = seeded([2, 7, 6, 3], 3) as tf.Tensor4D;
    const s = [...size] as [number, number];
    const t = [...strides] as [number, number];
    expectSame(
      () => direct.maxPool(x, s, t, pad),
      () => tf.maxPool(x, s, t, pad),
    );
    expectSame(
      () => direct.avgPool(x, s, t, pad),
      () => tf.avgPool(x, s, t, pad),
    );
    const x3 = seeded([7, 6, 3], 4) as tf.Tensor3D;
    expectSame(
      () => direct.maxPool(x3, s, t, pad),
      () => tf.maxPool(x3, s, t, pad),
    );
    tf.dispose([x, x3]);
  });

  it("softmax equals tf.softmax on the last axis, and hands another axis to it", async () => {
    await selectBackend(backend);
    for (const shape of [[5], [3, 4], [2, 3, 4]]) {
      const logits = seeded(shape, 9);
      expectSame(
        () => direct.softmax(logits),
        () => tf.softmax(logits),
      );
      expectSame(
        () => direct.softmax(logits, shape.length - 1),
        () => tf.softmax(logits, shape.length - 1),
      );
      logits.dispose();
    }
    const logits = seeded([2, 3], 9);
    expect(() => direct.softmax(logits, 0)).toThrow();
    logits.dispose();
  });

  it("runs only the kernels themselves", async () => {
    await selectBackend(backend);
    const a = seeded([1, 8], 1);
    const b = seeded([8, 4], 2);
    const bias = seeded([4], 3);
    const x = seeded([1, 4, 4, 2], 4) as tf.Tensor4D;
    const filter = seeded([3, 3, 2, 2], 5) as tf.Tensor4D;
    const convBias = seeded([2], 6);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      tf.dispose([
        direct.fusedMatMul({ a, b, bias, activation: "relu" }),
        direct.fusedConv2d({ x, filter, strides: 1, pad: "same", bias: convBias, activation: "relu" }),
        direct.maxPool(x, 2, 2, "valid"),
        direct.avgPool(x, 2, 2, "valid"),
        direct.softmax(a),
      ]);
    });
    // On cpu the product and the convolution are kerasc's own kernels (src/runtime/cpu/kernels.ts).
    const product = backend === "cpu" ? ["KerascMatMul"] : ["Reshape", "Reshape", "_FusedMatMul", "Reshape"];
    expect(profile.kernels.map((k) => k.name)).toEqual([
      ...product,
      backend === "cpu" ? "KerascConv2D" : "FusedConv2D",
      "MaxPool",
      "AvgPool",
      "Softmax",
    ]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, bias, x, filter, convBias]);
  });
});
