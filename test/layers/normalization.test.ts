// BatchNormalization and LayerNormalization: weights (names, shapes, trainable split, order as Keras builds
// them), parameter counts against TF.js's countParams on the twin layer and by hand, axis errors, masks, FLOPs.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { ArgValue } from "../../src/ir/graph.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

function boundArgs(text: string): Record<string, ArgValue> {
  const call = readCall(text);
  const bound = bindLayerArgs(getLayerDef(call.layerName)!, call);
  expect(bound.diagnostics).toEqual([]);
  return bound.args;
}

/** [name, shape, trainable] of each weight. */
function weightTable(text: string, shape: (number | null)[]) {
  return apply(text, [tensor(shape)]).weights.map((w) => [w.name, w.shape, w.trainable]);
}

describe("BatchNormalization", () => {
  it("documents Keras's defaults", () => {
    expect(boundArgs("BatchNormalization()")).toMatchObject({
      axis: -1,
      momentum: 0.99,
      epsilon: 0.001,
      center: true,
      scale: true,
      beta_initializer: { className: "Zeros" },
      gamma_initializer: { className: "Ones" },
      moving_mean_initializer: { className: "Zeros" },
      moving_variance_initializer: { className: "Ones" },
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    });
  });

  it("sizes gamma, beta (trainable), moving_mean, moving_variance (not) by the last axis: 4 × 6 = 24", () => {
    expect(weightTable("BatchNormalization()", [null, 4, 5, 6])).toEqual([
      ["gamma", [6], true],
      ["beta", [6], true],
      ["moving_mean", [6], false],
      ["moving_variance", [6], false],
    ]);
    const model = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [4, 5, 6] })] });
    expect(apply("BatchNormalization()", [tensor([null, 4, 5, 6])]).params).toBe(model.countParams());
    expect(model.nonTrainableWeights).toHaveLength(2);
  });

  it("takes axis=1 after channels_first features: (None, 4, 5, 6) → 4 per weight, 16 as in TF.js", () => {
    const model = tfl.sequential({
      layers: [tfl.layers.batchNormalization({ inputShape: [4, 5, 6], axis: 1 })],
    });
    const r = apply("BatchNormalization(axis=1)", [tensor([null, 4, 5, 6])]);
    expect(r.outputs).toEqual([tensor([null, 4, 5, 6])]);
    expect(r.weights.map((w) => w.shape)).toEqual([[4], [4], [4], [4]]);
    expect(r.params).toBe(model.countParams());
    expect(apply("BatchNormalization(axis=-3)", [tensor([null, 4, 5, 6])]).params).toBe(16);
  });

  it("drops beta with center=False and gamma with scale=False; the moving statistics stay", () => {
    expect(weightTable("BatchNormalization(center=False)", [null, 8]).map((w) => w[0])).toEqual([
      "gamma",
      "moving_mean",
      "moving_variance",
    ]);
    expect(weightTable("BatchNormalization(scale=False)", [null, 8]).map((w) => w[0])).toEqual([
      "beta",
      "moving_mean",
      "moving_variance",
    ]);
    const both = tfl.sequential({
      layers: [tfl.layers.batchNormalization({ inputShape: [8], center: false, scale: false })],
    });
    expect(apply("BatchNormalization(center=False, scale=False)", [tensor([null, 8])]).params).toBe(
      both.countParams(),
    );
  });

  it("freezing makes every weight non-trainable", () => {
    expect(weightTable("BatchNormalization(trainable=False)", [null, 3]).map((w) => w[2])).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("keeps the shape and passes a mask on", () => {
    expect(getLayerDef("BatchNormalization")!.supportsMasking).toBe(true);
    expect(apply("BatchNormalization()", [tensor([null, 10, 3], true)]).outputs).toEqual([
      tensor([null, 10, 3], true),
    ]);
  });

  it("reports an axis out of range, on the batch, or of unknown size", () => {
    expect(apply("BatchNormalization(axis=3)", [tensor([null, 4, 5])]).reports).toEqual([
      {
        kind: "argument",
        arg: "axis",
        message: "axis 3 is out of range for the 3D input (None, 4, 5)",
        hint: "normalise along an axis from 1 to 2, or from -1 to -2",
      },
    ]);
    expect(apply("BatchNormalization(axis=-3)", [tensor([null, 4, 5])]).reports[0]).toMatchObject({
      message: "axis -3 is the batch axis of the 3D input (None, 4, 5)",
    });
    expect(apply("BatchNormalization(axis=0)", [tensor([null, 4])]).reports[0]).toMatchObject({
      message: "axis 0 is the batch axis of the 2D input (None, 4)",
    });
    expect(apply("BatchNormalization()", [tensor([null, 4, null])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a known size on the normalised axis 2, not None",
        hint: "the layer has one weight per position of that axis: give the input a fixed size there",
      },
    ]);
    expect(apply("BatchNormalization(axis=1)", [tensor([null, 4, null])]).params).toBe(16);
  });

  it("refuses epsilon <= 0 when binding", () => {
    const call = readCall("BatchNormalization(epsilon=0)");
    expect(bindLayerArgs(getLayerDef("BatchNormalization")!, call).diagnostics.map((d) => d.code)).toEqual([
      "KML306",
    ]);
  });

  it("counts a multiply-add per value at inference (statistics folded into scale and shift)", () => {
    const def = getLayerDef("BatchNormalization")!;
    const x = tensor([null, 4, 5, 6]);
    expect(def.flops(boundArgs("BatchNormalization()"), [x], [x])).toBe(2 * 120);
  });

  it("after a Dense in a model: KML402 at the layer for a bad axis", () => {
    const b = build(
      `sequential m {
  Dense(16, input_shape=(8,))
  BatchNormalization()
  BatchNormalization(axis=2)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML402", "4:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "BatchNormalization `batch_normalization_2`: axis 2 is out of range for the 2D input (None, 16)",
    );
  });
});

describe("LayerNormalization (Keras 2.x)", () => {
  it("documents the defaults: axis=-1, epsilon=1e-3, center, scale", () => {
    expect(boundArgs("LayerNormalization()")).toMatchObject({
      axis: [-1],
      epsilon: 0.001,
      center: true,
      scale: true,
      gamma_initializer: { className: "Ones" },
      beta_initializer: { className: "Zeros" },
    });
  });

  it("sizes gamma and beta (both trainable) by the last axis: (None, 10, 6) → 12, as in TF.js", () => {
    const model = tfl.sequential({ layers: [tfl.layers.layerNormalization({ inputShape: [10, 6] })] });
    const r = apply("LayerNormalization()", [tensor([null, 10, 6])]);
    expect(r.outputs).toEqual([tensor([null, 10, 6])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["gamma", [6], true],
      ["beta", [6], true],
    ]);
    expect(r.params).toBe(model.countParams());
  });

  it("takes several axes: axis=[1, 2] on (None, 4, 5, 6) → gamma, beta (4, 5), 40 as in TF.js", () => {
    const model = tfl.sequential({
      layers: [tfl.layers.layerNormalization({ inputShape: [4, 5, 6], axis: [1, 2] })],
    });
    const r = apply("LayerNormalization(axis=[1, 2])", [tensor([null, 4, 5, 6])]);
    expect(r.weights.map((w) => w.shape)).toEqual([
      [4, 5],
      [4, 5],
    ]);
    expect(r.params).toBe(model.countParams());
  });

  it("drops gamma with scale=False and beta with center=False", () => {
    expect(weightTable("LayerNormalization(scale=False)", [null, 3]).map((w) => w[0])).toEqual(["beta"]);
    expect(weightTable("LayerNormalization(center=False, scale=False)", [null, 3])).toEqual([]);
  });

  it("reports a repeated axis, an axis out of range and an unknown size", () => {
    expect(apply("LayerNormalization(axis=[2, -1])", [tensor([null, 4, 5])]).reports).toEqual([
      { kind: "argument", arg: "axis", message: "axis -1 names axis 2 a second time" },
    ]);
    expect(apply("LayerNormalization(axis=(1, 5))", [tensor([null, 4, 5])]).reports[0]).toMatchObject({
      message: "axis 5 is out of range for the 3D input (None, 4, 5)",
    });
    expect(apply("LayerNormalization(axis=1)", [tensor([null, null, 5])]).reports[0]).toMatchObject({
      kind: "input",
      expected: "a known size on the normalised axis 1, not None",
    });
  });

  it("passes a mask on and counts 7 FLOPs per value (5 with neither gamma nor beta)", () => {
    const x = tensor([null, 10, 6], true);
    expect(apply("LayerNormalization()", [x]).outputs).toEqual([x]);
    const def = getLayerDef("LayerNormalization")!;
    expect(def.flops(boundArgs("LayerNormalization()"), [x], [x])).toBe(7 * 60);
    expect(def.flops(boundArgs("LayerNormalization(center=False, scale=False)"), [x], [x])).toBe(5 * 60);
  });
});
