// Shape rules, weights and parameter counts of the core layers, expected values worked by hand from the
// reference's formulas (and its own examples), plus each shape error they report.
import { describe, expect, it } from "vitest";
import { baseDeclaredInputShape } from "../../src/compiler/layers/base-args.js";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { apply, readCall, tensor } from "./helpers.js";

describe("Input", () => {
  it("prepends an unknown batch dimension to `shape`", () => {
    expect(apply("Input(shape=(784,))", []).outputs).toEqual([tensor([null, 784])]);
  });

  it("keeps symbolic dimensions by name", () => {
    expect(apply("Input(shape=(T, 16))", [], ["T"]).outputs).toEqual([tensor([null, "T", 16])]);
  });

  it("takes `batch_shape` as is, and `batch_size` as the leading dimension", () => {
    expect(apply("Input(batch_shape=(8, 10))", []).outputs).toEqual([tensor([8, 10])]);
    expect(apply("Input(shape=(3,), batch_size=4)", []).outputs).toEqual([tensor([4, 3])]);
  });

  it("declares its dtype; int32 for index inputs", () => {
    expect(apply('Input(shape=(10,), dtype="int32")', []).outputs).toEqual([
      { shape: [null, 10], dtype: "int32", masked: false },
    ]);
  });

  it("takes no input tensors", () => {
    expect(getLayerDef("Input")?.inputArity).toEqual({ min: 0, max: 0 });
  });
});

describe("Dense", () => {
  it("maps (None, 16) to (None, 32) with 16*32 + 32 = 544 parameters", () => {
    const r = apply("Dense(32)", [tensor([null, 16])]);
    expect(r.outputs).toEqual([tensor([null, 32])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["kernel", [16, 32], true],
      ["bias", [32], true],
    ]);
    expect(r.params).toBe(544);
  });

  it("has no bias with use_bias=False: 16*32 = 512 parameters", () => {
    expect(apply("Dense(32, use_bias=False)", [tensor([null, 16])]).params).toBe(512);
  });

  it("applies to the last axis of an nD input: (None, 10, 16) → (None, 10, 8), 16*8 + 8 = 136", () => {
    const r = apply("Dense(8)", [tensor([null, 10, 16])]);
    expect(r.outputs).toEqual([tensor([null, 10, 8])]);
    expect(r.params).toBe(136);
  });

  it("passes a mask through", () => {
    expect(apply("Dense(4)", [tensor([null, 5, 3], true)]).outputs).toEqual([tensor([null, 5, 4], true)]);
  });

  it("gives the kernel its initializer and makes every weight non-trainable when frozen", () => {
    const r = apply('Dense(2, kernel_initializer="zeros", trainable=False)', [tensor([null, 3])]);
    expect(r.weights).toEqual([
      { name: "kernel", shape: [3, 2], trainable: false, initializer: { className: "Zeros", config: {} } },
      { name: "bias", shape: [2], trainable: false, initializer: { className: "Zeros", config: {} } },
    ]);
  });

  it("needs an input of rank 2 or more", () => {
    const r = apply("Dense(4)", [tensor([null])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      { kind: "input", index: 0, expected: "an input of rank 2 or more (batch, ..., features)" },
    ]);
  });

  it("needs a known last dimension, naming it", () => {
    const symbolic = apply("Dense(4)", [tensor([null, "T"])]);
    expect(symbolic.outputs).toBeNull();
    expect(symbolic.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a known last dimension (the features it connects), not T",
        hint: "give the input a fixed size on its last axis",
      },
    ]);
    expect(apply("Dense(4)", [tensor([null, null])]).reports[0]).toMatchObject({
      expected: "a known last dimension (the features it connects), not None",
    });
  });
});

describe("Activation and Dropout", () => {
  it("keep the input type, mask included", () => {
    const input = tensor([null, 7, 3], true);
    expect(apply('Activation("tanh")', [input]).outputs).toEqual([input]);
    expect(apply("Dropout(0.2)", [input]).outputs).toEqual([input]);
    expect(apply("Dropout(0.2)", [input]).params).toBe(0);
  });

  it("Dropout accepts a noise_shape that broadcasts to the input", () => {
    expect(apply("Dropout(0.5, noise_shape=(None, 1, 8))", [tensor([null, 5, 8])]).outputs).toEqual([
      tensor([null, 5, 8]),
    ]);
  });

  it("Dropout rejects a noise_shape of another rank", () => {
    const r = apply("Dropout(0.5, noise_shape=(None, 8))", [tensor([null, 5, 8])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "noise_shape",
        message: "noise_shape (None, 8) has 2 dimensions but the input (None, 5, 8) has 3",
        hint: "noise_shape includes the batch dimension, e.g. (None, 1, features)",
      },
    ]);
  });

  it("Dropout rejects a noise_shape entry that is neither 1 nor the input's size", () => {
    const r = apply("Dropout(0.5, noise_shape=(None, 3, 8))", [tensor([null, 5, 8])]);
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "noise_shape",
        message:
          "noise_shape (None, 3, 8) does not broadcast to the input (None, 5, 8): dimension 1 is 3, not 1 or 5",
      },
    ]);
  });
});

describe("Flatten", () => {
  it("multiplies the non-batch dimensions: (None, 64, 32, 32) → (None, 65536)", () => {
    expect(apply("Flatten()", [tensor([null, 64, 32, 32])]).outputs).toEqual([tensor([null, 65536])]);
  });

  it("gives the same size for channels_first and drops the mask", () => {
    expect(apply('Flatten(data_format="channels_first")', [tensor([4, 3, 5, 2], true)]).outputs).toEqual([
      tensor([4, 30]),
    ]);
  });

  it("needs rank 3 or more (Keras 2: min_ndim=3)", () => {
    const r = apply("Flatten()", [tensor([null, 10])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "an input of rank 3 or more (batch, d1, d2, ...)",
        hint: "a 2D (batch, features) input is already flat: remove Flatten",
      },
    ]);
  });

  it("needs every dimension after the batch known, naming the first unknown one", () => {
    const symbolic = apply("Flatten()", [tensor([null, 4, "T", 2])]);
    expect(symbolic.outputs).toBeNull();
    expect(symbolic.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "every dimension after the batch to be known, but dimension 2 is T",
        hint: "give the first layer a complete input_shape",
      },
    ]);
    expect(apply("Flatten()", [tensor([null, null, 2])]).reports[0]).toMatchObject({
      expected: "every dimension after the batch to be known, but dimension 1 is None",
    });
  });
});

describe("Reshape", () => {
  it("follows the reference's examples: (12,) → (3, 4) → (6, 2) → (3, 2, 2) with -1", () => {
    expect(apply("Reshape((3, 4))", [tensor([null, 12])]).outputs).toEqual([tensor([null, 3, 4])]);
    expect(apply("Reshape((6, 2))", [tensor([null, 3, 4])]).outputs).toEqual([tensor([null, 6, 2])]);
    expect(apply("Reshape((-1, 2, 2))", [tensor([null, 6, 2])]).outputs).toEqual([tensor([null, 3, 2, 2])]);
    expect(apply("Reshape((-1, 2, 2))", [tensor([null, 12])]).outputs).toEqual([tensor([null, 3, 2, 2])]);
  });

  it("reports a -1 that does not divide, naming both sizes", () => {
    const r = apply("Reshape((5, -1))", [tensor([null, 12])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "target_shape",
        message:
          "cannot infer -1 in target_shape (5, -1): the input (None, 12) holds 12 per sample, not a multiple of 5",
      },
    ]);
  });

  it("reports sizes that do not match, naming both", () => {
    const r = apply("Reshape((5, 2))", [tensor([null, 3, 4])]);
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "target_shape",
        message: "target_shape (5, 2) holds 10 values, but the input (None, 3, 4) holds 12 per sample",
        hint: "the product of the target dimensions must equal the input size",
      },
    ]);
  });

  it("passes symbolic dimensions through when the sizes provably agree", () => {
    const input = [tensor([null, "T", 16])];
    expect(apply("Reshape((T, 4, 4))", input, ["T"]).outputs).toEqual([tensor([null, "T", 4, 4])]);
    expect(apply("Reshape((-1, 16))", input).outputs).toEqual([tensor([null, "T", 16])]);
    expect(apply("Reshape((-1, 8))", input).outputs).toEqual([tensor([null, null, 8])]);
  });

  it("rejects a symbolic size the input does not have", () => {
    const r = apply("Reshape((U, 16))", [tensor([null, "T", 16])], ["U"]);
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "target_shape",
        message: "target_shape (U, 16) holds 16*U values, but the input (None, T, 16) holds 16*T per sample",
        hint: "the product of the target dimensions must equal the input size",
      },
    ]);
  });

  it("leaves -1 unknown when an input dimension is None, as Keras does", () => {
    expect(apply("Reshape((-1, 2))", [tensor([null, null, 4])]).outputs).toEqual([tensor([null, null, 2])]);
  });
});

describe("Permute", () => {
  it("reorders the non-batch axes, 1-based: (None, 10, 64) with (2, 1) → (None, 64, 10)", () => {
    expect(apply("Permute((2, 1))", [tensor([null, 10, 64])]).outputs).toEqual([tensor([null, 64, 10])]);
    expect(apply("Permute((3, 1, 2))", [tensor([null, 2, 3, 4])]).outputs).toEqual([tensor([null, 4, 2, 3])]);
  });

  it("needs an input with one axis per entry of dims", () => {
    const r = apply("Permute((2, 1))", [tensor([null, 10])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      { kind: "input", index: 0, expected: "a 3D input (batch + 2 axes), to match dims (2, 1)" },
    ]);
  });
});

describe("RepeatVector", () => {
  it("repeats a 2D input: (None, 32) with n=3 → (None, 3, 32)", () => {
    expect(apply("RepeatVector(3)", [tensor([null, 32])]).outputs).toEqual([tensor([null, 3, 32])]);
  });

  it("needs exactly a 2D input", () => {
    const r = apply("RepeatVector(3)", [tensor([null, 2, 32])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([{ kind: "input", index: 0, expected: "a 2D input (batch, features)" }]);
  });
});

describe("mask support (Keras 2 supports_masking)", () => {
  it("is declared per layer", () => {
    const supports = ["Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "RepeatVector"].map(
      (name) => [name, getLayerDef(name)?.supportsMasking],
    );
    expect(supports).toEqual([
      ["Dense", true],
      ["Activation", true],
      ["Dropout", true],
      ["Flatten", false],
      ["Reshape", false],
      ["Permute", false],
      ["RepeatVector", false],
    ]);
  });
});

describe("baseDeclaredInputShape", () => {
  const declared = (text: string) => {
    const call = readCall(text);
    return baseDeclaredInputShape(bindLayerArgs(getLayerDef(call.layerName)!, call).args);
  };

  it("derives the first layer's input from input_shape, input_dim, batch_size or batch_input_shape", () => {
    expect(declared("Dense(32, input_shape=(16,))")).toEqual([null, 16]);
    expect(declared("Dense(32, input_dim=16)")).toEqual([null, 16]);
    expect(declared("Dense(32, input_shape=(10,), batch_size=5)")).toEqual([5, 10]);
    expect(declared("Dense(32, batch_input_shape=(2, 3))")).toEqual([2, 3]);
    expect(declared("Dense(32)")).toBeUndefined();
  });
});
