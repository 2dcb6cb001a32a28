// The dim unification helpers merge layers will use, and parameter counts per layer (for the summary).
import { describe, expect, it } from "vitest";
import { graphParamTotals, layerParamCounts } from "../../src/compiler/3-infer/params.js";
import { unifyAllShapes, unifyDims, unifyShapes } from "../../src/ir/dims.js";
import { compileKml } from "../build/helpers.js";

describe("dim unification", () => {
  it("unifies None with anything, a symbol with itself or a size, and equal sizes only", () => {
    expect(unifyDims(null, 3)).toBe(3);
    expect(unifyDims("T", null)).toBe("T");
    expect(unifyDims("T", "T")).toBe("T");
    expect(unifyDims("T", 5)).toBe(5);
    expect(unifyDims(4, 4)).toBe(4);
    expect(unifyDims(4, 5)).toBeUndefined();
    expect(unifyDims("T", "U")).toBeUndefined();
  });

  it("unifies shapes axis by axis, with free axes and rank checks", () => {
    expect(unifyShapes([null, "T", 8], [null, null, 8])).toEqual({ ok: true, shape: [null, "T", 8] });
    expect(unifyShapes([null, "T", 8], [null, "U", 8])).toEqual({ ok: false, reason: "dim", axis: 1 });
    expect(unifyShapes([null, 3, 8], [null, 3, 4], [-1])).toEqual({ ok: true, shape: [null, 3, 8] });
    expect(unifyShapes([null, 3], [null, 3, 1])).toEqual({ ok: false, reason: "rank" });
    expect(
      unifyAllShapes([
        [null, 2],
        [4, null],
        [4, 3],
      ]),
    ).toEqual({ ok: false, reason: "dim", axis: 1, index: 2 });
    expect(
      unifyAllShapes([
        [null, 2],
        [4, null],
      ]),
    ).toEqual({ ok: true, shape: [4, 2] });
  });
});

describe("parameter counts", () => {
  it("counts each layer's weights as Keras does, a shared layer once", () => {
    const g = compileKml(`model m {
  a = Input(shape=(784,))
  b = Input(shape=(784,))
  shared = Dense(512)
  x = shared(a)
  y = shared(b)
  z = Dense(10, use_bias=False)(x)
  w = Dense(10, trainable=False)(y)
  outputs z, w
}
`).graph("m");
    const counts = layerParamCounts(g);
    const byName = Object.fromEntries(g.layers.map((l) => [l.name, counts.get(l.id)]));
    expect(byName).toEqual({
      input_1: { trainable: 0, nonTrainable: 0, total: 0 },
      input_2: { trainable: 0, nonTrainable: 0, total: 0 },
      dense_1: { trainable: 784 * 512 + 512, nonTrainable: 0, total: 401920 },
      dense_2: { trainable: 5120, nonTrainable: 0, total: 5120 },
      dense_3: { trainable: 0, nonTrainable: 5130, total: 5130 },
    });
    expect(graphParamTotals(g)).toEqual({
      trainable: 407040,
      nonTrainable: 5130,
      total: 412170,
      complete: true,
    });
  });

  it("gives null when a weight depends on an unknown dimension", () => {
    const g = compileKml(`dim T
model m {
  a = Input(shape=(T,))
  y = Dense(2)(a)
  outputs y
}
`).graph("m");
    expect(layerParamCounts(g).get(1)).toBeNull();
    expect(graphParamTotals(g).complete).toBe(false);
  });
});
