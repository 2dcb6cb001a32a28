// Shape helpers: Keras-style printing, products, and parameter counts.
import { describe, expect, it } from "vitest";
import { weight } from "../../src/compiler/layers/define-layer.js";
import {
  countParams,
  dimsCompatible,
  formatShape,
  knownProduct,
  symbolicProduct,
} from "../../src/compiler/layers/shape-utils.js";

const zeros = { className: "Zeros", config: {} };

describe("shape helpers", () => {
  it("print shapes as Keras does", () => {
    expect(formatShape([null, 26, 26, 10])).toBe("(None, 26, 26, 10)");
    expect(formatShape([null])).toBe("(None,)");
    expect(formatShape([null, "T", 16])).toBe("(None, T, 16)");
    expect(formatShape([])).toBe("()");
  });

  it("multiply known dimensions only", () => {
    expect(knownProduct([64, 32, 32])).toBe(65536);
    expect(knownProduct([])).toBe(1);
    expect(knownProduct([4, null])).toBeNull();
    expect(knownProduct([4, "T"])).toBeNull();
    expect(symbolicProduct([4, "T", 2, "S"])).toEqual({ unknown: false, known: 8, symbols: ["S", "T"] });
  });

  it("treat unknown and symbolic dimensions as possibly equal, known sizes only when equal", () => {
    expect(dimsCompatible(3, 3)).toBe(true);
    expect(dimsCompatible(3, 4)).toBe(false);
    expect(dimsCompatible("T", "T")).toBe(true);
    expect(dimsCompatible("T", "S")).toBe(false);
    expect(dimsCompatible(null, 4)).toBe(true);
  });

  it("count parameters as the sum of weight sizes, null when one is unknown", () => {
    expect(countParams([weight("kernel", [3, 3, 1, 32], zeros), weight("bias", [32], zeros)])).toBe(320);
    expect(countParams([])).toBe(0);
    expect(countParams([weight("kernel", [null, 32], zeros)])).toBeNull();
  });
});
