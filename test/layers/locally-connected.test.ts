// LocallyConnected1D/2D: shapes and parameter counts worked by hand from the reference's formula (one
// kernel per output position), the reference's own example end to end, and the errors (padding other than
// "valid", unknown spatial dims, a kernel that does not fit).
import { describe, expect, it } from "vitest";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build, outputShape } from "../build/helpers.js";
import { bindErrors, flopsOf } from "./convolutional-helpers.js";
import { apply, tensor } from "./helpers.js";

describe("LocallyConnected2D", () => {
  it("the reference's example: 64 filters (3, 3) on (32, 32, 3) → (None, 30, 30, 64), (30*30)*(3*3*3*64) + (30*30)*64", () => {
    const r = apply("LocallyConnected2D(64, (3, 3))", [tensor([null, 32, 32, 3])]);
    expect(r.outputs).toEqual([tensor([null, 30, 30, 64])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["kernel", [900, 27, 64], true],
      ["bias", [30, 30, 64], true],
    ]);
    expect(r.params).toBe(30 * 30 * (3 * 3 * 3 * 64) + 30 * 30 * 64);
  });

  it("then 32 filters on top: (None, 28, 28, 32), (28*28)*(3*3*64*32) + (28*28)*32", () => {
    const r = apply("LocallyConnected2D(32, (3, 3))", [tensor([null, 30, 30, 64])]);
    expect(r.outputs).toEqual([tensor([null, 28, 28, 32])]);
    expect(r.params).toBe(28 * 28 * (3 * 3 * 64 * 32) + 28 * 28 * 32);
  });

  it("channels_first: (None, 3, 32, 32) → (None, 64, 30, 30), the same count", () => {
    const r = apply('LocallyConnected2D(64, 3, data_format="channels_first")', [tensor([null, 3, 32, 32])]);
    expect(r.outputs).toEqual([tensor([null, 64, 30, 30])]);
    expect(r.params).toBe(1612800);
  });

  it("strides and a non-square kernel: (None, 9, 8, 2), kernel (3, 2), strides (2, 3) → (None, 4, 3, 5)", () => {
    const r = apply("LocallyConnected2D(5, (3, 2), strides=(2, 3), use_bias=False)", [
      tensor([null, 9, 8, 2]),
    ]);
    expect(r.outputs).toEqual([tensor([null, 4, 3, 5])]);
    expect(r.weights.map((w) => w.shape)).toEqual([[12, 12, 5]]);
    expect(r.params).toBe(12 * 12 * 5);
  });

  it("FLOPs as a convolution: 30*30*64 outputs of 27 multiply-adds, plus the bias", () => {
    expect(flopsOf("LocallyConnected2D(64, (3, 3))", [tensor([null, 32, 32, 3])])).toBe(
      57600 * 27 * 2 + 57600,
    );
  });

  it("needs every spatial dim known (a kernel per position) and a 4D input", () => {
    expect(apply("LocallyConnected2D(4, 3)", [tensor([null, 10, null, 3])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "every spatial dimension to be known, but cols (axis 2) is None",
        hint: "it has one kernel per output position: give the input a complete input_shape",
      },
    ]);
    expect(apply("LocallyConnected2D(4, 3)", [tensor([null, 10, "W", 3])], ["W"]).reports[0]).toMatchObject({
      expected: "every spatial dimension to be known, but cols (axis 2) is W",
    });
    expect(apply("LocallyConnected2D(4, 3)", [tensor([null, 10, 3])]).reports[0]).toMatchObject({
      expected: "a 4D input (batch, rows, cols, channels)",
    });
  });

  it("KML313: padding other than valid, as in Keras 2", () => {
    expect(bindErrors('LocallyConnected2D(4, 3, padding="same")')).toEqual([
      [
        "KML313",
        '"same"',
        '`padding` of LocallyConnected2D: LocallyConnected2D supports only padding "valid" (as Keras 2), not "same"',
      ],
    ]);
  });

  it("accepts Keras 2.x's implementation=1 (in its saved configs); KML313 for the dense layouts 2 and 3", () => {
    expect(apply("LocallyConnected2D(4, 3, implementation=1)", [tensor([null, 5, 5, 1])]).params).toBe(
      9 * 9 * 4 + 9 * 4,
    );
    expect(bindErrors("LocallyConnected2D(4, 3, implementation=2)")).toEqual([
      [
        "KML313",
        "2",
        "`implementation` of LocallyConnected2D: implementation 2 is not supported: kerasc has the reference's layout, implementation 1 (one kernel per output position)",
      ],
    ]);
    expect(bindErrors("LocallyConnected1D(4, 3, implementation=3)")[0]?.[0]).toBe("KML313");
  });

  it("KML301: no dilation_rate (the reference's signature, and Keras 2's)", () => {
    expect(bindErrors("LocallyConnected2D(4, 3, dilation_rate=2)")[0]?.[0]).toBe("KML301");
  });
});

describe("LocallyConnected1D", () => {
  it("(None, 10, 32), 64 filters of 3 → (None, 8, 64); kernel (8, 3*32, 64), bias (8, 64): 49664", () => {
    const r = apply("LocallyConnected1D(64, 3)", [tensor([null, 10, 32])]);
    expect(r.outputs).toEqual([tensor([null, 8, 64])]);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [8, 96, 64]],
      ["bias", [8, 64]],
    ]);
    expect(r.params).toBe(8 * (3 * 32 * 64) + 8 * 64);
  });

  it("strides: (None, 11, 2), kernel 3, strides 2 → (None, 5, 4): 5*6*4 + 5*4 = 140", () => {
    const r = apply("LocallyConnected1D(4, 3, strides=2)", [tensor([null, 11, 2])]);
    expect(r.outputs).toEqual([tensor([null, 5, 4])]);
    expect(r.params).toBe(140);
  });

  it("channels_first reads (batch, channels, steps)", () => {
    expect(
      apply('LocallyConnected1D(4, 3, data_format="channels_first")', [tensor([null, 2, 11])]).outputs,
    ).toEqual([tensor([null, 4, 9])]);
  });

  it("needs a known length, and a kernel that fits", () => {
    expect(apply("LocallyConnected1D(4, 3)", [tensor([null, null, 2])]).reports[0]).toMatchObject({
      expected: "every spatial dimension to be known, but steps (axis 1) is None",
    });
    expect(apply("LocallyConnected1D(4, 5)", [tensor([null, 3, 2])]).reports[0]).toMatchObject({
      arg: "kernel_size",
      message: "kernel 5 is larger than the input length 3 with padding='valid'",
    });
  });

  it("takes no mask", () => {
    expect(getLayerDef("LocallyConnected1D")?.supportsMasking).toBe(false);
    expect(getLayerDef("LocallyConnected2D")?.supportsMasking).toBe(false);
  });
});

describe("end to end", () => {
  it("the reference's LocallyConnected2D sample, and Keras 2's LocallyConnected1D docstring example", () => {
    const b = build(
      `sequential lc2 {
  LocallyConnected2D(64, (3, 3), input_shape=(32, 32, 3))
  LocallyConnected2D(32, (3, 3))
}
sequential lc1 {
  LocallyConnected1D(64, 3, input_shape=(10, 32))
  LocallyConnected1D(32, 3)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    expect(outputShape(b.graph("lc2"))).toEqual([null, 28, 28, 32]);
    expect(outputShape(b.graph("lc1"))).toEqual([null, 6, 32]);
  });

  it("a first LocallyConnected1D may declare its input with input_dim and input_length (Keras 2's legacy spelling)", () => {
    const b = build(
      "sequential s {\n  LocallyConnected1D(4, 3, input_dim=8, input_length=10)\n}\n",
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    expect(outputShape(b.graph("s"))).toEqual([null, 8, 4]);
  });

  it("KML401 at the layer, naming the upstream layer that left the length unknown", () => {
    const b = build(
      `model m {
  x = Input(shape=(None, 8))
  y = LocallyConnected1D(4, 3)(x)
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "LocallyConnected1D `locally_connected1d_1` expects every spatial dimension to be known, but steps (axis 1) is None; `input_1` at line 2 produces (None, None, 8)",
    );
  });
});
