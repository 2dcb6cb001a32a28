// Dot: output shapes from TF.js's `dot` twin where it has one (inputs of rank ≤ 3) and by Keras 2's
// `Dot.compute_output_shape` worked by hand beyond it; axes (int, pair, negative), the contracted sizes'
// agreement, normalize, masks, FLOPs, the lower-case functional form, and each error with its code and span.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build, layerNames } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

type Shape = (number | string | null)[];

const TFJS_CASES: readonly { kml: string; axes: number | [number, number]; a: Shape; b: Shape }[] = [
  { kml: "Dot(axes=1)", axes: 1, a: [null, 8], b: [null, 8] },
  { kml: "Dot(-1)", axes: -1, a: [null, 8], b: [null, 8] },
  { kml: "Dot(axes=(1, 2))", axes: [1, 2], a: [null, 5, 2], b: [null, 3, 5] },
  { kml: "Dot(axes=1)", axes: 1, a: [null, 4, 6], b: [null, 4, 7] },
  { kml: "Dot(axes=-1)", axes: -1, a: [null, 3, 4], b: [null, 5, 4] },
  { kml: "Dot(axes=(2, 1))", axes: [2, 1], a: [null, 3, 4], b: [null, 4] },
  { kml: "Dot(axes=(-1, -2))", axes: [-1, -2], a: [8, 3, 4], b: [8, 4, 6] },
];

describe("Dot's output shape", () => {
  it.each(TFJS_CASES)("$kml on $a and $b matches TF.js", ({ kml, axes, a, b }) => {
    const expected = tfl.layers
      .dot({ axes })
      .computeOutputShape([a as (number | null)[], b as (number | null)[]]);
    const r = apply(kml, [tensor(a), tensor(b)]);
    expect(r.reports).toEqual([]);
    expect(r.outputs).toEqual([tensor(expected as Shape)]);
    expect(r.params).toBe(0);
  });

  it("takes inputs of rank 4 and more, as Keras 2 does (TF.js refuses them: not implemented)", () => {
    // a without axis 3, then b without axis 1 and its batch: (None, 2, 3) + (5,).
    expect(() =>
      tfl.layers.dot({ axes: [3, 1] }).computeOutputShape([
        [null, 2, 3, 4],
        [null, 4, 5],
      ]),
    ).toThrow();
    expect(apply("Dot(axes=(3, 1))", [tensor([null, 2, 3, 4]), tensor([null, 4, 5])]).outputs).toEqual([
      tensor([null, 2, 3, 5]),
    ]);
  });

  it("normalize=True keeps the shape: the cosine proximity of (None, 8) and (None, 8) is (None, 1)", () => {
    expect(apply("Dot(axes=1, normalize=True)", [tensor([null, 8]), tensor([null, 8])]).outputs).toEqual([
      tensor([null, 1]),
    ]);
  });

  it("unifies symbolic dims: T·T contracts; T against 8 may agree; the batch takes the known size", () => {
    expect(apply("Dot(axes=1)", [tensor([null, "T", 4]), tensor([null, "T", 5])], ["T"]).outputs).toEqual([
      tensor([null, 4, 5]),
    ]);
    expect(apply("Dot(axes=1)", [tensor([null, "T"]), tensor([16, 8])], ["T"]).outputs).toEqual([
      tensor([16, 1]),
    ]);
  });

  it("ends the mask (Keras 2's Dot.compute_mask returns None) but accepts masked inputs", () => {
    expect(getLayerDef("Dot")!.supportsMasking).toBe(true);
    expect(apply("Dot(axes=-1)", [tensor([null, 5, 4], true), tensor([null, 5, 4])]).outputs).toEqual([
      tensor([null, 5, 5], false),
    ]);
  });
});

describe("Dot's errors", () => {
  it("reports contracted sizes that differ, on input 2", () => {
    expect(apply("Dot(axes=1)", [tensor([null, 8]), tensor([null, 7])]).reports).toEqual([
      {
        kind: "input",
        index: 1,
        expected: "a size of 8 on axis 1, the size of axis 1 of input 1, (None, 8),",
        hint: "Dot multiplies input 1 along axis 1 with input 2 along axis 1: the two sizes must be equal",
      },
    ]);
    expect(apply("Dot(axes=1)", [tensor([null, "T"]), tensor([null, "U"])], ["T", "U"]).outputs).toBeNull();
  });

  it("reports an axis outside an input, or on its batch", () => {
    expect(apply("Dot(axes=(1, 2))", [tensor([null, 8]), tensor([null, 8])]).reports).toEqual([
      {
        kind: "argument",
        arg: "axes",
        message: "axis 2 of input 2 is out of range for the 2D input (None, 8)",
        hint: "use an axis from 1 to 1, or from -1 to -1",
      },
    ]);
    expect(apply("Dot(axes=-2)", [tensor([null, 8]), tensor([null, 8])]).reports[0]).toMatchObject({
      message: "axis -2 of input 1 is its batch axis for the 2D input (None, 8)",
    });
  });

  it("reports different fixed batch sizes", () => {
    expect(apply("Dot(axes=1)", [tensor([4, 8]), tensor([2, 8])]).reports[0]).toMatchObject({
      kind: "input",
      index: 1,
      expected: "the batch size of input 1, 4,",
    });
  });

  it("refuses axis 0 when binding, and takes exactly two inputs", () => {
    const call = readCall("Dot(axes=(0, 1))");
    const diagnostics = bindLayerArgs(getLayerDef("Dot")!, call).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(["KML313"]);
    expect(getLayerDef("Dot")!.inputArity).toEqual({ min: 2, max: 2 });
    expect(bindLayerArgs(getLayerDef("Dot")!, readCall("Dot()")).diagnostics.map((d) => d.code)).toEqual([
      "KML304",
    ]);
  });

  it("through the pipeline: KML401, KML402, KML313 and KML403 at their spans", () => {
    const b = build(
      `model m {
  a = Input(shape=(8,))
  b = Input(shape=(7,))
  c = Input(shape=(3, 8))
  bad_size = Dot(axes=1)([a, b])
  bad_axis = Dot(axes=2)([a, c])
  batch_axis = Dot(axes=0)([a, a])
  three = Dot(axes=1)([a, a, a])
  outputs bad_size, bad_axis, batch_axis, three
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML313", "7:25"],
      ["KML401", "5:14"],
      ["KML402", "6:14"],
      ["KML403", "8:11"],
    ]);
    expect(b.diagnostics.find((d) => d.code === "KML401")!.message).toBe(
      "Dot `dot_1` expects a size of 8 on axis 1, the size of axis 1 of input 1, (None, 8), as input 2; `input_2` at line 3 produces (None, 7)",
    );
  });
});

describe("Dot in a model", () => {
  const model = (merge: string) => `model similarity {
  a = Input(shape=(16,))
  b = Input(shape=(16,))
  ea = Dense(8)(a)
  eb = Dense(8)(b)
  sim = ${merge}
  outputs sim
}
`;

  it("Dot(axes=1)([ea, eb]) and the functional form dot([ea, eb], axes=1) give the same graph: (None, 1)", () => {
    const layer = build(model("Dot(axes=1, normalize=True)([ea, eb])"), {}, true);
    const functional = build(model("dot([ea, eb], axes=1, normalize=True)"), {}, true);
    expect(layer.codes()).toEqual([]);
    expect(functional.codes()).toEqual([]);
    const [g, f] = [layer.graph("similarity"), functional.graph("similarity")];
    expect(layerNames(f)).toEqual(layerNames(g));
    expect(f.values.map((v) => v.type)).toEqual(g.values.map((v) => v.type));
    expect(f.layers.find((l) => l.type === "Dot")!.args).toEqual(
      g.layers.find((l) => l.type === "Dot")!.args,
    );
    expect(g.values[g.outputs[0]!]!.type!.shape).toEqual([null, 1]);
  });
});

describe("Dot's FLOPs", () => {
  const flops = (text: string, a: Shape, b: Shape) => {
    const call = readCall(text);
    const def = getLayerDef("Dot")!;
    const r = apply(text, [tensor(a), tensor(b)]);
    return def.flops(bindLayerArgs(def, call).args, [tensor(a), tensor(b)], r.outputs!);
  };

  it("a multiply-add per contracted pair per output value: (None, 5, 2)·(None, 3, 5) on (1, 2) → 2*5*6 = 60", () => {
    expect(flops("Dot(axes=(1, 2))", [null, 5, 2], [null, 3, 5])).toBe(60);
  });

  it("normalize adds 3 per input value: (None, 8)·(None, 8) → 16 + 3*16 = 64", () => {
    expect(flops("Dot(axes=1, normalize=True)", [null, 8], [null, 8])).toBe(64);
  });

  it("is unknown when the contracted size is", () => {
    expect(flops("Dot(axes=1)", [null, null], [null, null])).toBeNull();
  });
});
