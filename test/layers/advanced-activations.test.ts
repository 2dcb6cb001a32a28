// The advanced activations: shapes, defaults, PReLU's alpha weight (shape and count from TF.js's prelu and
// by hand: the input's shape without the batch, 1 on each shared axis), masks, FLOPs and errors.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { ArgValue } from "../../src/ir/graph.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

const ELEMENTWISE = ["LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "ReLU", "Softmax"] as const;

function boundArgs(text: string): Record<string, ArgValue> {
  const call = readCall(text);
  const bound = bindLayerArgs(getLayerDef(call.layerName)!, call);
  expect(bound.diagnostics).toEqual([]);
  return bound.args;
}

describe("every advanced activation", () => {
  it.each(ELEMENTWISE)("%s keeps the shape and passes the mask on", (name) => {
    const def = getLayerDef(name)!;
    expect(def.family).toBe("advanced-activations");
    expect(def.supportsMasking).toBe(true);
    const input = tensor([null, 5, 3], true);
    expect(apply(`${name}()`, [input]).outputs).toEqual([input]);
  });

  it.each(ELEMENTWISE)("%s counts one FLOP per value: (None, 5, 3) → 15", (name) => {
    const def = getLayerDef(name)!;
    const output = tensor([null, 5, 3]);
    expect(def.flops(boundArgs(`${name}()`), [output], [output])).toBe(15);
    expect(
      def.flops(boundArgs(`${name}()`), [tensor([null, null, 3])], [tensor([null, null, 3])]),
    ).toBeNull();
  });

  it.each(["LeakyReLU", "ELU", "ThresholdedReLU", "ReLU", "Softmax"])("%s has no weights", (name) => {
    const r = apply(`${name}()`, [tensor([null, 4])]);
    expect(r.weights).toEqual([]);
    expect(r.params).toBe(0);
  });
});

describe("defaults as documented", () => {
  it("LeakyReLU(alpha=0.3), ELU(alpha=1.0), ThresholdedReLU(theta=1.0)", () => {
    expect(boundArgs("LeakyReLU()")).toMatchObject({ alpha: 0.3 });
    expect(boundArgs("ELU()")).toMatchObject({ alpha: 1.0 });
    expect(boundArgs("ThresholdedReLU()")).toMatchObject({ theta: 1.0 });
  });

  it("PReLU(alpha_initializer='zeros', alpha_regularizer=None, alpha_constraint=None, shared_axes=None)", () => {
    expect(boundArgs("PReLU()")).toMatchObject({
      alpha_initializer: { className: "Zeros", config: {} },
      alpha_regularizer: null,
      alpha_constraint: null,
      shared_axes: null,
    });
  });

  it("ReLU(max_value=None, negative_slope=0, threshold=0) and Softmax(axis=-1) (Keras 2.x)", () => {
    expect(boundArgs("ReLU()")).toMatchObject({ max_value: null, negative_slope: 0, threshold: 0 });
    expect(boundArgs("ReLU(6.0)")).toMatchObject({ max_value: 6 });
    expect(boundArgs("Softmax()")).toMatchObject({ axis: -1 });
  });

  it("refuses a negative theta, max_value or negative_slope", () => {
    for (const text of ["ThresholdedReLU(theta=-1.0)", "ReLU(max_value=-1.0)", "ReLU(negative_slope=-0.1)"]) {
      const call = readCall(text);
      const bound = bindLayerArgs(getLayerDef(call.layerName)!, call);
      expect(bound.diagnostics.map((d) => d.code)).toEqual(["KML306"]);
    }
  });
});

describe("PReLU's alpha", () => {
  it("has the input's shape without the batch: (None, 4, 5, 6) → alpha (4, 5, 6), 120 parameters as in TF.js", () => {
    const model = tfl.sequential({ layers: [tfl.layers.prelu({ inputShape: [4, 5, 6] })] });
    const r = apply("PReLU()", [tensor([null, 4, 5, 6])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([["alpha", [4, 5, 6], true]]);
    expect(r.params).toBe(model.countParams());
    expect(r.params).toBe(120);
  });

  it("is 1 on each shared axis (1-based): shared_axes=[1, 2] on (None, 4, 5, 6) → (1, 1, 6), 6 as in TF.js", () => {
    const model = tfl.sequential({
      layers: [tfl.layers.prelu({ inputShape: [4, 5, 6], sharedAxes: [1, 2] })],
    });
    const r = apply("PReLU(shared_axes=[1, 2])", [tensor([null, 4, 5, 6])]);
    expect(r.weights.map((w) => w.shape)).toEqual([[1, 1, 6]]);
    expect(r.params).toBe(model.countParams());
    expect(apply("PReLU(shared_axes=3)", [tensor([null, 4, 5, 6])]).weights[0]!.shape).toEqual([4, 5, 1]);
  });

  it("needs known sizes off the shared axes; a None axis can be shared", () => {
    const r = apply("PReLU()", [tensor([null, null, 8])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a known size on every axis alpha is not shared along, but axis 1 is None",
        hint: "share alpha along that axis (shared_axes=[1]) or give the input a fixed size there",
      },
    ]);
    expect(apply("PReLU(shared_axes=1)", [tensor([null, null, 8])]).params).toBe(8);
  });

  it("reports a shared axis past the input's rank", () => {
    expect(apply("PReLU(shared_axes=[1, 3])", [tensor([null, 4, 5])]).reports).toEqual([
      {
        kind: "argument",
        arg: "shared_axes",
        message: "shared axis 3 is out of range for the 3D input (None, 4, 5)",
        hint: "shared_axes counts from 1 (the axis after the batch) to 2",
      },
    ]);
  });

  it("refuses shared axis 0 (the batch) when binding", () => {
    const call = readCall("PReLU(shared_axes=[0])");
    expect(bindLayerArgs(getLayerDef("PReLU")!, call).diagnostics.map((d) => d.code)).toEqual(["KML306"]);
  });

  it("is non-trainable when the layer is frozen", () => {
    expect(apply("PReLU(trainable=False)", [tensor([null, 3])]).weights[0]!.trainable).toBe(false);
  });
});

describe("Softmax's axis", () => {
  it("may be any axis of the input, negative from the end", () => {
    expect(apply("Softmax(axis=1)", [tensor([null, 3, 4])]).outputs).toEqual([tensor([null, 3, 4])]);
    expect(apply("Softmax(axis=-2)", [tensor([null, 3, 4])]).outputs).toEqual([tensor([null, 3, 4])]);
  });

  it("is reported when out of range (KML402 at the layer, through the pipeline)", () => {
    const b = build(
      `sequential m {
  Dense(4, input_shape=(8,))
  Softmax(axis=2)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML402", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Softmax `softmax_1`: axis 2 is out of range for the 2D input (None, 4)",
    );
  });
});

describe("in a model", () => {
  it("PReLU after Conv-like features shares alpha spatially: one alpha per channel", () => {
    const b = build(
      `sequential m {
  Reshape((4, 4, 8), input_shape=(128,))
  PReLU(shared_axes=[1, 2])
  LeakyReLU(alpha=0.1)
  ELU()
  ThresholdedReLU(theta=0.5)
  ReLU(max_value=6.0)
  Flatten()
  Softmax()
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    const g = b.graph("m");
    expect(g.values.map((v) => v.type?.shape)).toEqual([
      [null, 128],
      [null, 4, 4, 8],
      [null, 4, 4, 8],
      [null, 4, 4, 8],
      [null, 4, 4, 8],
      [null, 4, 4, 8],
      [null, 4, 4, 8],
      [null, 128],
      [null, 128],
    ]);
  });
});
