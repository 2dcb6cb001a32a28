// summarizeGraph: parameter counts, FLOPs and activation bytes worked out by hand, Keras's layer order and
// "Connected to" entries, shared and multi-output layers, unknown dims, and --batch scaling.
//
// What a FLOP count includes (the layers' `flops` hooks, a multiply-add = 2): Dense = per output value
// 2 × input features, +1 for the bias, +1 for a non-linear activation (relu, sigmoid and softmax alike);
// Dropout and Concatenate only move data (0). Activation bytes: 4 per float32 value of every output,
// per sample (the batch dimension left out); the totals include the model's input tensors.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { summarizeGraph } from "../../src/compiler/summary/index.js";
import { compileModel, MNIST_MLP, row, SIAMESE, summarize } from "./helpers.js";

describe("an MLP 784-512-512-10", () => {
  const summary = summarize(MNIST_MLP);

  it("has Keras's parameter counts: 669,706 in all", () => {
    expect(summary.layers.map((l) => [l.name, l.type, l.params?.total])).toEqual([
      ["dense_1", "Dense", 784 * 512 + 512],
      ["dropout_1", "Dropout", 0],
      ["dense_2", "Dense", 512 * 512 + 512],
      ["dropout_2", "Dropout", 0],
      ["dense_3", "Dense", 512 * 10 + 10],
    ]);
    expect(summary.params).toEqual({ total: 669_706, trainable: 669_706, nonTrainable: 0 });
  });

  it("counts FLOPs per sample: 2 per multiply-add, then bias and activation per output value", () => {
    const dense1 = 2 * 784 * 512 + 512 + 512; // matmul, bias, relu = 803,840
    const dense2 = 2 * 512 * 512 + 512 + 512; // 525,312
    const dense3 = 2 * 512 * 10 + 10 + 10; // softmax counted once per value = 10,260
    expect(summary.layers.map((l) => l.flops)).toEqual([dense1, 0, dense2, 0, dense3]);
    expect(summary.flops).toBe(1_339_412);
    expect(dense1 + dense2 + dense3).toBe(1_339_412);
  });

  it("counts activation bytes per sample: 4 per value, the input included in the total", () => {
    expect(summary.layers.map((l) => l.activationBytes)).toEqual([2048, 2048, 2048, 2048, 40]);
    expect(summary.activationBytes).toBe(784 * 4 + 4 * 2048 + 40);
    expect(summary.activationBytes).toBe(11_368);
  });

  it("does not list a Sequential model's implicit InputLayer, but names it among the inputs", () => {
    expect(summary.layers.some((l) => l.type === "InputLayer")).toBe(false);
    expect(summary.inputs).toEqual([{ name: "input_1", shape: [null, 784] }]);
    expect(summary.outputs).toEqual([{ name: "dense_3", shape: [null, 10] }]);
    expect(summary.showConnections).toBe(false);
    expect(summary.perBatch).toBeUndefined();
  });

  it("scales FLOPs and activation memory (not parameters) with --batch", () => {
    const batched = summarize(MNIST_MLP, { batch: 32 });
    expect(batched.perBatch).toEqual({ batch: 32, flops: 32 * 1_339_412, activationBytes: 32 * 11_368 });
    expect(batched.params).toEqual(summary.params);
    expect(batched.flops).toBe(summary.flops);
  });
});

describe("a functional model with a shared layer", () => {
  const summary = summarize(SIAMESE);

  it("lists each layer once, inputs first, with every call in Connected to", () => {
    expect(summary.showConnections).toBe(true);
    expect(summary.layers.map((l) => [l.name, l.type])).toEqual([
      ["input_1", "InputLayer"],
      ["input_2", "InputLayer"],
      ["dense_1", "Dense"],
      ["concatenate_1", "Concatenate"],
      ["dense_2", "Dense"],
    ]);
    expect(row(summary, "input_1").connectedTo).toEqual([]);
    expect(row(summary, "dense_1").connectedTo).toEqual([
      { layer: "input_1", nodeIndex: 0, tensorIndex: 0 },
      { layer: "input_2", nodeIndex: 0, tensorIndex: 0 },
    ]);
    // The second input of concatenate_1 is the shared layer's second call: node index 1.
    expect(row(summary, "concatenate_1").connectedTo).toEqual([
      { layer: "dense_1", nodeIndex: 0, tensorIndex: 0 },
      { layer: "dense_1", nodeIndex: 1, tensorIndex: 0 },
    ]);
  });

  it("counts a shared layer's weights once and its FLOPs and outputs once per call", () => {
    const dense1 = row(summary, "dense_1");
    expect(dense1.params).toEqual({ total: 16 * 8 + 8, trainable: 136, nonTrainable: 0 });
    expect(dense1.flops).toBe(2 * (8 * (2 * 16 + 1 + 1))); // two calls of 272
    expect(dense1.activationBytes).toBe(2 * 8 * 4);
    expect(dense1.outputShapes).toEqual([[null, 8]]);
    expect(row(summary, "dense_2").flops).toBe(2 * 16 + 1 + 1);
    expect(summary.params?.total).toBe(136 + 16 + 1);
    expect(summary.flops).toBe(544 + 0 + 34);
    // Inputs 2 × 64, dense_1 2 × 32, concatenate_1 64, dense_2 4.
    expect(summary.activationBytes).toBe(128 + 64 + 64 + 4);
  });

  it('says "multiple" (null shapes) when a shared layer\'s calls give different shapes', () => {
    const shared = summarize(`model m {
  a = Input(shape=(16,))
  b = Input(shape=(4, 16))
  encode = Dense(8)
  x = encode(a)
  y = encode(b)
  outputs x, y
}
`);
    expect(row(shared, "dense_1").outputShapes).toBeNull();
    expect(row(shared, "dense_1").params?.total).toBe(136);
    expect(row(shared, "dense_1").activationBytes).toBe(8 * 4 + 4 * 8 * 4);
  });
});

describe("Keras's layer order and table kind", () => {
  it("lists layers by depth from the outputs, as Keras's Network does (a shortcut after the main path)", () => {
    const summary = summarize(`model residual {
  x = Input(shape=(8,))
  shortcut = Dense(4, name="shortcut")(x)
  h = Dense(4, name="h1")(x)
  h = Dense(4, name="h2")(h)
  y = Add()([h, shortcut])
  outputs y
}
`);
    expect(summary.layers.map((l) => l.name)).toEqual(["input_1", "h1", "h2", "shortcut", "add_1"]);
  });

  it("leaves out Connected to for a functional chain, but lists its InputLayer", () => {
    const summary = summarize(`model chain {
  x = Input(shape=(8,))
  h = Dense(4)(x)
  y = Dense(2)(h)
  outputs y
}
`);
    expect(summary.showConnections).toBe(false);
    expect(summary.layers.map((l) => l.type)).toEqual(["InputLayer", "Dense", "Dense"]);
  });

  it("leaves out layers no output depends on, as Keras's model does (inputs always stay)", () => {
    const summary = summarize(`model m {
  x = Input(shape=(8,))
  unused = Input(shape=(3,))
  dead = Dense(5)(x)
  y = Dense(2)(x)
  outputs y
}
`);
    // Keras puts an input no output needs at depth 0, first among that depth.
    expect(summary.layers.map((l) => l.name)).toEqual(["input_1", "input_2", "dense_2"]);
    expect(summary.params?.total).toBe(18);
  });
});

describe("several outputs and unknown dimensions", () => {
  it("gives a multi-output layer one shape per output and names its tensors in Connected to", () => {
    const summary = summarize(`model states {
  x = Input(shape=(5, 3))
  seq, h, c = LSTM(4, return_sequences=True, return_state=True)(x)
  both = Concatenate()([h, c])
  outputs seq, both
}
`);
    const lstm = row(summary, "lstm_1");
    expect(lstm.outputShapes).toEqual([
      [null, 5, 4],
      [null, 4],
      [null, 4],
    ]);
    // LSTM: 4 gates × (input kernel 3×4 + recurrent kernel 4×4 + bias 4).
    expect(lstm.params?.total).toBe(4 * (3 * 4 + 4 * 4 + 4));
    expect(lstm.activationBytes).toBe((5 * 4 + 4 + 4) * 4);
    expect(row(summary, "concatenate_1").connectedTo).toEqual([
      { layer: "lstm_1", nodeIndex: 0, tensorIndex: 1 },
      { layer: "lstm_1", nodeIndex: 0, tensorIndex: 2 },
    ]);
    expect(summary.outputs.map((o) => o.name)).toEqual(["lstm_1_0", "concatenate_1"]);
  });

  it("keeps symbolic dims in shapes and reports FLOPs and bytes that depend on them as unknown", () => {
    const summary = summarize(`dim T
model towers {
  q = Input(shape=(T, 16))
  h = Dense(8)(q)
  outputs h
}
`);
    expect(row(summary, "dense_1").outputShapes).toEqual([[null, "T", 8]]);
    expect(row(summary, "dense_1").params?.total).toBe(136);
    expect(summary.flops).toBeNull();
    expect(summary.activationBytes).toBeNull();
    expect(summary.unknownFlops).toEqual(["dense_1"]);
    expect(summary.unknownActivations).toEqual(["input_1", "dense_1"]);
    expect(
      summarize(`dim T\nmodel t {\n  q = Input(shape=(T, 2))\n  outputs q\n}\n`, { batch: 8 }).perBatch,
    ).toEqual({
      batch: 8,
      flops: 0,
      activationBytes: null,
    });
  });

  it("counts int32 inputs 4 bytes a value", () => {
    const graph = compileModel(`model ids {
  x = Input(shape=(10,), dtype="int32")
  e = Embedding(100, 8)(x)
  outputs e
}
`);
    const summary = summarizeGraph(graph);
    expect(row(summary, "input_1").activationBytes).toBe(40);
    expect(row(summary, "embedding_1").params?.total).toBe(800);
  });
});

describe("compile(...).summary()", () => {
  it("gives one summary per model, in source order, and none without an IR", () => {
    const result = compile(`${MNIST_MLP}\n${SIAMESE}`, { fileName: "two.kml" });
    expect(result.summary().map((s) => s.name)).toEqual(["mnist_mlp", "siamese"]);
    expect(result.summary({ batch: 2 })[1]?.perBatch?.batch).toBe(2);
    expect(compile("sequential m {\n  Dense(3\n}\n", { fileName: "bad.kml" }).summary()).toEqual([]);
  });
});
