// Cropping, UpSampling and ZeroPadding in 1D/2D/3D: shapes worked by hand from the reference's rules in the
// symmetric, per-axis and ((before, after), ...) forms, both data formats, None and symbolic dims, and the
// errors (an input of the wrong rank, cropping everything away).
import { describe, expect, it } from "vitest";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { bindErrors, flopsOf } from "./convolutional-helpers.js";
import { apply, tensor } from "./helpers.js";

const shapeOf = (text: string, shape: readonly (number | string | null)[], dims: readonly string[] = []) => {
  const r = apply(text, [tensor(shape)], dims);
  expect(r.reports).toEqual([]);
  expect(r.params).toBe(0);
  return r.outputs?.[0]?.shape;
};

const RESIZING = [
  "Cropping1D",
  "Cropping2D",
  "Cropping3D",
  "UpSampling1D",
  "UpSampling2D",
  "UpSampling3D",
  "ZeroPadding1D",
  "ZeroPadding2D",
  "ZeroPadding3D",
];

describe("every resizing layer", () => {
  it.each(RESIZING)("%s has no weights, no FLOPs, takes no mask and keeps the dtype", (name) => {
    const def = getLayerDef(name);
    expect(def?.family).toBe("convolutional");
    expect(def?.supportsMasking).toBe(false);
    const rank = Number(name.at(-2));
    const input = {
      shape: [null, ...Array.from({ length: rank }, () => 6), 2],
      dtype: "int32",
      masked: false,
    } as const;
    const r = apply(`${name}()`, [input]);
    expect(r.weights).toEqual([]);
    expect(r.outputs?.[0]?.dtype).toBe("int32");
    expect(flopsOf(`${name}()`, [input])).toBe(0);
  });
});

describe("Cropping1D", () => {
  it("crops (1, 1) by default: (None, 10, 4) → (None, 8, 4)", () => {
    expect(shapeOf("Cropping1D()", [null, 10, 4])).toEqual([null, 8, 4]);
  });

  it("takes one integer for both ends, or (start, end)", () => {
    expect(shapeOf("Cropping1D(2)", [null, 10, 4])).toEqual([null, 6, 4]);
    expect(shapeOf("Cropping1D((1, 3))", [null, 10, 4])).toEqual([null, 6, 4]);
    expect(shapeOf("Cropping1D(cropping=(0, 2))", [null, 10, 4])).toEqual([null, 8, 4]);
  });

  it("None stays None; a symbolic length survives only a (0, 0) crop", () => {
    expect(shapeOf("Cropping1D()", [null, null, 4])).toEqual([null, null, 4]);
    expect(shapeOf("Cropping1D((0, 0))", [null, "T", 4], ["T"])).toEqual([null, "T", 4]);
    expect(shapeOf("Cropping1D(1)", [null, "T", 4], ["T"])).toEqual([null, null, 4]);
  });

  it("reports cropping that removes every step", () => {
    const r = apply("Cropping1D((2, 2))", [tensor([null, 4, 3])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "cropping",
        message: "cropping (2, 2) removes 4 of the 4 steps on axis 1, leaving nothing",
        hint: "crop fewer than the input's length on each axis",
      },
    ]);
  });

  it("needs a 3D input (batch, steps, features) and has no data_format", () => {
    expect(apply("Cropping1D()", [tensor([null, 10])]).reports[0]).toMatchObject({
      expected: "a 3D input (batch, steps, features)",
    });
    expect(bindErrors('Cropping1D(data_format="channels_first")')[0]?.[0]).toBe("KML301");
  });
});

describe("Cropping2D", () => {
  it("((top, bottom), (left, right)): (None, 10, 12, 3) minus (1+2, 3+4) → (None, 7, 5, 3)", () => {
    expect(shapeOf("Cropping2D(((1, 2), (3, 4)))", [null, 10, 12, 3])).toEqual([null, 7, 5, 3]);
  });

  it("channels_first crops axes 2 and 3", () => {
    expect(shapeOf('Cropping2D(((1, 2), (3, 4)), data_format="channels_first")', [null, 3, 10, 12])).toEqual([
      null,
      3,
      7,
      5,
    ]);
  });

  it("one integer crops every side; two integers are symmetric per axis; the default crops nothing", () => {
    expect(shapeOf("Cropping2D(2)", [null, 10, 12, 3])).toEqual([null, 6, 8, 3]);
    expect(shapeOf("Cropping2D((1, 2))", [null, 10, 12, 3])).toEqual([null, 8, 8, 3]);
    expect(shapeOf("Cropping2D()", [null, "H", 12, 3], ["H"])).toEqual([null, "H", 12, 3]);
  });

  it("names the axis it would crop away", () => {
    expect(apply("Cropping2D(((0, 0), (3, 3)))", [tensor([null, 10, 5, 3])]).reports[0]).toMatchObject({
      message: "cropping (3, 3) removes 6 of the 5 cols on axis 2, leaving nothing",
    });
    expect(
      apply('Cropping2D(((3, 3), (0, 0)), data_format="channels_first")', [tensor([null, 3, 6, 5])])
        .reports[0],
    ).toMatchObject({ message: "cropping (3, 3) removes 6 of the 6 rows on axis 2, leaving nothing" });
  });

  it("KML305: three pairs for two axes", () => {
    expect(bindErrors("Cropping2D(((1, 1), (1, 1), (1, 1)))")[0]?.[0]).toBe("KML305");
  });
});

describe("Cropping3D", () => {
  it("crops ((1, 1), (1, 1), (1, 1)) by default: (None, 10, 12, 14, 3) → (None, 8, 10, 12, 3)", () => {
    expect(shapeOf("Cropping3D()", [null, 10, 12, 14, 3])).toEqual([null, 8, 10, 12, 3]);
  });

  it("per-axis and per-side forms, channels_first", () => {
    expect(shapeOf("Cropping3D((1, 2, 3))", [null, 10, 12, 14, 3])).toEqual([null, 8, 8, 8, 3]);
    expect(
      shapeOf('Cropping3D(((0, 1), (2, 0), (1, 1)), data_format="channels_first")', [null, 3, 10, 12, 14]),
    ).toEqual([null, 3, 9, 10, 12]);
  });
});

describe("UpSampling1D", () => {
  it("repeats each step `size` times (default 2): (None, 5, 4) → (None, 10, 4), size=3 → 15", () => {
    expect(shapeOf("UpSampling1D()", [null, 5, 4])).toEqual([null, 10, 4]);
    expect(shapeOf("UpSampling1D(size=3)", [null, 5, 4])).toEqual([null, 15, 4]);
  });

  it("None stays None; a symbolic length survives only size 1", () => {
    expect(shapeOf("UpSampling1D()", [null, null, 4])).toEqual([null, null, 4]);
    expect(shapeOf("UpSampling1D(1)", [null, "T", 4], ["T"])).toEqual([null, "T", 4]);
    expect(shapeOf("UpSampling1D(2)", [null, "T", 4], ["T"])).toEqual([null, null, 4]);
  });

  it("KML305: size is one integer, not a tuple", () => {
    expect(bindErrors("UpSampling1D((2, 2))")[0]?.[0]).toBe("KML305");
  });
});

describe("UpSampling2D", () => {
  it("rows and cols times size[0] and size[1]: (None, 10, 12, 3), (2, 3) → (None, 20, 36, 3)", () => {
    expect(shapeOf("UpSampling2D((2, 3))", [null, 10, 12, 3])).toEqual([null, 20, 36, 3]);
    expect(shapeOf("UpSampling2D()", [null, 10, 12, 3])).toEqual([null, 20, 24, 3]);
  });

  it("channels_first, and Keras 2.x's interpolation (which does not change the shape)", () => {
    expect(
      shapeOf('UpSampling2D(size=2, data_format="channels_first", interpolation="bilinear")', [
        null,
        3,
        10,
        12,
      ]),
    ).toEqual([null, 3, 20, 24]);
    expect(bindErrors('UpSampling2D(interpolation="cubic")')[0]?.[0]).toBe("KML307");
  });
});

describe("UpSampling3D", () => {
  it("each spatial axis doubled by default, channels_first too", () => {
    expect(shapeOf("UpSampling3D()", [null, 4, 5, 6, 3])).toEqual([null, 8, 10, 12, 3]);
    expect(shapeOf('UpSampling3D((1, 2, 3), data_format="channels_first")', [null, 3, 4, 5, 6])).toEqual([
      null,
      3,
      4,
      10,
      18,
    ]);
  });
});

describe("ZeroPadding1D", () => {
  it("pads 1 at each end by default: (None, 10, 4) → (None, 12, 4); (1, 3) → 14", () => {
    expect(shapeOf("ZeroPadding1D()", [null, 10, 4])).toEqual([null, 12, 4]);
    expect(shapeOf("ZeroPadding1D((1, 3))", [null, 10, 4])).toEqual([null, 14, 4]);
    expect(shapeOf("ZeroPadding1D(0)", [null, "T", 4], ["T"])).toEqual([null, "T", 4]);
  });
});

describe("ZeroPadding2D", () => {
  it("(1, 1) by default; symmetric per axis; ((top, bottom), (left, right))", () => {
    expect(shapeOf("ZeroPadding2D()", [null, 10, 12, 3])).toEqual([null, 12, 14, 3]);
    expect(shapeOf("ZeroPadding2D((2, 0))", [null, 10, 12, 3])).toEqual([null, 14, 12, 3]);
    expect(shapeOf("ZeroPadding2D(((1, 2), (3, 4)))", [null, 10, 12, 3])).toEqual([null, 13, 19, 3]);
  });

  it("channels_first pads axes 2 and 3; None stays None", () => {
    expect(shapeOf('ZeroPadding2D(padding=3, data_format="channels_first")', [null, 3, 10, null])).toEqual([
      null,
      3,
      16,
      null,
    ]);
  });

  it("KML306: a negative padding", () => {
    expect(bindErrors("ZeroPadding2D(-1)")[0]?.[0]).toBe("KML306");
  });
});

describe("ZeroPadding3D", () => {
  it("(1, 1, 1) by default; per-side pairs; channels_first", () => {
    expect(shapeOf("ZeroPadding3D()", [null, 4, 5, 6, 3])).toEqual([null, 6, 7, 8, 3]);
    expect(
      shapeOf('ZeroPadding3D(((0, 1), (2, 2), (3, 0)), data_format="channels_first")', [null, 3, 4, 5, 6]),
    ).toEqual([null, 3, 5, 9, 9]);
  });

  it("needs a 5D input", () => {
    expect(apply("ZeroPadding3D()", [tensor([null, 4, 5, 3])]).reports[0]).toMatchObject({
      expected: "a 5D input (batch, dim1, dim2, dim3, channels)",
    });
  });
});
