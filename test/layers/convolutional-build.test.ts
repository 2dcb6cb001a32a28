// The convolutional family end to end (parse → build → infer): the samples with the shapes their comments
// document, and each diagnostic the family reports with its code, position and message.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Graph } from "../../src/ir/graph.js";
import { build, outputShape } from "../build/helpers.js";

const SAMPLES = join(import.meta.dirname, "../../samples");

/** Each layer's name and first output shape, in graph order. */
function layerShapes(graph: Graph): [string, readonly (number | string | null)[] | undefined][] {
  return graph.nodes.map((node) => {
    const layer = graph.layers.find((l) => l.id === node.layer)!;
    const type = graph.values.find((v) => v.id === node.outputs[0])?.type;
    return [layer.name, type?.shape];
  });
}

function compileSample(name: string) {
  const b = build(readFileSync(join(SAMPLES, name), "utf8"), {}, true);
  expect(b.codes()).toEqual([]);
  return b;
}

describe("samples", () => {
  it("conv_flatten.kml: the reference's Flatten example in Keras 2 form, (None, 64, 32, 32) then (None, 65536)", () => {
    const g = compileSample("conv_flatten.kml").graph("conv_flatten");
    expect(layerShapes(g)).toEqual([
      ["conv2d_1_input", [null, 3, 32, 32]],
      ["conv2d_1", [null, 64, 32, 32]],
      ["flatten_1", [null, 65536]],
    ]);
  });

  it("the reference's Keras 1 text as written names its Keras 2 spelling (hence the transcription in the sample)", () => {
    const b = build(
      `sequential s {
  Convolution2D(64, 3, 3, border_mode="same", input_shape=(3, 32, 32))
  Flatten()
}
`,
    );
    expect(b.codes()).toEqual([["KML209", "2:3"]]);
    expect(b.diagnostics[0]!.hint).toContain("Conv2D");
  });

  it("locally_connected.kml: the reference's (None, 30, 30, 64) and (None, 28, 28, 32)", () => {
    const b = compileSample("locally_connected.kml");
    expect(layerShapes(b.graph("locally_connected_2d")).slice(1)).toEqual([
      ["locally_connected2d_1", [null, 30, 30, 64]],
      ["locally_connected2d_2", [null, 28, 28, 32]],
    ]);
    expect(layerShapes(b.graph("locally_connected_1d")).slice(1)).toEqual([
      ["locally_connected1d_1", [null, 8, 64]],
      ["locally_connected1d_2", [null, 6, 32]],
    ]);
  });

  it("conv_causal.kml: causal dilated convolutions keep the symbolic length T", () => {
    const g = compileSample("conv_causal.kml").graph("causal_stack");
    expect(layerShapes(g).map(([, shape]) => shape)).toEqual([
      [null, "T", 16],
      [null, "T", 32],
      [null, "T", 32],
      [null, "T", 32],
      [null, "T", 1],
    ]);
  });

  it("conv_autoencoder.kml: down with padding and strides, up with Conv2DTranspose and UpSampling2D", () => {
    const g = compileSample("conv_autoencoder.kml").graph("conv_autoencoder");
    expect(layerShapes(g).map(([, shape]) => shape)).toEqual([
      [null, 28, 28, 1],
      [null, 32, 32, 1],
      [null, 16, 16, 16],
      [null, 8, 8, 32],
      [null, 8, 8, 64],
      [null, 16, 16, 16],
      [null, 32, 32, 16],
      [null, 32, 32, 1],
      [null, 28, 28, 1],
    ]);
  });
});

describe("declaring the input", () => {
  it("a first Conv1D with Keras 2's legacy input_dim/input_length: input_shape=(input_length, input_dim)", () => {
    const b = build(
      `sequential fixed {
  Conv1D(8, 3, input_dim=16, input_length=10)
}
sequential variable {
  Conv1D(8, 3, input_dim=16)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    expect(outputShape(b.graph("fixed"))).toEqual([null, 8, 8]);
    expect(outputShape(b.graph("variable"))).toEqual([null, null, 8]);
  });

  it("other layers keep input_dim's base meaning: SeparableConv1D(input_dim=16) declares (None, 16), too few axes", () => {
    const b = build("sequential s {\n  SeparableConv1D(8, 3, input_dim=16)\n}\n", {}, true);
    expect(b.codes()).toEqual([["KML401", "2:3"]]);
  });
});

describe("diagnostics", () => {
  it("KML401: a rank that does not fit, naming the layer that produced it", () => {
    const b = build(
      `model m {
  x = Input(shape=(28, 28))
  h = Dense(10)(x)
  y = Conv2D(8, (3, 3))(h)
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "4:7"]]);
    const [d] = b.diagnostics;
    expect(d!.message).toBe(
      "Conv2D `conv2d_1` expects a 4D input (batch, rows, cols, channels); `dense_1` at line 3 produces (None, 28, 10)",
    );
    expect(d!.hint).toBe("the input has no channels axis: give it one, e.g. input_shape=(rows, cols, 1)");
  });

  it("KML401: an unknown channel count", () => {
    const b = build(
      `model m {
  x = Input(shape=(28, 28, None))
  y = Conv2D(8, 3)(x)
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Conv2D `conv2d_1` expects a known number of channels on axis 3, not None; `input_1` at line 2 produces (None, 28, 28, None)",
    );
  });

  it("KML402: a kernel larger than the input, at the layer (7 → 5 → ⌈1 / 2⌉ = 1 → kernel 5 does not fit)", () => {
    const b = build(
      `sequential s {
  Conv1D(4, 3, input_shape=(7, 2))
  Conv1D(4, 5, strides=2)
  Conv1D(4, 5)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML402", "4:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Conv1D `conv1d_3`: kernel 5 is larger than the input length 1 with padding='valid'",
    );
  });

  it("KML402: cropping everything away", () => {
    const b = build("sequential s {\n  Cropping2D(((2, 2), (0, 0)), input_shape=(4, 4, 1))\n}\n", {}, true);
    expect(b.codes()).toEqual([["KML402", "2:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Cropping2D `cropping2d_1`: cropping (2, 2) removes 4 of the 4 rows on axis 1, leaving nothing",
    );
  });

  it("KML313: strides with dilation_rate, at the dilation_rate value; causal padding on Conv2D, at the padding", () => {
    const b = build(
      `sequential s {
  Conv1D(8, 3, strides=2, dilation_rate=2, input_shape=(10, 4))
}
sequential t {
  Conv2D(8, 3, padding="causal", input_shape=(10, 10, 4))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML313", "2:41"],
      ["KML313", "5:24"],
    ]);
  });

  it("KML313: output_padding not below the strides", () => {
    const b = build(
      "sequential s {\n  Conv2DTranspose(8, 3, strides=(2, 1), output_padding=(1, 1), input_shape=(4, 4, 2))\n}\n",
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML313", "2:56"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "`output_padding` of Conv2DTranspose: output_padding (1, 1) must be smaller than strides (2, 1) on every axis",
    );
  });
});
