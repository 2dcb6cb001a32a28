// Embedding: the reference's example (samples/embedding.kml) with its documented shapes, parameters
// input_dim * output_dim (as TF.js counts them), the int32 input it declares as a first layer, input_length
// checks, and mask_zero's mask through the whole pipeline.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

const SAMPLES = join(import.meta.dirname, "../../samples");

function bound(text: string) {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call);
}

describe("the reference's example, samples/embedding.kml", () => {
  const b = build(readFileSync(join(SAMPLES, "embedding.kml"), "utf8"), {}, true);

  it("takes int32 indices (None, 10) and gives (None, 10, 64)", () => {
    expect(b.codes()).toEqual([]);
    const g = b.graph("embedding");
    expect(g.layers.map((l) => [l.name, l.type])).toEqual([
      ["embedding_1_input", "Input"],
      ["embedding_1", "Embedding"],
    ]);
    expect(g.values.map((v) => v.type)).toEqual([
      { shape: [null, 10], dtype: "int32", masked: false },
      { shape: [null, 10, 64], dtype: "float32", masked: false },
    ]);
  });

  it("has 1000 * 64 = 64,000 parameters in `embeddings`, as TF.js counts them", () => {
    const model = tfl.sequential({
      layers: [tfl.layers.embedding({ inputDim: 1000, outputDim: 64, inputLength: 10 })],
    });
    const r = apply("Embedding(1000, 64, input_length=10)", [tensor([null, 10])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([["embeddings", [1000, 64], true]]);
    expect(r.params).toBe(model.countParams());
    // TF.js gives the input layer float32; Keras 2 forces Embedding's input to int32, as kerasc does.
    expect(model.inputs[0]!.dtype).toBe("float32");
  });
});

describe("Embedding's arguments", () => {
  it("documents the defaults: uniform initializer, no regularizers or constraint, mask_zero False", () => {
    expect(bound("Embedding(10, 4)").args).toMatchObject({
      input_dim: 10,
      output_dim: 4,
      embeddings_initializer: { className: "RandomUniform" },
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: false,
      input_length: null,
      dtype: "int32",
    });
  });

  it("requires input_dim and output_dim; output_dim must be positive", () => {
    expect(bound("Embedding(10)").diagnostics.map((d) => d.code)).toEqual(["KML304"]);
    expect(bound("Embedding(10, 0)").diagnostics.map((d) => d.code)).toEqual(["KML306"]);
  });
});

describe("Embedding's shape rule", () => {
  it("maps (batch, length) to (batch, length, output_dim), keeping None and symbolic lengths", () => {
    expect(apply("Embedding(50, 8)", [tensor([null, null])]).outputs).toEqual([tensor([null, null, 8])]);
    expect(apply("Embedding(50, 8)", [tensor([4, "T"])], ["T"]).outputs).toEqual([tensor([4, "T", 8])]);
  });

  it("takes its length from input_length where the input does not know it", () => {
    expect(apply("Embedding(50, 8, input_length=12)", [tensor([null, null])]).outputs).toEqual([
      tensor([null, 12, 8]),
    ]);
  });

  it("needs a 2D input", () => {
    expect(apply("Embedding(50, 8)", [tensor([null, 10, 1])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 2D input (batch, sequence_length) of indices",
        hint: "drop the trailing axis of size 1",
      },
    ]);
  });

  it("KML402 when input_length does not match the input's length", () => {
    const b = build(
      `model m {
  words = Input(shape=(12,), dtype="int32")
  e = Embedding(100, 8, input_length=10)(words)
  outputs e
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML402", "3:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Embedding `embedding_1`: input_length is 10, but the input (None, 12) has sequences of length 12",
    );
  });

  it("as the first layer without input_length declares (None, None) int32, as Keras's input_shape=(None,)", () => {
    const b = build("sequential m {\n  Embedding(100, 8)\n}\n", {}, true);
    expect(b.codes()).toEqual([]);
    expect(b.graph("m").values[0]!.type).toEqual({ shape: [null, null], dtype: "int32", masked: false });
  });

  it("as the first layer, input_shape and batch_size still win over input_length", () => {
    const b = build("sequential m {\n  Embedding(100, 8, input_shape=(6,), batch_size=32)\n}\n", {}, true);
    expect(b.codes()).toEqual([]);
    expect(b.graph("m").values.map((v) => v.type?.shape)).toEqual([
      [32, 6],
      [32, 6, 8],
    ]);
  });

  it("without input_length cannot be flattened (the reference: give input_length for Flatten then Dense)", () => {
    const b = build(
      `sequential m {
  Embedding(1000, 64)
  Flatten()
  Dense(1)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    const ok = build(
      "sequential m {\n  Embedding(1000, 64, input_length=10)\n  Flatten()\n  Dense(1)\n}\n",
      {},
      true,
    );
    expect(ok.codes()).toEqual([]);
    expect(ok.graph("m").values.map((v) => v.type?.shape)).toEqual([
      [null, 10],
      [null, 10, 64],
      [null, 640],
      [null, 1],
    ]);
  });
});

describe("mask_zero", () => {
  it("masks the output", () => {
    expect(apply("Embedding(50, 8, mask_zero=True)", [tensor([null, 5])]).outputs).toEqual([
      tensor([null, 5, 8], true),
    ]);
  });

  it("replaces an incoming mask with its own, or drops it (Keras's Embedding.compute_mask never refuses one)", () => {
    expect(apply("Embedding(50, 8)", [tensor([null, 5], true)]).outputs).toEqual([
      tensor([null, 5, 8], false),
    ]);
    expect(apply("Embedding(50, 8, mask_zero=True)", [tensor([null, 5], true)]).outputs).toEqual([
      tensor([null, 5, 8], true),
    ]);
  });

  it("→ Flatten is an error (KML404 at Flatten, naming the embedding)", () => {
    const b = build(
      `sequential m {
  Embedding(1000, 64, input_length=10, mask_zero=True)
  Flatten()
  Dense(1)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML404", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Flatten `flatten_1` cannot take a masked input; `embedding_1` at line 2 produces (None, 10, 64) masked",
    );
  });

  it("→ Dense → LSTM is fine: Dense passes the mask on, the LSTM consumes it", () => {
    const b = build(
      `sequential m {
  Embedding(1000, 64, mask_zero=True)
  Dense(32)
  LSTM(16)
  Dense(1)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    expect(b.graph("m").values.map((v) => [v.type?.shape, v.type?.masked])).toEqual([
      [[null, null], false],
      [[null, null, 64], true],
      [[null, null, 32], true],
      [[null, 16], false],
      [[null, 1], false],
    ]);
  });
});
