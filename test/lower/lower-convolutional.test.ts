// Lowering the convolutional, pooling and locally-connected layers: the steps each becomes (channels_first
// transposed around the channels-last ops, causal Conv1D's left pad, activations fused or following the
// restoring transpose, separable = depthwise + 1×1 conv) and what cannot lower. No backend needed.
import { describe, expect, it } from "vitest";
import { lowerGraph } from "../../src/compiler/5-lower/lower.js";
import { compile } from "../../src/compiler/index.js";
import { nodeHost } from "../../src/node-host.js";
import type { Program } from "../../src/runtime/program.js";
import { validateProgram } from "../../src/runtime/validate.js";

function lowered(source: string) {
  const compiled = compile(source, { fileName: "test.kml", host: nodeHost });
  expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return lowerGraph(compiled.ir!.graphs[0]!);
}

function lower(shape: string, layer: string): Program {
  const result = lowered(`sequential m(input_shape=${shape}) { ${layer} }`);
  expect(result.diagnostics).toEqual([]);
  expect(validateProgram(result.program!)).toBeGreaterThan(0);
  return result.program!;
}

/** [op, attrs, weights] per step. */
const stepsOf = (program: Program) => program.steps.map((s) => [s.op, s.attrs, s.weights]);

describe("lowering the convolutional family", () => {
  it("Conv2D channels_last: one conv with the activation fused", () => {
    expect(stepsOf(lower("(6, 6, 3)", 'Conv2D(4, 3, strides=2, padding="same", activation="relu")'))).toEqual(
      [
        [
          "conv",
          { strides: [2, 2], dilations: [1, 1], padding: "same", activation: "relu" },
          ["conv2d_1/kernel", "conv2d_1/bias"],
        ],
      ],
    );
  });

  it("Conv2D channels_first: transposed to channels-last and back; softmax after, on the last axis", () => {
    const program = lower("(3, 6, 6)", 'Conv2D(4, 3, activation="softmax", data_format="channels_first")');
    expect(stepsOf(program)).toEqual([
      ["transpose", { perm: [0, 2, 3, 1] }, []],
      [
        "conv",
        { strides: [1, 1], dilations: [1, 1], padding: "valid", activation: "linear" },
        ["conv2d_1/kernel", "conv2d_1/bias"],
      ],
      ["transpose", { perm: [0, 3, 1, 2] }, []],
      ["activation", { fn: "softmax" }, []],
    ]);
  });

  it("causal Conv1D: (kernel - 1) * dilation zeros on the left, then a valid conv", () => {
    expect(
      stepsOf(lower("(9, 2)", 'Conv1D(3, 3, padding="causal", dilation_rate=2, use_bias=False)')),
    ).toEqual([
      [
        "pad",
        {
          paddings: [
            [0, 0],
            [4, 0],
            [0, 0],
          ],
        },
        [],
      ],
      ["conv", { strides: [1], dilations: [2], padding: "valid", activation: "linear" }, ["conv1d_1/kernel"]],
    ]);
  });

  it("SeparableConv2D: the depthwise step, then a 1×1 conv with the bias and activation", () => {
    expect(
      stepsOf(lower("(6, 6, 3)", 'SeparableConv2D(4, 3, depth_multiplier=2, activation="elu")')),
    ).toEqual([
      [
        "depthwiseConv",
        { strides: [1, 1], dilations: [1, 1], padding: "valid", activation: "linear" },
        ["separable_conv2d_1/depthwise_kernel"],
      ],
      [
        "conv",
        { strides: [1, 1], dilations: [1, 1], padding: "valid", activation: "elu" },
        ["separable_conv2d_1/pointwise_kernel", "separable_conv2d_1/bias"],
      ],
    ]);
  });

  it("Conv3DTranspose keeps output_padding; Conv2DTranspose names its dilation only when it has one", () => {
    expect(stepsOf(lower("(2, 2, 2, 3)", "Conv3DTranspose(2, 3, strides=2, output_padding=1)"))).toEqual([
      [
        "convTranspose",
        { strides: [2, 2, 2], padding: "valid", outputPadding: [1, 1, 1], activation: "linear" },
        ["conv3d_transpose_1/kernel", "conv3d_transpose_1/bias"],
      ],
    ]);
    expect(
      stepsOf(lower("(5, 5, 3)", "Conv2DTranspose(2, 3, dilation_rate=(2, 1), use_bias=False)")),
    ).toEqual([
      [
        "convTranspose",
        { strides: [1, 1], dilations: [2, 1], padding: "valid", outputPadding: null, activation: "linear" },
        ["conv2d_transpose_1/kernel"],
      ],
    ]);
    expect(stepsOf(lower("(5, 5, 3)", "Conv2DTranspose(2, 3, use_bias=False)"))).toEqual([
      [
        "convTranspose",
        { strides: [1, 1], padding: "valid", outputPadding: null, activation: "linear" },
        ["conv2d_transpose_1/kernel"],
      ],
    ]);
  });

  it("Cropping, ZeroPadding and UpSampling act on the spatial axes of either layout, without transposes", () => {
    expect(stepsOf(lower("(2, 5, 6)", 'Cropping2D(((1, 0), (2, 1)), data_format="channels_first")'))).toEqual(
      [
        [
          "crop",
          {
            cropping: [
              [0, 0],
              [0, 0],
              [1, 0],
              [2, 1],
            ],
          },
          [],
        ],
      ],
    );
    expect(stepsOf(lower("(5, 2)", "ZeroPadding1D((2, 1))"))).toEqual([
      [
        "pad",
        {
          paddings: [
            [0, 0],
            [2, 1],
            [0, 0],
          ],
        },
        [],
      ],
    ]);
    expect(stepsOf(lower("(2, 3, 4, 2)", "UpSampling3D((2, 1, 3))"))).toEqual([
      ["upsample", { factors: [1, 2, 1, 3, 1] }, []],
    ]);
    expect(
      stepsOf(lower("(2, 3, 4)", 'UpSampling2D(2, data_format="channels_first", interpolation="bilinear")')),
    ).toEqual([
      ["transpose", { perm: [0, 2, 3, 1] }, []],
      ["resizeBilinear", { factors: [2, 2] }, []],
      ["transpose", { perm: [0, 3, 1, 2] }, []],
    ]);
  });
});

describe("lowering the pooling and locally-connected families", () => {
  it("MaxPooling2D: strides default to pool_size", () => {
    expect(stepsOf(lower("(6, 6, 3)", "MaxPooling2D((3, 2))"))).toEqual([
      ["pool", { mode: "max", poolSize: [3, 2], strides: [3, 2], padding: "valid" }, []],
    ]);
  });

  it("global pooling reduces the spatial axes of either layout", () => {
    expect(stepsOf(lower("(3, 4, 5, 6)", 'GlobalAveragePooling3D(data_format="channels_first")'))).toEqual([
      ["reduce", { mode: "mean", axes: [2, 3, 4] }, []],
    ]);
    expect(stepsOf(lower("(4, 6)", "GlobalMaxPooling1D()"))).toEqual([
      ["reduce", { mode: "max", axes: [1] }, []],
    ]);
  });

  it("LocallyConnected2D: one localConv in the input's own layout", () => {
    expect(
      stepsOf(
        lower("(3, 5, 5)", 'LocallyConnected2D(2, 3, activation="relu", data_format="channels_first")'),
      ),
    ).toEqual([
      [
        "localConv",
        { kernelSize: [3, 3], strides: [1, 1], channelsFirst: true, activation: "relu" },
        ["locally_connected2d_1/kernel", "locally_connected2d_1/bias"],
      ],
    ]);
  });
});
