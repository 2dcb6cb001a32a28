// The noise layers: identity shapes (as TF.js's twins compute them), arguments and their ranges, masks passed
// on, no weights and no FLOPs at inference, AlphaDropout's noise_shape and SpatialDropout's input ranks.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

function bindCodes(text: string): string[] {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call).diagnostics.map((d) => d.code);
}

describe("GaussianNoise, GaussianDropout, AlphaDropout", () => {
  const shape = [null, 10, 3];

  it("keep the shape, as TF.js's twins do, with no weights", () => {
    const twins = [
      ["GaussianNoise(0.1)", tfl.layers.gaussianNoise({ stddev: 0.1 })],
      ["GaussianDropout(0.2)", tfl.layers.gaussianDropout({ rate: 0.2 })],
      ["AlphaDropout(0.2)", tfl.layers.alphaDropout({ rate: 0.2 })],
    ] as const;
    for (const [text, twin] of twins) {
      const r = apply(text, [tensor(shape)]);
      expect(r.outputs).toEqual([tensor(twin.computeOutputShape(shape) as (number | null)[])]);
      expect(r.params).toBe(0);
    }
  });

  it.each(["GaussianNoise(0.1)", "GaussianDropout(0.2)", "AlphaDropout(0.2)"])(
    "%s passes a mask on and costs nothing at inference",
    (text) => {
      const x = tensor([null, 10, 3], true);
      expect(apply(text, [x]).outputs).toEqual([x]);
      const call = readCall(text);
      const def = getLayerDef(call.layerName)!;
      expect(def.supportsMasking).toBe(true);
      expect(def.flops(bindLayerArgs(def, call).args, [x], [x])).toBe(0);
    },
  );

  it("require their argument and check its range", () => {
    expect(bindCodes("GaussianNoise()")).toEqual(["KML304"]);
    expect(bindCodes("GaussianNoise(-0.1)")).toEqual(["KML306"]);
    expect(bindCodes("GaussianDropout(1.0)")).toEqual(["KML306"]);
    expect(bindCodes("AlphaDropout(rate=-0.5)")).toEqual(["KML306"]);
    expect(bindCodes("AlphaDropout(0.1, seed=3)")).toEqual([]);
  });

  it("AlphaDropout checks noise_shape as Dropout does: batch included, each dim 1 or the input's", () => {
    expect(apply("AlphaDropout(0.1, noise_shape=(None, 1, 3))", [tensor(shape)]).outputs).toEqual([
      tensor(shape),
    ]);
    expect(apply("AlphaDropout(0.1, noise_shape=(None, 3))", [tensor(shape)]).reports).toEqual([
      {
        kind: "argument",
        arg: "noise_shape",
        message: "noise_shape (None, 3) has 2 dimensions but the input (None, 10, 3) has 3",
        hint: "noise_shape includes the batch dimension, e.g. (None, 1, features)",
      },
    ]);
  });
});

describe("SpatialDropout1D/2D/3D (Keras 2.x)", () => {
  it("keep the shape: 1D like TF.js's spatialDropout1d; 2D/3D in either data format", () => {
    const twin = tfl.layers.spatialDropout1d({ rate: 0.5 });
    expect(apply("SpatialDropout1D(0.5)", [tensor([null, 10, 3])]).outputs).toEqual([
      tensor(twin.computeOutputShape([null, 10, 3]) as (number | null)[]),
    ]);
    expect(apply("SpatialDropout2D(0.5)", [tensor([null, 8, 8, 3])]).outputs).toEqual([
      tensor([null, 8, 8, 3]),
    ]);
    expect(
      apply('SpatialDropout2D(0.5, data_format="channels_first")', [tensor([null, 3, 8, 8])]).outputs,
    ).toEqual([tensor([null, 3, 8, 8])]);
    expect(apply("SpatialDropout3D(0.5)", [tensor([null, 4, 4, 4, 2])]).params).toBe(0);
  });

  it("check the input rank, naming the layout", () => {
    expect(apply("SpatialDropout1D(0.5)", [tensor([null, 10])]).reports).toEqual([
      { kind: "input", index: 0, expected: "a 3D input (batch, steps, features)" },
    ]);
    expect(
      apply('SpatialDropout2D(0.5, data_format="channels_first")', [tensor([null, 8, 8])]).reports,
    ).toEqual([{ kind: "input", index: 0, expected: "a 4D input (batch, channels, rows, cols)" }]);
    expect(apply("SpatialDropout3D(0.5)", [tensor([null, 4, 4, 2])]).reports).toEqual([
      { kind: "input", index: 0, expected: "a 5D input (batch, dim1, dim2, dim3, channels)" },
    ]);
  });

  it("SpatialDropout1D takes no data_format, as in Keras", () => {
    expect(bindCodes('SpatialDropout1D(0.5, data_format="channels_last")')).toEqual(["KML301"]);
  });

  it("KML401 at the layer through the pipeline", () => {
    const b = build(
      `sequential m {
  Dense(8, input_shape=(4,))
  SpatialDropout2D(0.25)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "SpatialDropout2D `spatial_dropout2d_1` expects a 4D input (batch, rows, cols, channels); `dense_1` at line 2 produces (None, 8)",
    );
  });
});
