// kerasc's cpu convolution kernels (src/runtime/cpu/conv2d*.ts), run by name through the engine, against
// tfjs-backend-cpu's own kernels (tf.conv2d, tf.fused.conv2d and tf.conv2dTranspose, which never
// substitute): batch 1 and 3, channel counts around the 4 × 4 blocks, widths that are not multiples of 4,
// strides, dilation, paddings and every fused activation with a bias; nothing leaks; and the kernels stand
// in for tfjs's on cpu only. tfjs's Conv2D adds its products in a Float32Array (rounding after each of up
// to 240 additions here: ~5e-6 off the exact sums), so the convolutions' operands are multiples of 1/64,
// whose products and sums float32 holds exactly: the comparison then measures our kernel alone. The
// transposed convolution's reference adds in float64, so it takes any values.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend.js";
import { cpuSubstitute, KERASC_CONV2D, KERASC_CONV2D_TRANSPOSE } from "../../src/runtime/cpu/kernels.js";
import * as direct from "../../src/runtime/ops/direct-kernels.js";

const pattern = (length: number, seed: number, scale: number) =>
  Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898 + seed) * scale);

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Values in [−scale, scale]. */
const seeded = (shape: number[], seed: number, scale = 1.5) =>
  tf.tensor(pattern(sizeOf(shape), seed, scale), shape);

/** Values in [−scale, scale] rounded to multiples of 1/64. */
const dyadic = (shape: number[], seed: number, scale = 1.5) =>
  tf.tensor(
    pattern(sizeOf(shape), seed, scale).map((v) => Math.round(v * 64) / 64),
    shape,
  );

function expectClose(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe("float32");
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(1, Math.abs(e[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / scale);
  }
  expect(worst).toBeLessThanOrEqual(2e-6);
}

/** Runs our kernel by name: one new tensor, nothing else left behind. */
function runOurs(kernel: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  const before = tf.memory().numTensors;
  const ours = tf.engine().runKernel<tf.Tensor>(kernel, inputs, attrs as tf.NamedAttrMap);
  expect(tf.memory().numTensors).toBe(before + 1);
  return ours;
}

const ACTIVATIONS = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const;

type Pad = "same" | "valid";
type Case = [string, number[], number, [number, number], [number, number], [number, number], Pad];

// [label, input shape, output channels, kernel, strides, dilations, padding]
const CASES: Case[] = [];
for (const batch of [1, 3])
  for (const inC of [1, 3, 16])
    for (const outC of [1, 3, 4, 5, 16])
      for (const pad of ["same", "valid"] as const)
        CASES.push([`3×3 ${pad}`, [batch, 7, 9, inC], outC, [3, 3], [1, 1], [1, 1], pad]);
for (const [label, kernel, strides, dilations] of [
  ["1×1", [1, 1], [1, 1], [1, 1]],
  ["5×3", [5, 3], [1, 1], [1, 1]],
  ["3×3 stride 2", [3, 3], [2, 2], [1, 1]],
  ["5×3 stride (1, 2)", [5, 3], [1, 2], [1, 1]],
  ["3×3 dilation 2", [3, 3], [1, 1], [2, 2]],
  ["5×3 dilation 2", [5, 3], [1, 1], [2, 2]],
] as const)
  for (const pad of ["same", "valid"] as const)
    for (const [inC, outC] of [
      [3, 5],
      [16, 16],
    ] as const)
      CASES.push([`${label} ${pad}`, [2, 11, 10, inC], outC, [...kernel], [...strides], [...dilations], pad]);

describe("KerascConv2D on cpu", () => {
  it.each(CASES)(
    "%s of %j to %i channels equals tfjs's Conv2D",
    async (_label, xShape, outC, kernel, strides, dilations, pad) => {
      await selectBackend("cpu");
      const inC = xShape[3]!;
      const x = dyadic(xShape, 1) as tf.Tensor4D;
      const filter = dyadic([kernel[0], kernel[1], inC, outC], 2, 0.5) as tf.Tensor4D;
      const ours = runOurs(
        KERASC_CONV2D,
        { x, filter },
        { strides, pad, dataFormat: "NHWC", dilations, dimRoundingMode: undefined },
      );
      const theirs = tf.conv2d(x, filter, strides, pad, "NHWC", dilations);
      expectClose(ours, theirs);
      tf.dispose([x, filter, ours, theirs]);
    },
  );

  it.each(ACTIVATIONS)("%s with a bias equals tfjs's FusedConv2D", async (activation) => {
    await selectBackend("cpu");
    for (const [xShape, outC, strides, pad] of [
      [[1, 6, 7, 3], 5, [1, 1], "same"],
      [[3, 9, 6, 16], 16, [2, 2], "valid"],
      [[2, 5, 9, 1], 3, [1, 2], "same"],
    ] as const) {
      const x = dyadic([...xShape], 3) as tf.Tensor4D;
      const filter = dyadic([3, 3, xShape[3], outC], 4, 0.5) as tf.Tensor4D;
      const bias = seeded([outC], 5);
      const alpha = seeded([outC], 6, 0.5);
      const attrs = { strides: [...strides] as [number, number], pad, activation, leakyreluAlpha: 0.15 };
      const ours = runOurs(
        KERASC_CONV2D,
        { x, filter, bias, ...(activation === "prelu" ? { preluActivationWeights: alpha } : {}) },
        { ...attrs, dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined },
      );
      const theirs = tf.fused.conv2d({
        x,
        filter,
        bias,
        ...attrs,
        ...(activation === "prelu" ? { preluActivationWeights: alpha } : {}),
      });
      expectClose(ours, theirs);
      tf.dispose([x, filter, bias, alpha, ours, theirs]);
    }
  });

  it("takes explicit pads as tfjs's kernel does", async () => {
    await selectBackend("cpu");
    const x = dyadic([2, 6, 7, 3], 7) as tf.Tensor4D;
    const filter = dyadic([3, 2, 3, 5], 8, 0.5) as tf.Tensor4D;
    const pad = [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ] as tf.backend_util.ExplicitPadding;
    const ours = runOurs(KERASC_CONV2D, { x, filter }, { strides: [2, 1], pad, dilations: 1 });
    const theirs = tf.conv2d(x, filter, [2, 1], pad);
    expectClose(ours, theirs);
    tf.dispose([x, filter, ours, theirs]);
  });
});

describe("KerascConv2DTranspose on cpu", () => {
  // [input shape, output channels, kernel, strides, padding]
  const cases: [number[], number, [number, number], [number, number], Pad][] = [];
  for (const [h, w] of [
    [5, 7],
    [6, 4],
  ])
    for (const strides of [
      [1, 1],
      [2, 2],
      [1, 2],
    ] as [number, number][])
      for (const pad of ["same", "valid"] as const)
        for (const [batch, inC, outC] of [
          [1, 3, 5],
          [3, 16, 4],
          [1, 1, 1],
        ])
          for (const kernel of [
            [3, 3],
            [5, 3],
            [1, 1],
          ] as [number, number][])
            cases.push([[batch!, h!, w!, inC!], outC!, kernel, strides, pad]);
  // A 5 × 5 × 64 window: the product runs in chunks of 160 input pixels (the last one 35, not a multiple of 4).
  cases.push([[2, 15, 13, 3], 64, [5, 5], [2, 2], "same"]);

  it.each(cases)(
    "%j to %i channels, kernel %j, strides %j, %s equals tf.conv2dTranspose",
    async (xShape, outC, kernel, strides, pad) => {
      await selectBackend("cpu");
      const [batch, h, w, inC] = xShape as [number, number, number, number];
      const x = seeded(xShape, 9) as tf.Tensor4D;
      const filter = seeded([kernel[0], kernel[1], outC, inC], 10) as tf.Tensor4D;
      // Keras's output size: the largest input that convolves to x's size.
      const length = (n: number, k: number, s: number) => (pad === "same" ? n * s : (n - 1) * s + k);
      const outputShape: [number, number, number, number] = [
        batch,
        length(h, kernel[0], strides[0]),
        length(w, kernel[1], strides[1]),
        outC,
      ];
      const ours = runOurs(
        KERASC_CONV2D_TRANSPOSE,
        { dy: x, filter },
        { inputShape: outputShape, strides, pad, dataFormat: "NHWC", dimRoundingMode: undefined },
      );
      const theirs = tf.conv2dTranspose(x, filter, outputShape, strides, pad);
      expectClose(ours, theirs);
      tf.dispose([x, filter, ours, theirs]);
    },
  );
  it("leaves out the input rows and columns an output too small does not reach, as tfjs's kernel", async () => {
    await selectBackend("cpu");
    // Keras's output for a 4 × 2 kernel, 'same', stride 1 and output padding 0: 3 × 4 from a 4 × 5 input.
    const x = seeded([2, 4, 5, 3], 14) as tf.Tensor4D;
    const filter = seeded([4, 2, 5, 3], 15) as tf.Tensor4D;
    const attrs = { inputShape: [2, 3, 4, 5], strides: 1, pad: "same", dataFormat: "NHWC" };
    const ours = runOurs(KERASC_CONV2D_TRANSPOSE, { dy: x, filter }, attrs);
    const theirs = tf.conv2dTranspose(x, filter, [2, 3, 4, 5], 1, "same");
    expectClose(ours, theirs);
    tf.dispose([x, filter, ours, theirs]);
  });
});

describe("the convolution kernels' standing", () => {
  it.each(["cpu", "wasm"] as const)(
    "direct conv2d and conv2dTranspose run the kernels for %s",
    async (backend) => {
      await selectBackend(backend);
      const x = dyadic([2, 6, 5, 3], 11) as tf.Tensor4D;
      const filter = dyadic([3, 3, 3, 4], 12, 0.5) as tf.Tensor4D;
      const filterT = dyadic([3, 3, 4, 3], 13, 0.5) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      let y: tf.Tensor | undefined;
      let z: tf.Tensor | undefined;
      const profile = await tf.profile(() => {
        y = direct.conv2d(x, filter, [1, 2], "same", "NHWC", [1, 1]);
        z = direct.conv2dTranspose(x, filterT, [2, 11, 10, 4], 2, "same");
      });
      expect(profile.kernels.map((k) => k.name)).toEqual(
        backend === "cpu" ? [KERASC_CONV2D, KERASC_CONV2D_TRANSPOSE] : ["Conv2D", "Conv2DBackpropInput"],
      );
      expect(tf.memory().numTensors).toBe(before + 2);
      const expectedY = tf.conv2d(x, filter, [1, 2], "same", "NHWC", [1, 1]);
      const expectedZ = tf.conv2dTranspose(x, filterT, [2, 11, 10, 4], 2, "same");
      expectClose(y!, expectedY);
      expectClose(z!, expectedZ);
      tf.dispose([y!, z!, expectedY, expectedZ]);
      tf.dispose([x, filter, filterT]);
    },
  );

  it("stand in for FusedConv2D, Conv2D and Conv2DBackpropInput on cpu only", async () => {
    await selectBackend("cpu");
    expect(cpuSubstitute(tf.FusedConv2D)).toBe(KERASC_CONV2D);
    expect(cpuSubstitute(tf.Conv2D)).toBe(KERASC_CONV2D);
    expect(cpuSubstitute(tf.Conv2DBackpropInput)).toBe(KERASC_CONV2D_TRANSPOSE);
    expect(cpuSubstitute(tf.DepthwiseConv2dNative)).toBeUndefined();
    await selectBackend("wasm");
    expect(cpuSubstitute(tf.FusedConv2D)).toBeUndefined();
    expect(cpuSubstitute(tf.Conv2D)).toBeUndefined();
    expect(cpuSubstitute(tf.Conv2DBackpropInput)).toBeUndefined();
  });
});
