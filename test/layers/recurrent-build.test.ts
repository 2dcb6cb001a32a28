// Recurrent layers end to end, .kml text → typed IR: the reference's examples (samples/rnn_*.kml) with
// their documented shapes and Keras's parameter counts, return_state unpacking, initial_state as extra
// inputs of the node, masks reaching recurrent layers, and each diagnostic at its position.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layerParamCounts } from "../../src/compiler/3-infer/params.js";
import type { Graph } from "../../src/ir/graph.js";
import { build, outputShape } from "../build/helpers.js";

const sample = (name: string) => readFileSync(join(import.meta.dirname, "../../samples", name), "utf8");

/** Every output shape of a graph. */
function outputShapes(graph: Graph) {
  return graph.outputs.map((_, i) => outputShape(graph, i));
}

/** Each layer's output shape (first output) and parameter count, in graph order. */
function summary(graph: Graph) {
  const counts = layerParamCounts(graph);
  return graph.nodes.map((node) => {
    const layer = graph.layers[node.layer]!;
    const value = graph.values.find((v) => v.id === node.outputs[0]);
    return [layer.name, value?.type?.shape, counts.get(layer.id)?.total] as const;
  });
}

describe("the reference's examples", () => {
  it("rnn_lstm.kml: LSTM(32, input_shape=(10, 64)) and its older spelling give (None, 32); stacked LSTMs", () => {
    const b = build(sample("rnn_lstm.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(summary(b.graph("lstm_input_shape"))).toEqual([
      ["lstm_1_input", [null, 10, 64], 0],
      ["lstm_1", [null, 32], 12416],
    ]);
    expect(summary(b.graph("lstm_input_dim"))).toEqual(summary(b.graph("lstm_input_shape")));
    expect(summary(b.graph("stacked_lstm"))).toEqual([
      ["lstm_1_input", [null, 10, 64], 0],
      ["lstm_1", [null, 10, 64], 4 * (64 * 64 + 64 * 64 + 64)],
      ["lstm_2", [null, 10, 32], 4 * (64 * 32 + 32 * 32 + 32)],
      ["lstm_3", [null, 10], 4 * (32 * 10 + 10 * 10 + 10)],
    ]);
  });

  it("the reference's `model.add(LSTM(16))` after LSTM(32) is the documented 3D-input error", () => {
    const b = build(
      `sequential m {
  LSTM(32, input_dim=64, input_length=10)
  LSTM(16)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "LSTM `lstm_2` expects a 3D input (batch, timesteps, features); `lstm_1` at line 2 produces (None, 32)",
    );
    expect(b.diagnostics[0]!.hint).toContain("return_sequences=True");
  });

  it("rnn_seq2seq_states.kml: return_state unpacks [output, h, c]; initial_state feeds the decoder", () => {
    const b = build(sample("rnn_seq2seq_states.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(outputShapes(b.graph("encoder"))).toEqual([
      [null, 256],
      [null, 256],
      [null, 256],
    ]);
    const decoder = b.graph("decoder");
    expect(outputShapes(decoder)).toEqual([
      [null, null, 93],
      [null, 256],
      [null, 256],
    ]);
    // The states are inputs 2 and 3 of the LSTM's node, after the sequence.
    const lstm = decoder.nodes.find((n) => decoder.layers[n.layer]!.type === "LSTM")!;
    expect(lstm.inputs.map((id) => decoder.values.find((v) => v.id === id)!.name)).toEqual([
      "decoder_inputs",
      "decoder_state_input_h",
      "decoder_state_input_c",
    ]);
    expect(lstm.outputs).toHaveLength(3);
    expect(layerParamCounts(decoder).get(lstm.layer)?.total).toBe(4 * (93 * 256 + 256 * 256 + 256));
  });

  it("rnn_stacked_cells.kml: RNN runs StackedRNNCells or a list of cells", () => {
    const b = build(sample("rnn_stacked_cells.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    const stacked = b.graph("stacked_cells");
    expect(outputShapes(stacked)).toEqual([[null, 32]]);
    const lstm = (input: number, units: number) => 4 * (input * units + units * units + units);
    expect(summary(stacked)[1]).toEqual(["rnn_1", [null, 32], lstm(16, 32) + 2 * lstm(32, 32)]);
    expect(outputShapes(b.graph("rnn_cell_list"))).toEqual([
      [null, "timesteps", 8],
      [null, 8],
      [null, 8],
      [null, 4],
      [null, 4],
    ]);
  });

  it("the reference's `StackedRNNCells(cells)(inputs)` is an error that says to wrap the cells in RNN", () => {
    const b = build(
      `dim timesteps
model m {
  inputs = Input(shape=(timesteps, 16))
  x = StackedRNNCells([LSTMCell(32), LSTMCell(32), LSTMCell(32)])(inputs)
  outputs x
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "4:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "StackedRNNCells `stacked_rnn_cells_1` expects to run inside RNN, not to be applied to a tensor itself (a cell computes one timestep); `input_1` at line 3 produces (None, timesteps, 16)",
    );
    expect(b.diagnostics[0]!.hint).toBe("wrap it: `RNN(StackedRNNCells(...))(x)`");
  });

  it("rnn_stateful.kml: stateful layers with a fixed batch size", () => {
    const b = build(sample("rnn_stateful.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(outputShape(b.graph("stateful_sequential"))).toEqual([32, 1]);
    expect(outputShape(b.graph("stateful_functional"))).toEqual([32, 1]);
  });

  it("rnn_masking.kml: Embedding(mask_zero=True) and Masking feed recurrent layers", () => {
    const b = build(sample("rnn_masking.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(summary(b.graph("imdb_lstm")).slice(1)).toEqual([
      ["embedding_1", [null, null, 128], 20000 * 128],
      ["lstm_1", [null, 128], 4 * (128 * 128 + 128 * 128 + 128)],
      ["dense_1", [null, 1], 129],
    ]);
    const masked = b.graph("masked_sequences");
    expect(masked.values.map((v) => v.type?.masked)).toEqual([false, true, true, false]);
    expect(outputShape(masked)).toEqual([null, 8]);
  });
});

describe("initial_state", () => {
  it("takes one tensor or a list, and Keras's list form [x, h, c] alike; Bidirectional splits its states", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  h = Input(shape=(8,))
  fh = Input(shape=(4,))
  fc = Input(shape=(4,))
  bh = Input(shape=(4,))
  bc = Input(shape=(4,))
  a = GRU(8)(x, initial_state=h)
  b = GRU(8)([x, h])
  c = Bidirectional(LSTM(4, return_sequences=True))(x, initial_state=[fh, fc, bh, bc])
  outputs a, b, c
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    const g = b.graph("m");
    expect(outputShapes(g)).toEqual([
      [null, 8],
      [null, 8],
      [null, 10, 8],
    ]);
    expect(g.nodes.slice(-3).map((n) => n.inputs.length)).toEqual([2, 2, 5]);
  });

  it("KML401: a Bidirectional layer's backward state of the wrong size, at the application", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  h = Input(shape=(4,))
  c = Bidirectional(GRU(4))(x, initial_state=[h, x])
  outputs c
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "4:7"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Bidirectional `bidirectional_1` expects an initial state h of shape (batch, 4) for its GRU as input 3; `input_1` at line 2 produces (None, 10, 3)",
    );
  });
});

describe("recurrent diagnostics", () => {
  it("KML401 names the layer that produced a non-sequence", () => {
    const b = build(
      `sequential m {
  Dense(10, input_shape=(26, 26, 3))
  LSTM(8)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "LSTM `lstm_1` expects a 3D input (batch, timesteps, features); `dense_1` at line 2 produces (None, 26, 26, 10)",
    );
  });

  it("KML401: a stateful layer without a fixed batch size", () => {
    const b = build(
      `sequential m {
  LSTM(4, stateful=True, input_shape=(10, 3))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "2:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "LSTM `lstm_1` expects a fixed batch size, since it is stateful (stateful=True keeps one state per sample of a batch); `lstm_1_input` at line 2 produces (None, 10, 3)",
    );
  });

  it("KML213: return_state outputs unpacked into the wrong number of names", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  out, h = LSTM(4, return_state=True)(x)
  outputs out, h
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML213", "3:12"]]);
  });

  it("KML213: a layer with return_state used as one tensor", () => {
    const b = build(
      `sequential m {
  GRU(4, return_state=True, input_shape=(10, 3))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML213", "2:3"]]);
  });

  it("KML401: initial_state with a missing or misshapen state, at the application", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  h0 = Input(shape=(8,))
  c0 = Input(shape=(4,))
  a = LSTM(8)(x, initial_state=[h0])
  b = LSTM(8)(x, initial_state=[h0, c0])
  outputs a, b
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML401", "5:7"],
      ["KML401", "6:7"],
    ]);
    expect(b.diagnostics.map((d) => d.message)).toEqual([
      "LSTM `lstm_1` expects initial_state=[h, c], 2 tensors of shape (batch, 8); it has 1, the last as input 2; `input_2` at line 3 produces (None, 8)",
      "LSTM `lstm_2` expects an initial state c of shape (batch, 8) as input 3; `input_3` at line 4 produces (None, 4)",
    ]);
  });

  it("KML403: more initial states than the layer has", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  h = Input(shape=(8,))
  y = GRU(8)(x, initial_state=[h, h])
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML403", "4:7"]]);
  });

  it("KML401: a cell applied to a tensor", () => {
    const b = build(
      `model m {
  x = Input(shape=(10, 3))
  y = LSTMCell(8)(x)
  outputs y
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:7"]]);
    expect(b.diagnostics[0]!.hint).toBe(
      "wrap it: `RNN(LSTMCell(...))(x)`, or use the matching recurrent layer",
    );
  });

  it("KML313: RNN given a layer instead of a cell, at the nested layer's name", () => {
    const b = build(
      `sequential m {
  RNN(LSTM(8), input_shape=(10, 3))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML313", "2:7"]]);
  });

  it("KML313: input_length without input_dim", () => {
    const b = build(
      `sequential m {
  LSTM(8, input_length=10)
}
`,
      {},
      true,
    );
    expect(b.codes()).toContainEqual(["KML313", "2:24"]);
  });
});

describe("masks reaching recurrent layers", () => {
  it("Masking → LSTM is fine; the LSTM's last output is unmasked, so Flatten-free Dense follows", () => {
    const b = build(
      `sequential m {
  Masking(input_shape=(10, 4))
  LSTM(8)
  Dense(2)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
  });

  it("KML404: Masking → Flatten, and a mask carried on by return_sequences=True into Flatten", () => {
    const direct = build(
      `sequential m {
  Masking(input_shape=(10, 4))
  Flatten()
}
`,
      {},
      true,
    );
    expect(direct.codes()).toEqual([["KML404", "3:3"]]);
    const carried = build(
      `sequential m {
  Masking(input_shape=(10, 4))
  LSTM(8, return_sequences=True)
  Flatten()
}
`,
      {},
      true,
    );
    expect(carried.codes()).toEqual([["KML404", "4:3"]]);
    expect(carried.diagnostics[0]!.message).toBe(
      "Flatten `flatten_1` cannot take a masked input; `lstm_1` at line 3 produces (None, 10, 8) masked",
    );
  });

  it("KML404: Masking → Conv1D", () => {
    const b = build(
      `sequential m {
  Masking(input_shape=(10, 4))
  Conv1D(8, 3)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML404", "3:3"]]);
  });

  it("KML404: CuDNN layers cannot take a mask", () => {
    const b = build(
      `sequential m {
  Embedding(100, 8, mask_zero=True, input_length=10)
  CuDNNLSTM(4)
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML404", "3:3"]]);
  });
});
