// ActivityRegularization and Masking: identity shapes (TF.js's masking twin agrees), defaults, Masking's
// mask through the whole pipeline, and the reference's Masking example (samples/masking.kml).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

function bound(text: string) {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call);
}

describe("ActivityRegularization", () => {
  it("documents l1=0.0, l2=0.0 and refuses negative factors", () => {
    expect(bound("ActivityRegularization()").args).toMatchObject({ l1: 0, l2: 0 });
    expect(bound("ActivityRegularization(l2=-0.1)").diagnostics.map((d) => d.code)).toEqual(["KML306"]);
  });

  it("is the identity: same shape, mask passed on, no weights, no FLOPs", () => {
    const x = tensor([null, 7, 3], true);
    const r = apply("ActivityRegularization(l1=0.01)", [x]);
    expect(r.outputs).toEqual([x]);
    expect(r.params).toBe(0);
    const def = getLayerDef("ActivityRegularization")!;
    expect(def.family).toBe("core");
    expect(def.supportsMasking).toBe(true);
    expect(def.flops(bound("ActivityRegularization()").args, [x], [x])).toBe(0);
  });
});

describe("Masking", () => {
  it("keeps the shape (as TF.js's masking) and masks the output", () => {
    const shape = [null, 10, 4];
    expect(tfl.layers.masking({ maskValue: 0 }).computeOutputShape(shape)).toEqual(shape);
    const r = apply("Masking(mask_value=0.)", [tensor(shape)]);
    expect(r.outputs).toEqual([tensor(shape, true)]);
    expect(r.params).toBe(0);
    expect(bound("Masking()").args).toMatchObject({ mask_value: 0 });
  });

  it("counts a comparison and a multiplication per value", () => {
    const x = tensor([null, 10, 4]);
    expect(getLayerDef("Masking")!.flops(bound("Masking()").args, [x], [tensor([null, 10, 4], true)])).toBe(
      80,
    );
  });

  it("the reference's example, samples/masking.kml: (None, timesteps, 16) masked, then LSTM(32) → (None, 32)", () => {
    const b = build(readFileSync(join(import.meta.dirname, "../../samples/masking.kml"), "utf8"), {}, true);
    expect(b.codes()).toEqual([]);
    const g = b.graph("masked_lstm");
    expect(g.layers.map((l) => l.type)).toEqual(["Input", "Masking", "LSTM"]);
    expect(g.values.map((v) => [v.type?.shape, v.type?.masked])).toEqual([
      [[null, "timesteps", 16], false],
      [[null, "timesteps", 16], true],
      [[null, 32], false],
    ]);
  });

  it("a mask reaching a layer that cannot take one is an error (KML404 at that layer)", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 4))
  m = Masking()(x)
  d = Dense(8)(m)
  f = Flatten()(d)
  outputs f
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML404", "5:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Flatten `flatten_1` cannot take a masked input; `dense_1` at line 4 produces (None, 10, 8) masked",
    );
  });
});
