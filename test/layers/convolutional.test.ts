// Conv1D/2D/3D and the transposed convolutions: the window arithmetic of conv-arithmetic.ts, shapes and
// parameter counts worked by hand from the reference's rules (Keras 2's conv_output_length /
// deconv_length), FLOPs, and every argument and shape error with its message.
import { describe, expect, it } from "vitest";
import {
  convOutputDim,
  convOutputLength,
  dilatedKernelSize,
  keepsEveryLength,
  mapLength,
  transposedConvOutputLength,
} from "../../src/compiler/layers/conv-arithmetic.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { bindErrors, flopsOf } from "./convolutional-helpers.js";
import { apply, tensor } from "./helpers.js";

const w = (kernel: number, stride = 1, dilation = 1) => ({ kernel, stride, dilation });

describe("conv-arithmetic: Keras 2's conv_output_length", () => {
  it("valid keeps the positions where the kernel fits: L - k + 1", () => {
    expect(convOutputLength(10, w(3), "valid")).toBe(8);
    expect(convOutputLength(10, w(1), "valid")).toBe(10);
    expect(convOutputLength(3, w(5), "valid")).toBe(-1);
  });

  it("same and causal keep the length; full adds the overhang: L + k - 1", () => {
    expect(convOutputLength(10, w(3), "same")).toBe(10);
    expect(convOutputLength(10, w(3), "causal")).toBe(10);
    expect(convOutputLength(10, w(3), "full")).toBe(12);
  });

  it("a stride keeps one position in `stride`, rounding up: ⌈(L - k + 1) / s⌉, ⌈L / s⌉", () => {
    expect(convOutputLength(10, w(3, 2), "valid")).toBe(4);
    expect(convOutputLength(11, w(3, 2), "valid")).toBe(5);
    expect(convOutputLength(11, w(3, 2), "same")).toBe(6);
    expect(convOutputLength(28, w(3, 3), "same")).toBe(10);
  });

  it("a dilated kernel spans k + (k - 1)(d - 1)", () => {
    expect(dilatedKernelSize(3, 2)).toBe(5);
    expect(dilatedKernelSize(3, 4)).toBe(9);
    expect(dilatedKernelSize(1, 8)).toBe(1);
    expect(convOutputLength(10, w(3, 1, 2), "valid")).toBe(6);
    expect(convOutputLength(10, w(3, 1, 4), "causal")).toBe(10);
  });

  it("None stays None; a symbolic dim survives only where the length is the input's own", () => {
    expect(convOutputDim(null, w(3), "valid")).toBeNull();
    expect(convOutputDim("T", w(3), "same")).toBe("T");
    expect(convOutputDim("T", w(3, 1, 2), "causal")).toBe("T");
    expect(convOutputDim("T", w(1), "valid")).toBe("T");
    expect(convOutputDim("T", w(3), "valid")).toBeNull();
    expect(convOutputDim("T", w(3, 2), "same")).toBeNull();
    expect(mapLength("T", (n) => n * 2, false)).toBeNull();
    expect(mapLength(4, (n) => n * 2, false)).toBe(8);
    expect(keepsEveryLength(1, (n) => n)).toBe(true);
    expect(keepsEveryLength(2, (n) => Math.ceil(n / 2))).toBe(false);
  });
});

describe("conv-arithmetic: Keras 2's deconv_length", () => {
  it("infers the length without output_padding: valid L*s + max(k - s, 0), same L*s, full L*s - (s + k - 2)", () => {
    expect(transposedConvOutputLength(10, w(3, 2), "valid", null)).toBe(21);
    expect(transposedConvOutputLength(10, w(1, 2), "valid", null)).toBe(20);
    expect(transposedConvOutputLength(10, w(3, 2), "same", null)).toBe(20);
    expect(transposedConvOutputLength(10, w(3, 2), "full", null)).toBe(17);
  });

  it("with output_padding: (L - 1)*s + k - 2*pad + output_padding, pad 0 / k // 2 / k - 1", () => {
    expect(transposedConvOutputLength(10, w(3, 2), "same", 1)).toBe(20);
    expect(transposedConvOutputLength(10, w(3, 2), "valid", 1)).toBe(22);
    expect(transposedConvOutputLength(10, w(3, 2), "full", 0)).toBe(17);
    expect(transposedConvOutputLength(1, w(4), "same", 0)).toBe(0);
  });

  it("dilates the kernel first", () => {
    expect(transposedConvOutputLength(10, w(3, 1, 2), "valid", null)).toBe(14);
  });
});

describe("Conv1D", () => {
  it("(None, 10, 32) → (None, 8, 64) with 3*32*64 + 64 = 6208 parameters", () => {
    const r = apply("Conv1D(64, 3)", [tensor([null, 10, 32])]);
    expect(r.outputs).toEqual([tensor([null, 8, 64])]);
    expect(r.weights.map((x) => [x.name, x.shape, x.trainable])).toEqual([
      ["kernel", [3, 32, 64], true],
      ["bias", [64], true],
    ]);
    expect(r.params).toBe(6208);
  });

  it("strides and same padding: ⌈10 / 2⌉ = 5 steps; no bias: 3*32*64 = 6144", () => {
    const r = apply('Conv1D(64, 3, strides=2, padding="same", use_bias=False)', [tensor([null, 10, 32])]);
    expect(r.outputs).toEqual([tensor([null, 5, 64])]);
    expect(r.params).toBe(6144);
  });

  it("causal padding keeps the length, dilated or not (the reference: output[t] sees no input after t)", () => {
    expect(apply('Conv1D(4, 3, padding="causal")', [tensor([null, 10, 3])]).outputs).toEqual([
      tensor([null, 10, 4]),
    ]);
    expect(apply('Conv1D(4, 3, padding="causal", dilation_rate=4)', [tensor([null, 10, 3])]).outputs).toEqual(
      [tensor([null, 10, 4])],
    );
    expect(apply('Conv1D(4, 2, padding="CAUSAL", strides=2)', [tensor([null, 9, 3])]).outputs).toEqual([
      tensor([null, 5, 4]),
    ]);
  });

  it("a dilated valid kernel 3 by 2 spans 5: 10 → 6", () => {
    expect(apply("Conv1D(4, 3, dilation_rate=2)", [tensor([null, 10, 3])]).outputs).toEqual([
      tensor([null, 6, 4]),
    ]);
  });

  it("variable-length sequences: None steps stay None, a symbolic length stays when causal", () => {
    expect(apply("Conv1D(4, 3)", [tensor([null, null, 128])]).outputs).toEqual([tensor([null, null, 4])]);
    expect(apply('Conv1D(4, 3, padding="causal")', [tensor([null, "T", 8])], ["T"]).outputs).toEqual([
      tensor([null, "T", 4]),
    ]);
    expect(apply("Conv1D(4, 3)", [tensor([null, "T", 8])], ["T"]).outputs).toEqual([tensor([null, null, 4])]);
  });

  it("takes data_format (Keras 2.x) as a keyword: channels_first reads (batch, channels, steps)", () => {
    const r = apply('Conv1D(4, 3, data_format="channels_first")', [tensor([null, 3, 10])]);
    expect(r.outputs).toEqual([tensor([null, 4, 8])]);
    expect(r.params).toBe(3 * 3 * 4 + 4);
  });

  it("does not take a mask (Keras 2's _Conv) and computes float32", () => {
    expect(getLayerDef("Conv1D")?.supportsMasking).toBe(false);
    const r = apply("Conv1D(4, 3)", [{ shape: [null, 10, 3], dtype: "int32", masked: false }]);
    expect(r.outputs?.[0]?.dtype).toBe("float32");
  });

  it("FLOPs: 8*64 outputs, each 3*32 multiply-adds, plus a bias each: 2*49152 + 512; relu adds 512", () => {
    expect(flopsOf("Conv1D(64, 3)", [tensor([null, 10, 32])])).toBe(98816);
    expect(flopsOf('Conv1D(64, 3, activation="relu")', [tensor([null, 10, 32])])).toBe(99328);
    expect(flopsOf("Conv1D(64, 3)", [tensor([null, null, 32])])).toBeNull();
  });

  it("reports a kernel larger than the input with valid padding", () => {
    const r = apply("Conv1D(8, 5)", [tensor([null, 3, 4])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "kernel_size",
        message: "kernel 5 is larger than the input length 3 with padding='valid'",
        hint: "use a smaller kernel_size (or dilation_rate), padding='same', or a longer input",
      },
    ]);
    expect(apply("Conv1D(8, 3, dilation_rate=2)", [tensor([null, 4, 4])]).reports[0]).toMatchObject({
      message: "kernel 3 dilated by 2 (spanning 5) is larger than the input length 4 with padding='valid'",
    });
    expect(apply("Conv1D(8, 3)", [tensor([null, 3, 4])]).outputs).toEqual([tensor([null, 1, 8])]);
  });

  it("needs a 3D input and a known channel count", () => {
    expect(apply("Conv1D(8, 3)", [tensor([null, 10])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 3D input (batch, steps, features)",
        hint: "the input has no features axis: give it one, e.g. input_shape=(steps, 1)",
      },
    ]);
    expect(apply("Conv1D(8, 3)", [tensor([null, 10, null])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a known number of channels on axis 2, not None",
        hint: "the kernel's shape depends on the channel count: give the input a fixed size on that axis",
      },
    ]);
  });

  it("KML313: strides ≠ 1 with dilation_rate ≠ 1, reported at dilation_rate", () => {
    expect(bindErrors("Conv1D(8, 3, strides=2, dilation_rate=2)")).toEqual([
      [
        "KML313",
        "2",
        "`dilation_rate` of Conv1D: dilation_rate (2) cannot be combined with strides (2): a stride other than 1 excludes a dilation rate other than 1",
      ],
    ]);
  });

  it("KML313: causal padding with channels_first (Keras 2 refuses it)", () => {
    expect(bindErrors('Conv1D(8, 3, padding="causal", data_format="channels_first")')).toEqual([
      [
        "KML313",
        '"channels_first"',
        '`data_format` of Conv1D: causal padding needs data_format="channels_last" (steps before features), as in Keras 2',
      ],
    ]);
  });

  it("keeps the reference's positional order: the fifth argument is dilation_rate, data_format a keyword", () => {
    expect(apply('Conv1D(4, 3, 1, "valid", 2)', [tensor([null, 10, 3])]).outputs).toEqual([
      tensor([null, 6, 4]),
    ]);
  });

  it("KML307: an unknown padding, with a suggestion", () => {
    expect(bindErrors('Conv1D(8, 3, padding="casual")')).toEqual([
      ["KML307", '"casual"', '`padding` of Conv1D must be one of "valid", "same", "causal", got "casual"'],
    ]);
  });

  it("KML313: input_length without input_dim", () => {
    expect(bindErrors("Conv1D(8, 3, input_length=10)")).toEqual([
      [
        "KML313",
        "10",
        "`input_length` of Conv1D: input_length declares the input only together with input_dim",
      ],
    ]);
  });
});

describe("Conv2D", () => {
  it("SPEC's mnist_cnn: 32 filters (3, 3) on (None, 28, 28, 1) → (None, 26, 26, 32), 3*3*1*32 + 32 = 320", () => {
    const r = apply('Conv2D(32, (3, 3), activation="relu")', [tensor([null, 28, 28, 1])]);
    expect(r.outputs).toEqual([tensor([null, 26, 26, 32])]);
    expect(r.weights.map((x) => [x.name, x.shape])).toEqual([
      ["kernel", [3, 3, 1, 32]],
      ["bias", [32]],
    ]);
    expect(r.params).toBe(320);
  });

  it("the reference's Flatten example, channels_first: (None, 3, 32, 32) → (None, 64, 32, 32), 1792", () => {
    const r = apply('Conv2D(64, (3, 3), padding="same", data_format="channels_first")', [
      tensor([null, 3, 32, 32]),
    ]);
    expect(r.outputs).toEqual([tensor([null, 64, 32, 32])]);
    expect(r.params).toBe(3 * 3 * 3 * 64 + 64);
  });

  it("per-axis kernel, strides and dilation: (None, 17, 12, 2), kernel (3, 2), strides (2, 3) → (8, 4)", () => {
    expect(apply("Conv2D(5, (3, 2), strides=(2, 3))", [tensor([null, 17, 12, 2])]).outputs).toEqual([
      tensor([null, 8, 4, 5]),
    ]);
    expect(apply("Conv2D(5, 3, dilation_rate=(2, 1))", [tensor([null, 17, 12, 2])]).outputs).toEqual([
      tensor([null, 13, 10, 5]),
    ]);
  });

  it("keeps symbolic rows and cols with same padding and stride 1", () => {
    expect(apply('Conv2D(8, 3, padding="same")', [tensor([null, "H", "W", 3])], ["H", "W"]).outputs).toEqual([
      tensor([null, "H", "W", 8]),
    ]);
  });

  it("FLOPs: 26*26*32 outputs of 9 multiply-adds, bias and relu: 2*194688 + 2*21632 = 432640", () => {
    expect(flopsOf('Conv2D(32, (3, 3), activation="relu")', [tensor([null, 28, 28, 1])])).toBe(432640);
  });

  it("names the axis a kernel does not fit", () => {
    expect(apply("Conv2D(8, (2, 5))", [tensor([null, 10, 3, 1])]).reports[0]).toMatchObject({
      message: "kernel 5 is larger than the input length 3 of cols (axis 2) with padding='valid'",
    });
    expect(
      apply('Conv2D(8, 5, data_format="channels_first")', [tensor([null, 1, 4, 10])]).reports[0],
    ).toMatchObject({
      message: "kernel 5 is larger than the input length 4 of rows (axis 2) with padding='valid'",
    });
  });

  it("needs a 4D input: (batch, rows, cols, channels), or channels first", () => {
    expect(apply("Conv2D(8, 3)", [tensor([null, 10, 10, 3, 1])]).reports).toEqual([
      { kind: "input", index: 0, expected: "a 4D input (batch, rows, cols, channels)" },
    ]);
    expect(
      apply('Conv2D(8, 3, data_format="channels_first")', [tensor([null, 10])]).reports[0],
    ).toMatchObject({ expected: "a 4D input (batch, channels, rows, cols)" });
    expect(
      apply('Conv2D(8, 3, data_format="channels_first")', [tensor([null, null, 10, 10])]).reports[0],
    ).toMatchObject({ expected: "a known number of channels on axis 1, not None" });
  });

  it("KML313: padding causal is only for Conv1D", () => {
    expect(bindErrors('Conv2D(8, 3, padding="causal")')).toEqual([
      [
        "KML313",
        '"causal"',
        '`padding` of Conv2D: padding "causal" is only for Conv1D (temporal data); Conv2D takes "valid" or "same"',
      ],
    ]);
  });

  it("KML313: strides and dilation_rate both other than 1", () => {
    expect(bindErrors("Conv2D(8, 3, strides=(1, 2), dilation_rate=(2, 1))")[0]?.[0]).toBe("KML313");
    expect(bindErrors("Conv2D(8, 3, strides=(1, 1), dilation_rate=(2, 1))")).toEqual([]);
  });

  it("KML305: a kernel_size tuple of the wrong length", () => {
    expect(bindErrors("Conv2D(8, (3, 3, 3))")[0]?.[0]).toBe("KML305");
  });

  it("freezing makes kernel and bias non-trainable", () => {
    const r = apply("Conv2D(2, 1, trainable=False)", [tensor([null, 4, 4, 3])]);
    expect(r.weights.map((x) => x.trainable)).toEqual([false, false]);
  });
});

describe("Conv3D", () => {
  it("the reference's 10 frames of 128x128 RGB, channels_first: (None, 3, 10, 128, 128) → (None, 8, 8, 126, 126)", () => {
    const r = apply('Conv3D(8, 3, data_format="channels_first")', [tensor([null, 3, 10, 128, 128])]);
    expect(r.outputs).toEqual([tensor([null, 8, 8, 126, 126])]);
    expect(r.weights.map((x) => x.shape)).toEqual([[3, 3, 3, 3, 8], [8]]);
    expect(r.params).toBe(27 * 3 * 8 + 8);
  });

  it("channels_last with strides: (None, 16, 16, 16, 1), strides 2, same → (None, 8, 8, 8, 4)", () => {
    expect(apply('Conv3D(4, 3, strides=2, padding="same")', [tensor([null, 16, 16, 16, 1])]).outputs).toEqual(
      [tensor([null, 8, 8, 8, 4])],
    );
  });

  it("needs a 5D input", () => {
    expect(apply("Conv3D(4, 3)", [tensor([null, 16, 16, 1])]).reports[0]).toMatchObject({
      expected: "a 5D input (batch, dim1, dim2, dim3, channels)",
      hint: "the input has no channels axis: give it one, e.g. input_shape=(dim1, dim2, dim3, 1)",
    });
  });
});

describe("Conv2DTranspose", () => {
  it("(None, 10, 12, 3), kernel 3, strides 2, valid → (None, 21, 25, 4); kernel (3, 3, filters, in): 112", () => {
    const r = apply("Conv2DTranspose(4, 3, strides=2)", [tensor([null, 10, 12, 3])]);
    expect(r.outputs).toEqual([tensor([null, 21, 25, 4])]);
    expect(r.weights.map((x) => [x.name, x.shape])).toEqual([
      ["kernel", [3, 3, 4, 3]],
      ["bias", [4]],
    ]);
    expect(r.params).toBe(112);
  });

  it("same padding multiplies by the stride; output_padding picks the exact length", () => {
    expect(
      apply('Conv2DTranspose(4, 3, strides=2, padding="same")', [tensor([null, 10, 12, 3])]).outputs,
    ).toEqual([tensor([null, 20, 24, 4])]);
    expect(
      apply('Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=(0, 1))', [
        tensor([null, 10, 12, 3]),
      ]).outputs,
    ).toEqual([tensor([null, 19, 24, 4])]);
  });

  it("channels_first, dilation (a keyword, as the reference lists it), symbolic dims", () => {
    expect(
      apply('Conv2DTranspose(4, 3, data_format="channels_first", dilation_rate=2)', [
        tensor([null, 3, 10, 12]),
      ]).outputs,
    ).toEqual([tensor([null, 4, 14, 16])]);
    expect(
      apply('Conv2DTranspose(4, 3, padding="same")', [tensor([null, "H", null, 3])], ["H"]).outputs,
    ).toEqual([tensor([null, "H", null, 4])]);
  });

  it("FLOPs: every input value through the 3x3 kernel into 4 filters: 2*(10*12*3*9*4) + 21*25*4", () => {
    expect(flopsOf("Conv2DTranspose(4, 3, strides=2)", [tensor([null, 10, 12, 3])])).toBe(28020);
  });

  it("KML313: output_padding must be smaller than the stride", () => {
    expect(bindErrors("Conv2DTranspose(4, 3, strides=2, output_padding=2)")).toEqual([
      [
        "KML313",
        "2",
        "`output_padding` of Conv2DTranspose: output_padding (2, 2) must be smaller than strides (2, 2) on every axis",
      ],
    ]);
  });

  it("KML402: an exact output_padding that leaves no output", () => {
    expect(
      apply('Conv2DTranspose(4, 4, padding="same", output_padding=0)', [tensor([null, 1, 5, 3])]).reports,
    ).toEqual([
      {
        kind: "argument",
        arg: "output_padding",
        message: "the output length of rows would be 0",
        hint: "raise output_padding or use padding='valid'",
      },
    ]);
  });
});

describe("Conv3DTranspose", () => {
  it("(None, 10, 12, 5, 3), kernel 3, strides 2 → (None, 21, 25, 11, 4): 27*4*3 + 4 = 328", () => {
    const r = apply("Conv3DTranspose(4, 3, strides=2)", [tensor([null, 10, 12, 5, 3])]);
    expect(r.outputs).toEqual([tensor([null, 21, 25, 11, 4])]);
    expect(r.weights.map((x) => x.shape)).toEqual([[3, 3, 3, 4, 3], [4]]);
    expect(r.params).toBe(328);
  });

  it("takes output_padding positionally after padding (Keras 2.x's order) and has no dilation_rate", () => {
    expect(apply('Conv3DTranspose(2, 3, 2, "same", 1)', [tensor([null, 4, 4, 4, 1])]).outputs).toEqual([
      tensor([null, 8, 8, 8, 2]),
    ]);
    expect(bindErrors("Conv3DTranspose(2, 3, dilation_rate=2)")[0]?.[0]).toBe("KML301");
  });
});
