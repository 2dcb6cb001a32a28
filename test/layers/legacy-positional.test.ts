// Keras 1's separate kernel sizes (`Conv2D(64, 3, 3)`) are read as Keras 2 reads them — kernel_size=(3, 3)
// with a warning — and never silently bound to `strides`.
import { describe, expect, it } from "vitest";
import { build } from "../build/helpers.js";

function outputShape(text: string) {
  const b = build(text, {}, true);
  const graph = b.program.graphs[0]!;
  return {
    shape: graph.values[graph.outputs[0]!]!.type?.shape,
    codes: b.codes(),
    diagnostics: b.diagnostics,
  };
}

describe("Keras 1 positional kernel sizes", () => {
  it("KML350: Conv2D(64, 3, 3) is kernel_size=(3, 3), with a warning at the two sizes", () => {
    const r = outputShape(`sequential m(input_shape=(32, 32, 3)) {\n  Conv2D(64, 3, 3)\n}\n`);
    // Valid padding, stride 1: 32 - 3 + 1 = 30 on both axes (strides=3 would have given 10).
    expect(r.shape).toEqual([null, 30, 30, 64]);
    expect(r.codes).toEqual([["KML350", "2:14"]]);
    expect(r.diagnostics[0]!.severity).toBe("warning");
    expect(r.diagnostics[0]!.hint).toBe("write kernel_size=(3, 3)");
  });

  it("Conv3D(8, 2, 3, 4) is kernel_size=(2, 3, 4)", () => {
    const r = outputShape(`sequential m(input_shape=(10, 10, 10, 1)) {\n  Conv3D(8, 2, 3, 4)\n}\n`);
    expect(r.shape).toEqual([null, 9, 8, 7, 8]);
    expect(r.codes).toEqual([["KML350", "2:13"]]);
  });

  it("SeparableConv2D and LocallyConnected2D take the same form", () => {
    expect(
      outputShape(`sequential m(input_shape=(8, 8, 2)) {\n  SeparableConv2D(4, 3, 3)\n}\n`).shape,
    ).toEqual([null, 6, 6, 4]);
    expect(
      outputShape(`sequential m(input_shape=(8, 8, 2)) {\n  LocallyConnected2D(4, 3, 3)\n}\n`).shape,
    ).toEqual([null, 6, 6, 4]);
  });

  it("leaves the Keras 2 forms alone: a tuple, or a third positional that is not an int", () => {
    const tuple = outputShape(`sequential m(input_shape=(32, 32, 3)) {\n  Conv2D(64, (3, 3), (2, 2))\n}\n`);
    expect(tuple.codes).toEqual([]);
    expect(tuple.shape).toEqual([null, 15, 15, 64]);
    const strides = outputShape(`sequential m(input_shape=(32, 32, 3)) {\n  Conv2D(64, 3, (2, 2))\n}\n`);
    expect(strides.codes).toEqual([]);
    expect(strides.shape).toEqual([null, 15, 15, 64]);
  });
});
