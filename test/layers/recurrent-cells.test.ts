// The cells (SimpleRNNCell, GRUCell, LSTMCell, StackedRNNCells), RNN(cell) with one cell or a stack, and
// CuDNNGRU / CuDNNLSTM: shapes, states, weights and parameter counts (TF.js twins where TF.js has the layer).
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { TensorType } from "../../src/ir/graph.js";
import { apply, readCall, tensor } from "./helpers.js";

const TFJS_INIT = { recurrentInitializer: "glorotUniform" } as const;
const shapes = (outputs: readonly TensorType[] | null) => outputs?.map((t) => t.shape);

function bound(text: string) {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call);
}

describe("cells", () => {
  it("are declared with their Keras 2 signatures (LSTMCell: unit_forget_bias, implementation)", () => {
    expect(bound("LSTMCell(4)").args).toMatchObject({
      units: 4,
      activation: "tanh",
      recurrent_activation: "hard_sigmoid",
      unit_forget_bias: true,
      implementation: 1,
    });
    expect(bound("GRUCell(4)").args).toMatchObject({ reset_after: false, implementation: 1 });
    expect(Object.keys(getLayerDef("SimpleRNNCell")!.schema.args)).toEqual([
      "units",
      "activation",
      "use_bias",
      "kernel_initializer",
      "recurrent_initializer",
      "bias_initializer",
      "kernel_regularizer",
      "recurrent_regularizer",
      "bias_regularizer",
      "kernel_constraint",
      "recurrent_constraint",
      "bias_constraint",
      "dropout",
      "recurrent_dropout",
    ]);
  });

  it("cannot be applied to a tensor themselves: they run inside RNN", () => {
    for (const text of ["LSTMCell(4)", "GRUCell(4)", "SimpleRNNCell(4)"]) {
      const r = apply(text, [tensor([null, 5, 3])]);
      expect(r.outputs).toBeNull();
      expect(r.reports).toEqual([
        {
          kind: "input",
          index: 0,
          expected: "to run inside RNN, not to be applied to a tensor itself (a cell computes one timestep)",
          hint: `wrap it: \`RNN(${text.slice(0, text.indexOf("("))}(...))(x)\`, or use the matching recurrent layer`,
        },
      ]);
    }
    expect(apply("StackedRNNCells([LSTMCell(4)])", [tensor([null, 5, 3])]).reports[0]?.hint).toBe(
      "wrap it: `RNN(StackedRNNCells(...))(x)`",
    );
  });
});

describe("RNN(cell)", () => {
  it("RNN(LSTMCell(u)) is LSTM(u): same shapes, weights and parameters", () => {
    const input = [tensor([null, 10, 6])];
    const rnn = apply("RNN(LSTMCell(8), return_sequences=True)", input);
    const lstm = apply("LSTM(8, return_sequences=True)", input);
    expect(rnn.outputs).toEqual(lstm.outputs);
    expect(rnn.weights).toEqual(lstm.weights);
    expect(rnn.params).toBe(4 * (6 * 8 + 8 * 8 + 8));
    expect(shapes(apply("RNN(GRUCell(8), return_state=True)", input).outputs)).toEqual([
      [null, 8],
      [null, 8],
    ]);
  });

  it("stacks a list of cells: output of the last cell, states in reverse cell order (Keras 2.1–2.2.4, TF.js)", () => {
    const r = apply("RNN([LSTMCell(4), GRUCell(6)], return_state=True)", [tensor([null, 5, 3])]);
    // GRU's h (6) first, then the LSTM's h and c (4, 4). Keras 2.2.5 later listed them in cell order.
    expect(shapes(r.outputs)).toEqual([
      [null, 6],
      [null, 6],
      [null, 4],
      [null, 4],
    ]);
    const layer = tfl.layers.rnn({
      cell: [tfl.layers.lstmCell({ units: 4, ...TFJS_INIT }), tfl.layers.gruCell({ units: 6, ...TFJS_INIT })],
      returnState: true,
    });
    expect(layer.computeOutputShape([null, 5, 3])).toEqual(shapes(r.outputs));
  });

  it("feeds each stacked cell the output of the one below: 4*(3*4+4*4+4) + 3*(4*6+6*6+6) = 326, as TF.js", () => {
    const r = apply("RNN([LSTMCell(4), GRUCell(6)])", [tensor([null, 5, 3])]);
    expect(r.params).toBe(326);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["cell_1/kernel", [3, 16]],
      ["cell_1/recurrent_kernel", [4, 16]],
      ["cell_1/bias", [16]],
      ["cell_2/kernel", [4, 18]],
      ["cell_2/recurrent_kernel", [6, 18]],
      ["cell_2/bias", [18]],
    ]);
    const layer = tfl.layers.rnn({
      cell: [tfl.layers.lstmCell({ units: 4, ...TFJS_INIT }), tfl.layers.gruCell({ units: 6, ...TFJS_INIT })],
    });
    layer.apply(tfl.input({ shape: [5, 3] }));
    expect(layer.countParams()).toBe(326);
  });

  it("takes StackedRNNCells as its cell, nested stacks included", () => {
    const stacked = apply("RNN(StackedRNNCells([LSTMCell(4), GRUCell(6)]))", [tensor([null, 5, 3])]);
    expect(stacked.outputs).toEqual([tensor([null, 6])]);
    expect(stacked.params).toBe(326);
    const nested = apply("RNN([StackedRNNCells([SimpleRNNCell(2), SimpleRNNCell(3)]), LSTMCell(5)])", [
      tensor([null, 5, 3]),
    ]);
    expect(nested.outputs).toEqual([tensor([null, 5])]);
    // SimpleRNN 3→2: 3*2+2*2+2 = 12; 2→3: 2*3+3*3+3 = 18; LSTM 3→5: 4*(3*5+5*5+5) = 180.
    expect(nested.params).toBe(12 + 18 + 180);
  });

  it("checks initial states against every state of the stack", () => {
    const input = tensor([null, 5, 3]);
    const ok = apply("RNN([LSTMCell(4), GRUCell(6)])", [
      input,
      tensor([null, 6]),
      tensor([null, 4]),
      tensor([null, 4]),
    ]);
    expect(ok.outputs).toEqual([tensor([null, 6])]);
    const wrong = apply("RNN([LSTMCell(4), GRUCell(6)])", [input, tensor([null, 4])]);
    expect(wrong.reports[0]).toMatchObject({
      expected: "initial_state=[h, h, c], 3 tensors of shape (batch, 6) / (batch, 4); it has 1, the last",
    });
  });

  it("counts FLOPs over the stack", () => {
    const def = getLayerDef("RNN")!;
    const { args } = bound("RNN([SimpleRNNCell(2), SimpleRNNCell(3)])");
    const perStep = 2 * 3 * 2 + 2 * 2 * 2 + 2 + 2 * 2 + (2 * 2 * 3 + 2 * 3 * 3 + 3 + 2 * 3);
    expect(def.flops(args, [tensor([null, 4, 3])], [tensor([null, 3])])).toBe(4 * perStep);
  });

  it("takes only cells: a recurrent layer or another layer is refused at the argument", () => {
    const lstm = bound("RNN(LSTM(4))");
    expect(lstm.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "KML313",
        "`cell` of RNN: RNN takes a cell such as LSTMCell(32), not LSTM; LSTM is a whole recurrent layer: apply it directly",
      ],
    ]);
    expect(bound("RNN([LSTMCell(4), Dense(3)])").diagnostics[0]?.message).toBe(
      "`cell` of RNN: RNN takes a cell such as LSTMCell(32), not Dense",
    );
    expect(bound("StackedRNNCells([LSTMCell(4), GRU(3)])").diagnostics[0]?.message).toBe(
      "`cells` of StackedRNNCells: StackedRNNCells takes a cell such as LSTMCell(32), not GRU; GRU is a whole recurrent layer: apply it directly",
    );
  });

  it("keeps the cell as Keras serialises it: {className, config}", () => {
    expect(bound("RNN(LSTMCell(4), return_sequences=True)").args).toMatchObject({
      cell: { className: "LSTMCell", config: { units: 4, recurrent_activation: "hard_sigmoid" } },
      return_sequences: true,
    });
  });
});

describe("CuDNNGRU and CuDNNLSTM", () => {
  it("CuDNNGRU has CuDNN's double bias: kernel (in, 3u), recurrent_kernel (u, 3u), bias (6u)", () => {
    const r = apply("CuDNNGRU(8)", [tensor([null, 5, 4])]);
    expect(r.outputs).toEqual([tensor([null, 8])]);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [4, 24]],
      ["recurrent_kernel", [8, 24]],
      ["bias", [48]],
    ]);
    expect(r.params).toBe(3 * (4 * 8 + 8 * 8) + 6 * 8);
  });

  it("CuDNNLSTM: bias (8u), states [h, c]", () => {
    const r = apply("CuDNNLSTM(8, return_sequences=True, return_state=True)", [tensor([null, 5, 4])]);
    expect(shapes(r.outputs)).toEqual([
      [null, 5, 8],
      [null, 8],
      [null, 8],
    ]);
    expect(r.params).toBe(4 * (4 * 8 + 8 * 8) + 8 * 8);
  });

  it("take the reference's arguments: no activation, use_bias or dropout; go_backwards by keyword", () => {
    expect(Object.keys(getLayerDef("CuDNNLSTM")!.schema.args)).toEqual([
      "units",
      "kernel_initializer",
      "recurrent_initializer",
      "bias_initializer",
      "unit_forget_bias",
      "kernel_regularizer",
      "recurrent_regularizer",
      "bias_regularizer",
      "activity_regularizer",
      "kernel_constraint",
      "recurrent_constraint",
      "bias_constraint",
      "return_sequences",
      "return_state",
      "stateful",
      "go_backwards",
    ]);
    expect(bound('CuDNNGRU(4, activation="relu")').diagnostics.map((d) => d.code)).toEqual(["KML301"]);
    expect(bound("CuDNNGRU(4, go_backwards=True)").ok).toBe(true);
  });

  it("do not take masks (Keras 2: masking is not supported for CuDNN RNNs)", () => {
    expect(getLayerDef("CuDNNGRU")!.supportsMasking).toBe(false);
    expect(getLayerDef("CuDNNLSTM")!.supportsMasking).toBe(false);
  });

  it("count FLOPs like GRU with reset_after and LSTM, with the double bias", () => {
    const def = getLayerDef("CuDNNLSTM")!;
    const perStep = 2 * 4 * 32 + 2 * 8 * 32 + 64 + 13 * 8;
    expect(def.flops(bound("CuDNNLSTM(8)").args, [tensor([null, 5, 4])], [tensor([null, 8])])).toBe(
      5 * perStep,
    );
  });
});
