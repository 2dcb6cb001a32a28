// "Did you mean": case-insensitive first, then underscores, then edit distance within a third of the length.
import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "../../src/compiler/diagnostics/suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions as one edit each", () => {
    expect(editDistance("activaton", "activation")).toBe(1);
    expect(editDistance("kernal_size", "kernel_size")).toBe(1);
    expect(editDistance("smae", "same")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("suggest", () => {
  const layers = ["Input", "Dense", "Conv2D", "Conv1D", "Flatten"];
  const denseArgs = [
    "units",
    "activation",
    "use_bias",
    "kernel_initializer",
    "kernel_size",
    "kernel_regularizer",
  ];

  it("prefers a match that differs only in case", () => {
    expect(suggest("Conv2d", layers)).toBe("Conv2D");
    expect(suggest("dense", layers)).toBe("Dense");
  });

  it("then a match that differs in case and underscores", () => {
    expect(suggest("kernelsize", denseArgs)).toBe("kernel_size");
    expect(suggest("useBias", denseArgs)).toBe("use_bias");
  });

  it("then the closest name by edit distance", () => {
    expect(suggest("kernal_size", denseArgs)).toBe("kernel_size");
    expect(suggest("activaton", denseArgs)).toBe("activation");
    expect(suggest("unit", denseArgs)).toBe("units");
    expect(suggest("smae", ["valid", "same", "causal"])).toBe("same");
  });

  it("returns nothing when nothing is close", () => {
    expect(suggest("banana", denseArgs)).toBeUndefined();
    expect(suggest("xyz", ["relu", "tanh"])).toBeUndefined();
    expect(suggest("LSTM", layers)).toBeUndefined();
  });

  it("never suggests the word itself, and breaks ties by candidate order", () => {
    expect(suggest("units", ["units"])).toBeUndefined();
    expect(suggest("l3", ["l1", "l2"])).toBe("l1");
  });
});
