// SimpleRNN, GRU and LSTM: shapes, weights and parameter counts from the reference's formulas and from
// TF.js layers' twins; return_sequences / return_state / go_backwards / stateful / unroll / initial states;
// masks; FLOPs; and every shape error they report.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { TensorType } from "../../src/ir/graph.js";
import { apply, readCall, tensor } from "./helpers.js";

/** Output shapes and parameter count of a TF.js layer applied to a symbolic input of `shape` (batch excluded). */
function twin(layer: tfl.layers.Layer, shape: readonly (number | null)[]) {
  const output = layer.apply(tfl.input({ shape: [...shape] })) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
  const outputs = Array.isArray(output) ? output : [output];
  return { shapes: outputs.map((t) => t.shape), params: layer.countParams() };
}

/** In Node, tfjs-core has no chained tensor methods, so the default orthogonal initializer fails. */
const TFJS_INIT = { recurrentInitializer: "glorotUniform" } as const;

const shapes = (outputs: readonly TensorType[] | null) => outputs?.map((t) => t.shape);

/** Binds a call and returns its arguments (defaults filled). */
function bound(text: string) {
  const call = readCall(text);
  const result = bindLayerArgs(getLayerDef(call.layerName)!, call);
  return result;
}

describe("LSTM", () => {
  it("maps (None, 10, 64) to (None, 32) with 4*(64*32 + 32*32 + 32) = 12416 parameters, as TF.js", () => {
    const r = apply("LSTM(32)", [tensor([null, 10, 64])]);
    expect(r.outputs).toEqual([tensor([null, 32])]);
    expect(r.params).toBe(4 * (64 * 32 + 32 * 32 + 32));
    const tf = twin(tfl.layers.lstm({ units: 32, ...TFJS_INIT }), [10, 64]);
    expect(tf).toEqual({ shapes: [[null, 32]], params: r.params });
  });

  it("names its weights as Keras: kernel (in, 4u), recurrent_kernel (u, 4u), bias (4u)", () => {
    const r = apply("LSTM(8)", [tensor([null, 5, 3])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["kernel", [3, 32], true],
      ["recurrent_kernel", [8, 32], true],
      ["bias", [32], true],
    ]);
    expect(r.weights[1]!.initializer).toEqual({ className: "Orthogonal", config: expect.anything() });
  });

  it("has the reference's Keras 2.0 defaults: tanh, hard_sigmoid, unit_forget_bias, implementation 1", () => {
    const { args } = bound("LSTM(8)");
    expect(args).toMatchObject({
      activation: "tanh",
      recurrent_activation: "hard_sigmoid",
      use_bias: true,
      unit_forget_bias: true,
      dropout: 0,
      recurrent_dropout: 0,
      implementation: 1,
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
    });
  });

  it("binds positional arguments in Keras's signature order", () => {
    const { args, ok } = bound('LSTM(8, "relu", "sigmoid", False)');
    expect(ok).toBe(true);
    expect(args).toMatchObject({ activation: "relu", recurrent_activation: "sigmoid", use_bias: false });
  });

  it("has no bias with use_bias=False: 4*(3*8 + 8*8) = 352", () => {
    expect(apply("LSTM(8, use_bias=False)", [tensor([null, 5, 3])]).params).toBe(352);
  });

  it("returns the whole sequence with return_sequences=True: (None, 10, 32)", () => {
    const r = apply("LSTM(32, return_sequences=True)", [tensor([null, 10, 64])]);
    expect(r.outputs).toEqual([tensor([null, 10, 32])]);
    const tf = twin(tfl.layers.lstm({ units: 32, returnSequences: true, ...TFJS_INIT }), [10, 64]);
    expect(tf.shapes).toEqual([[null, 10, 32]]);
  });

  it("returns [output, h, c] with return_state=True, as TF.js", () => {
    const r = apply("LSTM(4, return_state=True)", [tensor([null, 7, 3])]);
    expect(shapes(r.outputs)).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    const both = apply("LSTM(4, return_sequences=True, return_state=True)", [tensor([null, 7, 3])]);
    expect(shapes(both.outputs)).toEqual([
      [null, 7, 4],
      [null, 4],
      [null, 4],
    ]);
    const tf = twin(
      tfl.layers.lstm({ units: 4, returnSequences: true, returnState: true, ...TFJS_INIT }),
      [7, 3],
    );
    expect(tf.shapes).toEqual(shapes(both.outputs));
  });

  it("keeps a symbolic number of timesteps", () => {
    const r = apply("LSTM(4, return_sequences=True)", [tensor([null, "T", 3])]);
    expect(r.outputs).toEqual([tensor([null, "T", 4])]);
  });

  it("go_backwards does not change shapes", () => {
    const r = apply("LSTM(4, go_backwards=True, return_sequences=True)", [tensor([2, 6, 3])]);
    expect(r.outputs).toEqual([tensor([2, 6, 4])]);
  });

  it("consumes a mask: the last output is unmasked; return_sequences keeps it; states never carry it", () => {
    expect(apply("LSTM(4)", [tensor([null, 6, 3], true)]).outputs).toEqual([tensor([null, 4])]);
    expect(
      apply("LSTM(4, return_sequences=True, return_state=True)", [tensor([null, 6, 3], true)]).outputs,
    ).toEqual([tensor([null, 6, 4], true), tensor([null, 4]), tensor([null, 4])]);
    expect(getLayerDef("LSTM")?.supportsMasking).toBe(true);
  });

  it("counts FLOPs per sample: timesteps × (2·in·4u + 2·u·4u + 4u bias + 13u gate ops)", () => {
    const def = getLayerDef("LSTM")!;
    const { args } = bound("LSTM(8)");
    const input = tensor([null, 10, 3]);
    const perStep = 2 * 3 * 32 + 2 * 8 * 32 + 32 + 13 * 8;
    expect(def.flops(args, [input], [tensor([null, 8])])).toBe(10 * perStep);
    expect(def.flops(args, [tensor([null, null, 3])], [tensor([null, 8])])).toBeNull();
    expect(def.flops(args, [tensor([null, "T", 3])], [tensor([null, 8])])).toBeNull();
  });
});

describe("GRU", () => {
  it("maps (None, 5, 4) to (None, 8) with 3*(4*8 + 8*8 + 8) = 312 parameters, as TF.js", () => {
    const r = apply("GRU(8)", [tensor([null, 5, 4])]);
    expect(r.outputs).toEqual([tensor([null, 8])]);
    expect(r.params).toBe(312);
    expect(twin(tfl.layers.gru({ units: 8, ...TFJS_INIT }), [5, 4])).toEqual({
      shapes: [[null, 8]],
      params: 312,
    });
  });

  it("is the reference's GRU: hard_sigmoid, and reset_after=False (Keras 2.1.5+'s default)", () => {
    expect(bound("GRU(8)").args).toMatchObject({
      recurrent_activation: "hard_sigmoid",
      reset_after: false,
      implementation: 1,
    });
  });

  it("with reset_after=True has Keras's separate biases, bias (2, 3u): 3*(4*8 + 8*8) + 2*24 = 336", () => {
    // TF.js refuses reset_after=True ("GRUCell does not support reset_after"); Keras 2's recurrent.py
    // gives the bias the shape (2, 3 * units).
    const r = apply("GRU(8, reset_after=True)", [tensor([null, 5, 4])]);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [4, 24]],
      ["recurrent_kernel", [8, 24]],
      ["bias", [2, 24]],
    ]);
    expect(r.params).toBe(336);
  });

  it("returns [output, h] with return_state=True", () => {
    const r = apply("GRU(8, return_state=True)", [tensor([null, 5, 4])]);
    expect(shapes(r.outputs)).toEqual([
      [null, 8],
      [null, 8],
    ]);
  });

  it("counts FLOPs: timesteps × (2·in·3u + 2·u·3u + 3u bias + 11u gate ops)", () => {
    const def = getLayerDef("GRU")!;
    const perStep = 2 * 4 * 24 + 2 * 8 * 24 + 24 + 11 * 8;
    expect(def.flops(bound("GRU(8)").args, [tensor([null, 5, 4])], [tensor([null, 8])])).toBe(5 * perStep);
    const resetAfter = 2 * 4 * 24 + 2 * 8 * 24 + 48 + 11 * 8;
    expect(
      def.flops(bound("GRU(8, reset_after=True)").args, [tensor([null, 5, 4])], [tensor([null, 8])]),
    ).toBe(5 * resetAfter);
  });
});

describe("SimpleRNN", () => {
  it("maps (None, 5, 3) to (None, 7) with 3*7 + 7*7 + 7 = 77 parameters, as TF.js", () => {
    const r = apply("SimpleRNN(7)", [tensor([null, 5, 3])]);
    expect(r.outputs).toEqual([tensor([null, 7])]);
    expect(r.params).toBe(77);
    expect(twin(tfl.layers.simpleRNN({ units: 7, ...TFJS_INIT }), [5, 3]).params).toBe(77);
  });

  it("returns [sequence, h] with return_sequences and return_state, as TF.js", () => {
    const r = apply("SimpleRNN(7, return_sequences=True, return_state=True)", [tensor([null, 5, 3])]);
    expect(shapes(r.outputs)).toEqual([
      [null, 5, 7],
      [null, 7],
    ]);
    const layer = tfl.layers.simpleRNN({ units: 7, returnSequences: true, returnState: true, ...TFJS_INIT });
    expect(layer.computeOutputShape([null, 5, 3])).toEqual(shapes(r.outputs));
  });

  it("has no recurrent_activation (the reference prints GRU's signature under SimpleRNN by mistake)", () => {
    const r = bound('SimpleRNN(4, recurrent_activation="sigmoid")');
    expect(r.diagnostics.map((d) => d.code)).toEqual(["KML301"]);
  });

  it("accepts the deprecated `implementation` keyword, as Keras 2 does (with a warning there)", () => {
    expect(bound("SimpleRNN(4, implementation=2)").ok).toBe(true);
    // Keyword only: Keras's SimpleRNN signature has no such positional parameter.
    expect(getLayerDef("SimpleRNN")!.schema.positional).not.toContain("implementation");
  });

  it("counts FLOPs: timesteps × (2·in·u + 2·u·u + u bias + 2u)", () => {
    const def = getLayerDef("SimpleRNN")!;
    const perStep = 2 * 3 * 7 + 2 * 7 * 7 + 7 + 2 * 7;
    expect(def.flops(bound("SimpleRNN(7)").args, [tensor([null, 5, 3])], [tensor([null, 7])])).toBe(
      5 * perStep,
    );
  });
});

describe("recurrent arguments", () => {
  it("dropout and recurrent_dropout are fractions in [0, 1]", () => {
    expect(bound("LSTM(4, dropout=0.2, recurrent_dropout=0.5)").ok).toBe(true);
    expect(bound("LSTM(4, dropout=1.5)").diagnostics.map((d) => d.code)).toEqual(["KML306"]);
  });

  it("implementation is 0, 1 or 2", () => {
    expect(bound("GRU(4, implementation=2)").ok).toBe(true);
    expect(bound("GRU(4, implementation=3)").diagnostics.map((d) => d.code)).toEqual(["KML306"]);
  });

  it("input_length goes with input_dim (Keras 2's legacy interface converts them together)", () => {
    const r = bound("LSTM(4, input_length=10)");
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["KML313", "`input_length` of LSTM: `input_length` goes with `input_dim`"],
    ]);
  });

  it("declares (None, input_length, input_dim) as a first layer; input_shape and batch_input_shape too", () => {
    const declared = (text: string) => {
      const def = getLayerDef(readCall(text).layerName)!;
      return def.declaredInputShape?.(bound(text).args);
    };
    expect(declared("LSTM(32, input_dim=64, input_length=10)")).toEqual([null, 10, 64]);
    expect(declared("LSTM(32, input_dim=64)")).toEqual([null, null, 64]);
    expect(declared("LSTM(32, input_shape=(10, 64))")).toEqual([null, 10, 64]);
    expect(declared("LSTM(32, input_shape=(10, 64), batch_size=8)")).toEqual([8, 10, 64]);
    expect(declared("GRU(32, batch_input_shape=(4, 10, 64))")).toEqual([4, 10, 64]);
    expect(declared("SimpleRNN(2)")).toBeUndefined();
  });
});

describe("recurrent shape errors", () => {
  it("needs a 3D input (batch, timesteps, features), with a hint by rank", () => {
    const flat = apply("LSTM(4)", [tensor([null, 16])]);
    expect(flat.outputs).toBeNull();
    expect(flat.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 3D input (batch, timesteps, features)",
        hint: "(batch, features) has no time axis: a recurrent layer feeding another needs return_sequences=True, and RepeatVector repeats a vector over timesteps",
      },
    ]);
    expect(apply("GRU(4)", [tensor([null, 26, 26, 10])]).reports[0]).toMatchObject({
      expected: "a 3D input (batch, timesteps, features)",
      hint: expect.stringContaining("ConvLSTM2D"),
    });
  });

  it("needs known features", () => {
    expect(apply("LSTM(4)", [tensor([null, 10, null])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a known number of features (the last axis), not None",
        hint: "give the input a fixed size on its last axis",
      },
    ]);
  });

  it("stateful=True needs a fixed batch size", () => {
    const r = apply("LSTM(4, stateful=True)", [tensor([null, 10, 3])]);
    expect(r.outputs).toBeNull();
    expect(r.reports[0]).toMatchObject({
      kind: "input",
      expected:
        "a fixed batch size, since it is stateful (stateful=True keeps one state per sample of a batch)",
      hint: expect.stringContaining("batch_input_shape=(32, ...)"),
    });
    const fixed = apply("LSTM(4, stateful=True, return_state=True)", [tensor([32, 10, 3])]);
    expect(shapes(fixed.outputs)).toEqual([
      [32, 4],
      [32, 4],
      [32, 4],
    ]);
  });

  it("unroll=True needs a known number of timesteps other than 1", () => {
    expect(apply("SimpleRNN(4, unroll=True)", [tensor([null, 10, 3])]).outputs).toEqual([tensor([null, 4])]);
    for (const timesteps of [null, "T", 1]) {
      const r = apply("SimpleRNN(4, unroll=True)", [tensor([null, timesteps, 3])], ["T"]);
      expect(r.outputs).toBeNull();
      expect(r.reports[0]).toMatchObject({
        expected: `a known number of timesteps greater than 1, since unroll=True, not ${timesteps ?? "None"}`,
      });
    }
  });
});

describe("initial_state", () => {
  it("takes [h, c] for LSTM and [h] for GRU and SimpleRNN, as inputs after the sequence", () => {
    expect(getLayerDef("LSTM")!.inputArity).toEqual({ min: 1, max: 3 });
    expect(getLayerDef("GRU")!.inputArity).toEqual({ min: 1, max: 2 });
    expect(getLayerDef("SimpleRNN")!.inputArity).toEqual({ min: 1, max: 2 });
    const r = apply("LSTM(8)", [tensor([null, 5, 3]), tensor([null, 8]), tensor([null, 8])]);
    expect(r.outputs).toEqual([tensor([null, 8])]);
    expect(apply("GRU(8)", [tensor([null, 5, 3]), tensor([null, 8])]).outputs).toEqual([tensor([null, 8])]);
  });

  it("reports a missing state at the last one given", () => {
    const r = apply("LSTM(8)", [tensor([null, 5, 3]), tensor([null, 8])]);
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 1,
        expected: "initial_state=[h, c], 2 tensors of shape (batch, 8); it has 1, the last",
        hint: "pass one initial tensor per state of the layer, in the order Keras returns them with return_state=True",
      },
    ]);
  });

  it("reports a state of the wrong size, and one of another batch size", () => {
    const size = apply("LSTM(8)", [tensor([null, 5, 3]), tensor([null, 8]), tensor([null, 4])]);
    expect(size.reports).toEqual([
      { kind: "input", index: 2, expected: "an initial state c of shape (batch, 8)" },
    ]);
    const batch = apply("GRU(8)", [tensor([16, 5, 3]), tensor([4, 8])]);
    expect(batch.reports).toEqual([
      {
        kind: "input",
        index: 1,
        expected: "an initial state h of shape (16, 8)",
        hint: "initial states have the batch size of the input sequence",
      },
    ]);
  });

  it("needs the state's size known, as Keras 2 compares it exactly", () => {
    const r = apply("GRU(8)", [tensor([null, 5, 3]), tensor([null, null])]);
    expect(r.reports[0]).toMatchObject({ index: 1, expected: "an initial state h of shape (batch, 8)" });
  });
});
