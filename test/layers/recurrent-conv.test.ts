// ConvLSTM2D: output rows/cols from the convolution arithmetic (valid/same, strides, dilation, both data
// formats), the recurrent flags and states, weights and parameter counts (TF.js twins), FLOPs, errors.
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layerParamCounts } from "../../src/compiler/3-infer/params.js";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import type { TensorType } from "../../src/ir/graph.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

const shapes = (outputs: readonly TensorType[] | null) => outputs?.map((t) => t.shape);

function bound(text: string) {
  const call = readCall(text);
  return bindLayerArgs(getLayerDef(call.layerName)!, call);
}

/** The TF.js twin's output shapes and parameter count (orthogonal init fails in Node: glorotUniform). */
function twin(args: Record<string, unknown>, shape: readonly number[]) {
  const layer = tfl.layers.convLstm2d({
    recurrentInitializer: "glorotUniform",
    ...args,
  } as unknown as Parameters<typeof tfl.layers.convLstm2d>[0]);
  const output = layer.apply(tfl.input({ shape: [...shape] })) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
  return {
    shapes: (Array.isArray(output) ? output : [output]).map((t) => t.shape),
    params: layer.countParams(),
  };
}

describe("ConvLSTM2D shapes and parameters (TF.js twins)", () => {
  const cases: {
    kml: string;
    tfjs: Record<string, unknown>;
    input: readonly number[];
    shapes: readonly (readonly (number | null)[])[];
    params: number;
  }[] = [
    // kernel 3*3*2*16 = 288, recurrent 3*3*4*16 = 576, bias 16.
    {
      kml: "ConvLSTM2D(4, 3, return_sequences=True)",
      tfjs: { filters: 4, kernelSize: 3, returnSequences: true },
      input: [6, 8, 8, 2],
      shapes: [[null, 6, 6, 6, 4]],
      params: 880,
    },
    {
      kml: 'ConvLSTM2D(4, 3, strides=2, padding="same")',
      tfjs: { filters: 4, kernelSize: 3, strides: 2, padding: "same" },
      input: [6, 9, 8, 2],
      shapes: [[null, 5, 4, 4]],
      params: 880,
    },
    {
      kml: "ConvLSTM2D(4, 3, dilation_rate=2)",
      tfjs: { filters: 4, kernelSize: 3, dilationRate: 2 },
      input: [6, 9, 8, 2],
      shapes: [[null, 5, 4, 4]],
      params: 880,
    },
    // kernel 3*2*2*16 = 192, recurrent 3*2*4*16 = 384, bias 16.
    {
      kml: 'ConvLSTM2D(4, (3, 2), data_format="channels_first", return_state=True)',
      tfjs: { filters: 4, kernelSize: [3, 2], dataFormat: "channelsFirst", returnState: true },
      input: [6, 2, 9, 8],
      shapes: [
        [null, 4, 7, 7],
        [null, 4, 7, 7],
        [null, 4, 7, 7],
      ],
      params: 592,
    },
    {
      kml: "ConvLSTM2D(4, 3, return_sequences=True, return_state=True)",
      tfjs: { filters: 4, kernelSize: 3, returnSequences: true, returnState: true },
      input: [6, 9, 8, 2],
      shapes: [
        [null, 6, 7, 6, 4],
        [null, 7, 6, 4],
        [null, 7, 6, 4],
      ],
      params: 880,
    },
  ];
  it.each(cases)("$kml on (None, $input)", ({ kml, tfjs, input, shapes: expected, params }) => {
    const r = apply(kml, [tensor([null, ...input])]);
    expect(shapes(r.outputs)).toEqual(expected);
    expect(r.params).toBe(params);
    expect(twin(tfjs, input)).toEqual({ shapes: expected, params });
  });

  it("names its weights as Keras: kernel (kh, kw, channels, 4f), recurrent_kernel (kh, kw, f, 4f), bias (4f)", () => {
    const r = apply("ConvLSTM2D(4, (3, 2), use_bias=False)", [tensor([null, 6, 9, 8, 2])]);
    expect(r.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [3, 2, 2, 16]],
      ["recurrent_kernel", [3, 2, 4, 16]],
    ]);
  });

  it("keeps unknown and symbolic timesteps, and unknown image sizes", () => {
    const r = apply("ConvLSTM2D(4, 3, return_sequences=True)", [tensor([null, "T", null, 8, 2])], ["T"]);
    expect(r.outputs).toEqual([tensor([null, "T", null, 6, 4])]);
    expect(
      apply('ConvLSTM2D(4, 3, padding="same")', [tensor([null, null, "H", 8, 2])], ["H"]).outputs,
    ).toEqual([tensor([null, "H", 8, 4])]);
  });

  it("has the reference's defaults", () => {
    expect(bound("ConvLSTM2D(4, 3)").args).toMatchObject({
      strides: [1, 1],
      padding: "valid",
      data_format: "channels_last",
      dilation_rate: [1, 1],
      activation: "tanh",
      recurrent_activation: "hard_sigmoid",
      unit_forget_bias: true,
      return_sequences: false,
      return_state: false,
    });
  });

  it("masks and states as an RNN: the mask goes on with return_sequences; initial states are images", () => {
    const masked = tensor([null, 6, 8, 8, 2], true);
    expect(apply("ConvLSTM2D(4, 3, return_sequences=True)", [masked]).outputs).toEqual([
      tensor([null, 6, 6, 6, 4], true),
    ]);
    const state = tensor([null, 6, 6, 4]);
    expect(apply("ConvLSTM2D(4, 3)", [tensor([null, 6, 8, 8, 2]), state, state]).outputs).toEqual([
      tensor([null, 6, 6, 4]),
    ]);
    const wrong = apply("ConvLSTM2D(4, 3)", [tensor([null, 6, 8, 8, 2]), state, tensor([null, 6, 6, 3])]);
    expect(wrong.reports).toEqual([
      { kind: "input", index: 2, expected: "an initial state c of shape (batch, 6, 6, 4)" },
    ]);
  });

  it("counts FLOPs: timesteps × positions × (input conv + recurrent conv + bias + 13 gate ops per filter)", () => {
    const def = getLayerDef("ConvLSTM2D")!;
    const { args } = bound("ConvLSTM2D(4, 3, return_sequences=True)");
    const perPosition = 2 * 9 * 2 * 16 + 2 * 9 * 4 * 16 + 16 + 13 * 4;
    expect(def.flops(args, [tensor([null, 6, 8, 8, 2])], [tensor([null, 6, 6, 6, 4])])).toBe(
      6 * 36 * perPosition,
    );
    const last = bound("ConvLSTM2D(4, 3)").args;
    expect(def.flops(last, [tensor([null, 6, 8, 8, 2])], [tensor([null, 6, 6, 4])])).toBe(
      6 * 36 * perPosition,
    );
    expect(def.flops(last, [tensor([null, null, 8, 8, 2])], [tensor([null, 6, 6, 4])])).toBeNull();
  });

  it("runs bidirectionally: concat doubles the filters (channels_last)", () => {
    const r = apply("Bidirectional(ConvLSTM2D(4, 3))", [tensor([null, 6, 8, 8, 2])]);
    expect(r.outputs).toEqual([tensor([null, 6, 6, 8])]);
    expect(r.params).toBe(2 * 880);
  });
});

describe("samples/rnn_conv_lstm.kml (Keras's conv_lstm example)", () => {
  it("keeps (None, None, 40, 40, 40) through four ConvLSTM2D, Conv3D gives one channel; Keras's counts", () => {
    const text = readFileSync(join(import.meta.dirname, "../../samples/rnn_conv_lstm.kml"), "utf8");
    const b = build(text, {}, true);
    expect(b.codes()).toEqual([]);
    const graph = b.graph("conv_lstm_movies");
    const counts = layerParamCounts(graph);
    const rows = graph.nodes.slice(1).map((node) => {
      const layer = graph.layers[node.layer]!;
      const type = graph.values.find((v) => v.id === node.outputs[0])?.type;
      return [layer.type, type?.shape, counts.get(layer.id)?.total];
    });
    const convLstm = (channels: number) => 4 * 40 * (9 * channels + 9 * 40) + 4 * 40;
    const frames = [null, null, 40, 40, 40];
    expect(rows).toEqual([
      ["ConvLSTM2D", frames, convLstm(1)],
      ["BatchNormalization", frames, 4 * 40],
      ["ConvLSTM2D", frames, convLstm(40)],
      ["BatchNormalization", frames, 4 * 40],
      ["ConvLSTM2D", frames, convLstm(40)],
      ["BatchNormalization", frames, 4 * 40],
      ["ConvLSTM2D", frames, convLstm(40)],
      ["BatchNormalization", frames, 4 * 40],
      ["Conv3D", [null, null, 40, 40, 1], 27 * 40 + 1],
    ]);
    expect(convLstm(1)).toBe(59200);
  });
});

describe("ConvLSTM2D errors", () => {
  it("needs a 5D input in the data format's order", () => {
    const r = apply("ConvLSTM2D(4, 3)", [tensor([null, 8, 8, 2])]);
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 5D input (batch, time, rows, cols, channels)",
        hint: "one image per sample has no time axis: give it one, e.g. input_shape=(timesteps, rows, cols, channels)",
      },
    ]);
    expect(
      apply('ConvLSTM2D(4, 3, data_format="channels_first")', [tensor([null, 5, 3])]).reports[0],
    ).toMatchObject({
      expected: "a 5D input (batch, time, channels, rows, cols)",
      hint: "a sequence of vectors takes LSTM, GRU or SimpleRNN",
    });
  });

  it("needs known channels", () => {
    expect(apply("ConvLSTM2D(4, 3)", [tensor([null, 6, 8, 8, null])]).reports[0]).toMatchObject({
      expected: "a known number of channels on axis 4, not None",
    });
  });

  it("reports a kernel larger than the image with padding='valid'", () => {
    expect(apply("ConvLSTM2D(4, (3, 5))", [tensor([null, 6, 8, 4, 2])]).reports).toEqual([
      {
        kind: "argument",
        arg: "kernel_size",
        message: "kernel 5 is larger than the input's cols, 4, with padding='valid'",
        hint: "use a smaller kernel_size (or dilation_rate), padding='same', or larger images",
      },
    ]);
  });

  it("needs a fixed batch size when stateful", () => {
    expect(apply("ConvLSTM2D(4, 3, stateful=True)", [tensor([null, 6, 8, 8, 2])]).reports[0]).toMatchObject({
      expected: expect.stringContaining("a fixed batch size"),
    });
    expect(apply("ConvLSTM2D(4, 3, stateful=True)", [tensor([8, 6, 8, 8, 2])]).outputs).toEqual([
      tensor([8, 6, 6, 4]),
    ]);
  });

  it("KML313: strides and dilation do not mix; unroll is impossible; causal padding is refused", () => {
    const codes = (text: string) => bound(text).diagnostics.map((d) => [d.code, d.message]);
    expect(codes("ConvLSTM2D(4, 3, strides=2, dilation_rate=2)")).toEqual([
      [
        "KML313",
        "`dilation_rate` of ConvLSTM2D: dilation_rate (2, 2) cannot be combined with strides (2, 2): a stride other than 1 excludes a dilation rate other than 1",
      ],
    ]);
    expect(codes("ConvLSTM2D(4, 3, unroll=True)")).toEqual([
      ["KML313", "`unroll` of ConvLSTM2D: unrolling is not possible with convolutional RNNs"],
    ]);
    expect(codes('ConvLSTM2D(4, 3, padding="causal")')[0]![1]).toContain(
      'padding "causal" is only for Conv1D',
    );
  });

  it("KML401 end to end, naming the upstream layer", () => {
    const b = build(
      `sequential m {
  Dense(8, input_shape=(10, 16))
  ConvLSTM2D(4, (3, 3))
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([["KML401", "3:3"]]);
    expect(b.diagnostics[0]!.message).toBe(
      "ConvLSTM2D `conv_lst_m2d_1` expects a 5D input (batch, time, rows, cols, channels); `dense_1` at line 2 produces (None, 10, 8)",
    );
  });
});
