// TimeDistributed and Bidirectional: the wrapped layer's own shape rule, weights and FLOPs reused on the
// slice it sees; shapes and parameter counts from the reference's examples and TF.js twins; merge modes,
// states, masks and the errors they report (the wrapped layer's included).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { layerParamCounts } from "../../src/compiler/3-infer/params.js";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { Graph, TensorType } from "../../src/ir/graph.js";
import { build, outputShape } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

const TFJS_INIT = { recurrentInitializer: "glorotUniform" } as const;
const shapes = (outputs: readonly TensorType[] | null) => outputs?.map((t) => t.shape);
const sample = (name: string) => readFileSync(join(import.meta.dirname, "../../samples", name), "utf8");

function bound(text: string) {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call);
}

/** Output shapes and parameter count of a TF.js layer applied to a symbolic input of `shape` (batch excluded). */
function twin(layer: tfl.layers.Layer, shape: readonly (number | null)[]) {
  const output = layer.apply(tfl.input({ shape: [...shape] })) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
  const outputs = Array.isArray(output) ? output : [output];
  return { shapes: outputs.map((t) => t.shape), params: layer.countParams() };
}

/** Each layer's first output shape and parameter count, in graph order, the implicit Input left out. */
function summary(graph: Graph) {
  const counts = layerParamCounts(graph);
  return graph.nodes.slice(1).map((node) => {
    const layer = graph.layers[node.layer]!;
    const value = graph.values.find((v) => v.id === node.outputs[0]);
    return [layer.name, value?.type?.shape, counts.get(layer.id)?.total] as const;
  });
}

describe("TimeDistributed", () => {
  it("the reference's example: Dense(8) on (None, 10, 16) → (None, 10, 8), then Dense(32) → (None, 10, 32)", () => {
    const b = build(sample("wrappers_time_distributed.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(summary(b.graph("time_distributed_dense"))).toEqual([
      ["time_distributed_1", [null, 10, 8], 16 * 8 + 8],
      ["time_distributed_2", [null, 10, 32], 8 * 32 + 32],
    ]);
    const first = twin(tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 8 }) }), [10, 16]);
    expect(first).toEqual({ shapes: [[null, 10, 8]], params: 136 });
  });

  it("the reference's Conv2D example, channels first: (None, 10, 3, 299, 299) → (None, 10, 64, 297, 297)", () => {
    const b = build(sample("wrappers_time_distributed.kml"), {}, true);
    expect(summary(b.graph("time_distributed_conv"))).toEqual([
      ["time_distributed_1", [null, 10, 64, 297, 297], 3 * 3 * 3 * 64 + 64],
    ]);
    const tf = tfl.layers.timeDistributed({
      layer: tfl.layers.conv2d({ filters: 64, kernelSize: [3, 3], dataFormat: "channelsFirst" }),
    });
    expect(tf.computeOutputShape([null, 10, 3, 299, 299])).toEqual([null, 10, 64, 297, 297]);
    // Channels last, as Keras 2's own docs write it: (10, 299, 299, 3) → (None, 10, 297, 297, 64).
    expect(apply("TimeDistributed(Conv2D(64, (3, 3)))", [tensor([null, 10, 299, 299, 3])]).outputs).toEqual([
      tensor([null, 10, 297, 297, 64]),
    ]);
  });

  it("reports the wrapped convolution's errors per timestep", () => {
    const r = apply("TimeDistributed(Conv2D(64, (3, 3)))", [tensor([null, 10, 299, 299])]);
    expect(r.reports[0]).toMatchObject({
      kind: "input",
      index: 0,
      expected:
        "each timestep to be a 4D input (batch, rows, cols, channels) for its Conv2D (axis 1, time, taken out)",
    });
  });

  it("applies the wrapped layer's shape rule to each timestep: (batch, time, ...) → (batch, time, ...)", () => {
    expect(apply("TimeDistributed(Flatten())", [tensor([null, 5, 4, 3])]).outputs).toEqual([
      tensor([null, 5, 12]),
    ]);
    const lstm = apply("TimeDistributed(LSTM(4))", [tensor([null, 5, 10, 8])]);
    expect(lstm.outputs).toEqual([tensor([null, 5, 4])]);
    expect(lstm.params).toBe(4 * (8 * 4 + 4 * 4 + 4));
    const tf = twin(
      tfl.layers.timeDistributed({ layer: tfl.layers.lstm({ units: 4, ...TFJS_INIT }) }),
      [5, 10, 8],
    );
    expect(tf).toEqual({ shapes: [[null, 5, 4]], params: lstm.params });
  });

  it("keeps the batch and a symbolic number of timesteps", () => {
    expect(apply("TimeDistributed(Dense(3))", [tensor([16, "T", 4])], ["T"]).outputs).toEqual([
      tensor([16, "T", 3]),
    ]);
  });

  it("nests: TimeDistributed(TimeDistributed(Dense(3))) and TimeDistributed(Bidirectional(LSTM(3)))", () => {
    expect(apply("TimeDistributed(TimeDistributed(Dense(3)))", [tensor([null, 2, 5, 4])]).outputs).toEqual([
      tensor([null, 2, 5, 3]),
    ]);
    const bi = apply("TimeDistributed(Bidirectional(LSTM(3)))", [tensor([null, 4, 5, 6])]);
    expect(bi.outputs).toEqual([tensor([null, 4, 6])]);
    expect(bi.params).toBe(2 * 4 * (6 * 3 + 3 * 3 + 3));
  });

  it("has the wrapped layer's weights; trainable=False on the wrapper freezes them", () => {
    const r = apply("TimeDistributed(Dense(8))", [tensor([null, 10, 16])]);
    expect(r.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["kernel", [16, 8], true],
      ["bias", [8], true],
    ]);
    const frozen = apply("TimeDistributed(Dense(8), trainable=False)", [tensor([null, 10, 16])]);
    expect(frozen.weights.every((w) => !w.trainable)).toBe(true);
    const inner = apply("TimeDistributed(Dense(8, trainable=False))", [tensor([null, 10, 16])]);
    expect(inner.weights.every((w) => !w.trainable)).toBe(true);
  });

  it("passes the mask on (Keras 2: supports_masking, mask unchanged)", () => {
    expect(apply("TimeDistributed(Dense(3))", [tensor([null, 6, 4], true)]).outputs).toEqual([
      tensor([null, 6, 3], true),
    ]);
  });

  it("counts the wrapped layer's FLOPs once per timestep", () => {
    const td = getLayerDef("TimeDistributed")!;
    const dense = getLayerDef("Dense")!;
    const { args } = bound("TimeDistributed(Dense(8))");
    const inner = dense.flops(bound("Dense(8)").args, [tensor([null, 16])], [tensor([null, 8])]);
    expect(inner).not.toBeNull();
    expect(td.flops(args, [tensor([null, 10, 16])], [tensor([null, 10, 8])])).toBe(10 * inner!);
    expect(td.flops(args, [tensor([null, null, 16])], [tensor([null, null, 8])])).toBeNull();
  });

  it("needs an input of rank 3 or more", () => {
    const r = apply("TimeDistributed(Dense(3))", [tensor([null, 4])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "an input of rank 3 or more (batch, timesteps, ...)",
        hint: "axis 1 is the time axis the layer is applied along",
      },
    ]);
  });

  it("reports the wrapped layer's shape errors as its own, per timestep", () => {
    const r = apply("TimeDistributed(LSTM(4))", [tensor([null, 5, 8])]);
    expect(r.outputs).toBeNull();
    expect(r.reports[0]).toMatchObject({
      kind: "input",
      index: 0,
      expected:
        "each timestep to be a 3D input (batch, timesteps, features) for its LSTM (axis 1, time, taken out)",
    });
    const reshape = apply("TimeDistributed(Reshape((5,)))", [tensor([null, 3, 4])]);
    expect(reshape.reports).toEqual([
      {
        kind: "argument",
        arg: "layer",
        message: "its Reshape: target_shape (5,) holds 5 values, but the input (None, 4) holds 4 per sample",
        hint: "the product of the target dimensions must equal the input size",
      },
    ]);
  });

  it("applies layers of one output: return_state on the wrapped layer is an error", () => {
    const r = apply("TimeDistributed(LSTM(4, return_state=True))", [tensor([null, 5, 10, 8])]);
    expect(r.outputs).toBeNull();
    expect(r.reports[0]).toMatchObject({
      kind: "argument",
      arg: "layer",
      message: "TimeDistributed applies a layer with one output to each timestep; LSTM here gives 3",
    });
  });

  it("refuses what cannot be applied per timestep: Input, cells, merge layers", () => {
    const codes = (text: string) => bound(text).diagnostics.map((d) => [d.code, d.message]);
    expect(codes("TimeDistributed(Input(shape=(3,)))")).toEqual([
      ["KML313", "`layer` of TimeDistributed: Input is a model input, not a layer to apply"],
    ]);
    expect(codes("TimeDistributed(LSTMCell(3))")).toEqual([
      [
        "KML313",
        "`layer` of TimeDistributed: LSTMCell is a cell: wrap it in RNN first, e.g. RNN(LSTMCell(...))",
      ],
    ]);
    expect(codes("TimeDistributed(Add())")).toEqual([
      [
        "KML313",
        "`layer` of TimeDistributed: TimeDistributed applies a layer of one input to each timestep; Add merges several",
      ],
    ]);
  });

  it("KML401 end to end: names the wrapper, the wrapped layer and the upstream layer", () => {
    const b = build(
      `sequential m {
  Dense(16, input_shape=(10,))
  TimeDistributed(Dense(8))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "TimeDistributed `time_distributed_1` expects an input of rank 3 or more (batch, timesteps, ...); `dense_1` at line 2 produces (None, 16)",
    );
  });
});

describe("Bidirectional", () => {
  it("the reference's example: (None, 5, 20) with 1680 parameters, (None, 20) with 2480, as TF.js", () => {
    const b = build(sample("wrappers_bidirectional.kml"), {}, true);
    expect(b.codes()).toEqual([]);
    expect(summary(b.graph("bidirectional_lstm"))).toEqual([
      ["bidirectional_1", [null, 5, 20], 2 * 4 * (10 * 10 + 10 * 10 + 10)],
      ["bidirectional_2", [null, 20], 2 * 4 * (20 * 10 + 10 * 10 + 10)],
      ["dense_1", [null, 5], 20 * 5 + 5],
      ["activation_1", [null, 5], 0],
    ]);
    const first = tfl.layers.bidirectional({
      layer: tfl.layers.lstm({ units: 10, returnSequences: true, ...TFJS_INIT }) as tfl.RNN,
    });
    expect(twin(first, [5, 10])).toEqual({ shapes: [[null, 5, 20]], params: 1680 });
    const second = tfl.layers.bidirectional({
      layer: tfl.layers.lstm({ units: 10, ...TFJS_INIT }) as tfl.RNN,
    });
    expect(twin(second, [5, 20])).toEqual({ shapes: [[null, 20]], params: 2480 });
    expect(outputShape(b.graph("bidirectional_unmerged"), 1)).toEqual([null, 5, 10]);
  });

  it("merges as merge_mode says: concat doubles the features, sum/mul/ave keep them, None gives both", () => {
    const input = [tensor([null, 5, 3])];
    for (const mode of ["sum", "mul", "ave"] as const) {
      const r = apply(`Bidirectional(GRU(4), merge_mode="${mode}")`, input);
      expect(r.outputs).toEqual([tensor([null, 4])]);
      const tf = tfl.layers.bidirectional({
        layer: tfl.layers.gru({ units: 4, ...TFJS_INIT }) as tfl.RNN,
        mergeMode: mode,
      });
      expect(twin(tf, [5, 3]).shapes).toEqual([[null, 4]]);
    }
    const none = apply("Bidirectional(GRU(4, return_sequences=True), merge_mode=None)", input);
    expect(shapes(none.outputs)).toEqual([
      [null, 5, 4],
      [null, 5, 4],
    ]);
    expect(bound("Bidirectional(GRU(4))").args.merge_mode).toBe("concat");
    expect(bound('Bidirectional(GRU(4), merge_mode="max")').diagnostics.map((d) => d.code)).toEqual([
      "KML307",
    ]);
  });

  it("returns the forward states, then the backward ones, with return_state (as TF.js)", () => {
    const input = [tensor([null, 5, 3])];
    const concat = apply("Bidirectional(LSTM(4, return_state=True))", input);
    expect(shapes(concat.outputs)).toEqual([
      [null, 8],
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    const tf = tfl.layers.bidirectional({
      layer: tfl.layers.lstm({ units: 4, returnState: true, ...TFJS_INIT }) as tfl.RNN,
    });
    expect(tf.computeOutputShape([null, 5, 3])).toEqual(shapes(concat.outputs));
    const none = apply("Bidirectional(GRU(4, return_state=True), merge_mode=None)", input);
    expect(shapes(none.outputs)).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
  });

  it("has both directions' weights, forward_ then backward_", () => {
    const r = apply("Bidirectional(SimpleRNN(2))", [tensor([null, 5, 3])]);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["forward_kernel", [3, 2]],
      ["forward_recurrent_kernel", [2, 2]],
      ["forward_bias", [2]],
      ["backward_kernel", [3, 2]],
      ["backward_recurrent_kernel", [2, 2]],
      ["backward_bias", [2]],
    ]);
    expect(r.params).toBe(2 * (3 * 2 + 2 * 2 + 2));
    expect(apply("Bidirectional(GRU(4, reset_after=True))", [tensor([null, 5, 3])]).params).toBe(
      2 * (3 * (3 * 4 + 4 * 4) + 2 * 12),
    );
  });

  it("wraps any recurrent layer, RNN(cell) and CuDNN layers included", () => {
    expect(apply("Bidirectional(RNN(LSTMCell(3)))", [tensor([null, 5, 2])]).outputs).toEqual([
      tensor([null, 6]),
    ]);
    expect(apply('Bidirectional(CuDNNGRU(3), merge_mode="sum")', [tensor([null, 5, 2])]).params).toBe(
      2 * (3 * (2 * 3 + 3 * 3) + 18),
    );
  });

  it("refuses a layer that is not recurrent", () => {
    expect(bound("Bidirectional(Dense(3))").diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "KML313",
        "`layer` of Bidirectional: Bidirectional wraps a recurrent layer such as LSTM(32), not Dense",
      ],
    ]);
    expect(bound("Bidirectional(LSTMCell(3))").diagnostics[0]?.message).toBe(
      "`layer` of Bidirectional: Bidirectional wraps a recurrent layer such as LSTM(32), not LSTMCell",
    );
  });

  it("masks as Keras 2: a returned sequence keeps the mask (both with merge_mode=None), states never", () => {
    const masked = tensor([null, 5, 3], true);
    expect(apply("Bidirectional(LSTM(4))", [masked]).outputs).toEqual([tensor([null, 8])]);
    expect(
      apply("Bidirectional(LSTM(4, return_sequences=True, return_state=True), merge_mode=None)", [masked])
        .outputs,
    ).toEqual([
      tensor([null, 5, 4], true),
      tensor([null, 5, 4], true),
      tensor([null, 4]),
      tensor([null, 4]),
      tensor([null, 4]),
      tensor([null, 4]),
    ]);
  });

  it("refuses a mask its wrapped layer cannot take (CuDNN)", () => {
    const r = apply("Bidirectional(CuDNNLSTM(4))", [tensor([null, 5, 3], true)]);
    expect(r.outputs).toBeNull();
    expect(r.reports[0]).toMatchObject({
      index: 0,
      expected: "an input without a mask, which its CuDNNLSTM cannot take",
    });
  });

  it("splits initial_state: the forward layer's states, then the backward layer's", () => {
    const x = tensor([null, 5, 3]);
    const h = tensor([null, 4]);
    expect(apply("Bidirectional(LSTM(4))", [x, h, h, h, h]).outputs).toEqual([tensor([null, 8])]);
    const odd = apply("Bidirectional(GRU(4))", [x, h, h, h]);
    expect(odd.reports).toEqual([
      {
        kind: "input",
        index: 3,
        expected:
          "initial_state to hold the forward GRU's states and then the backward one's: an even number of tensors, not 3",
      },
    ]);
    // The backward LSTM's c (input 5 of the wrapper) has the wrong size.
    const backward = apply("Bidirectional(LSTM(4))", [x, h, h, h, tensor([null, 5])]);
    expect(backward.reports).toEqual([
      { kind: "input", index: 4, expected: "an initial state c of shape (batch, 4) for its LSTM" },
    ]);
  });

  it("reports the wrapped layer's errors: a 2D input, a stateful layer without a batch size", () => {
    expect(apply("Bidirectional(LSTM(4))", [tensor([null, 3])]).reports[0]).toMatchObject({
      index: 0,
      expected: "a 3D input (batch, timesteps, features) for its LSTM",
    });
    expect(apply("Bidirectional(LSTM(4, stateful=True))", [tensor([null, 5, 3])]).reports[0]).toMatchObject({
      expected: expect.stringContaining("a fixed batch size"),
    });
  });

  it("counts both directions' FLOPs and the merge (sum: one per output value, ave: two)", () => {
    const def = getLayerDef("Bidirectional")!;
    const lstm = getLayerDef("LSTM")!;
    const input = tensor([null, 5, 3]);
    const one = lstm.flops(bound("LSTM(4)").args, [input], [tensor([null, 4])])!;
    expect(def.flops(bound("Bidirectional(LSTM(4))").args, [input], [tensor([null, 8])])).toBe(2 * one);
    expect(
      def.flops(bound('Bidirectional(LSTM(4), merge_mode="sum")').args, [input], [tensor([null, 4])]),
    ).toBe(2 * one + 4);
    expect(
      def.flops(bound('Bidirectional(LSTM(4), merge_mode="ave")').args, [input], [tensor([null, 4])]),
    ).toBe(2 * one + 8);
  });

  it("KML401 end to end: a non-sequence reaching a Bidirectional LSTM", () => {
    const b = build(
      `sequential m {
  Dense(16, input_shape=(10,))
  Bidirectional(LSTM(4))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "Bidirectional `bidirectional_1` expects a 3D input (batch, timesteps, features) for its LSTM; `dense_1` at line 2 produces (None, 16)",
    );
  });

  it("KML213: merge_mode=None gives two outputs, which a sequential model cannot pass on", () => {
    const b = build(
      `sequential m {
  Bidirectional(LSTM(4), merge_mode=None, input_shape=(5, 3))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML213", "2:3"]]);
  });
});
