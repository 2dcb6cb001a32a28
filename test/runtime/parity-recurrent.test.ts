// Parity of the recurrent layers with TF.js layers on cpu and wasm: SimpleRNN, GRU (both reset_after
// variants), LSTM with return_sequences / return_state / go_backwards / unroll, masked inputs (Masking and
// Embedding(mask_zero)), initial_state, RNN over stacked cells.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { expectParity, indices, sequence } from "./recurrent-helpers.js";

const B = 3;
const T = 5;
const F = 3;
const U = 4;
/** TF.js's default orthogonal initializer fails in Node; the weights are copied anyway. */
const INIT = { recurrentInitializer: "glorotUniform", biasInitializer: "randomNormal" } as const;

type TwinRnn = (o: Record<string, unknown>) => tfl.layers.Layer;
const RNNS: Record<string, TwinRnn> = {
  SimpleRNN: (o) => tfl.layers.simpleRNN({ units: U, ...INIT, ...o }),
  GRU: (o) => tfl.layers.gru({ units: U, ...INIT, ...o }),
  LSTM: (o) => tfl.layers.lstm({ units: U, ...INIT, ...o }),
};

/** A sequential twin: an input of shape `shape` then `layers`. */
function sequential(
  shape: number[],
  layers: () => tfl.layers.Layer[],
  dtype: "float32" | "int32" = "float32",
) {
  return () => {
    const input = tfl.input({ shape, dtype });
    let y: tfl.SymbolicTensor | tfl.SymbolicTensor[] = input;
    for (const layer of layers()) y = layer.apply(y) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
    return tfl.model({ inputs: input, outputs: y });
  };
}

const floatSeq =
  (zeros: readonly (readonly [number, number])[] = []) =>
  () => [tf.tensor(sequence([B, T, F], zeros), [B, T, F])];

interface Case {
  readonly name: string;
  readonly source: string;
  readonly twin: () => tfl.LayersModel;
  readonly inputs: () => tf.Tensor[];
}

const MASKED: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 3],
  [1, 4],
  [2, 0],
];

const CASES: Case[] = [];
for (const layer of ["SimpleRNN", "GRU", "LSTM"]) {
  const twin = RNNS[layer]!;
  const seq = (args: string, o: Record<string, unknown>, name: string) =>
    CASES.push({
      name: `${layer} ${name}`,
      source: `sequential m(input_shape=(${T}, ${F})) { ${layer}(${U}${args}) }`,
      twin: sequential([T, F], () => [twin(o)]),
      inputs: floatSeq(),
    });
  seq("", {}, "last output");
  seq(", return_sequences=True", { returnSequences: true }, "return_sequences");
  seq(
    ", go_backwards=True, return_sequences=True",
    { goBackwards: true, returnSequences: true },
    "go_backwards",
  );
  seq(', activation="relu", use_bias=False', { activation: "relu", useBias: false }, "relu without bias");
  seq(", unroll=True", { unroll: true }, "unroll");
  if (layer !== "SimpleRNN")
    seq(', recurrent_activation="sigmoid"', { recurrentActivation: "sigmoid" }, "sigmoid gates");
  CASES.push({
    name: `${layer} return_state`,
    source: `model m { x = Input(shape=(${T}, ${F}))\n ${layer === "LSTM" ? "y, h, c" : "y, h"} = ${layer}(${U}, return_sequences=True, return_state=True)(x)\n outputs ${layer === "LSTM" ? "y, h, c" : "y, h"} }`,
    twin: () => {
      const x = tfl.input({ shape: [T, F] });
      const out = twin({ returnSequences: true, returnState: true }).apply(x) as tfl.SymbolicTensor[];
      return tfl.model({ inputs: x, outputs: out });
    },
    inputs: floatSeq(),
  });
  CASES.push({
    name: `${layer} masked by Masking`,
    source: `sequential m(input_shape=(${T}, ${F})) { Masking()\n ${layer}(${U}, return_sequences=True) }`,
    twin: sequential([T, F], () => [tfl.layers.masking({ maskValue: 0 }), twin({ returnSequences: true })]),
    inputs: floatSeq(MASKED),
  });
  CASES.push({
    name: `${layer} masked, go_backwards, last output`,
    source: `sequential m(input_shape=(${T}, ${F})) { Masking()\n ${layer}(${U}, go_backwards=True) }`,
    twin: sequential([T, F], () => [tfl.layers.masking({ maskValue: 0 }), twin({ goBackwards: true })]),
    inputs: floatSeq(MASKED),
  });
  CASES.push({
    name: `${layer} masked by Embedding(mask_zero)`,
    source: `model m { x = Input(shape=(${T},), dtype="int32")\n e = Embedding(7, ${F}, mask_zero=True)(x)\n y = ${layer}(${U}, return_sequences=True)(e)\n outputs y }`,
    twin: sequential(
      [T],
      () => [
        tfl.layers.embedding({ inputDim: 7, outputDim: F, maskZero: true }),
        twin({ returnSequences: true }),
      ],
      "int32",
    ),
    inputs: () => [tf.tensor(indices(B, T, 7, MASKED), [B, T], "int32")],
  });
}

CASES.push({
  name: "LSTM initial_state",
  source: `model m { x = Input(shape=(${T}, ${F}))\n h0 = Input(shape=(${U},))\n c0 = Input(shape=(${U},))\n y = LSTM(${U}, return_sequences=True)(x, initial_state=[h0, c0])\n outputs y }`,
  twin: () => {
    const x = tfl.input({ shape: [T, F] });
    const h0 = tfl.input({ shape: [U] });
    const c0 = tfl.input({ shape: [U] });
    const y = RNNS.LSTM!({ returnSequences: true }).apply(x, {
      initialState: [h0, c0],
    }) as tfl.SymbolicTensor;
    return tfl.model({ inputs: [x, h0, c0], outputs: y });
  },
  inputs: () => [
    tf.tensor(sequence([B, T, F]), [B, T, F]),
    tf.tensor(sequence([B, U], [], 11), [B, U]),
    tf.tensor(sequence([B, U], [], 12), [B, U]),
  ],
});
CASES.push({
  name: "RNN over stacked cells with return_state",
  source: `model m { x = Input(shape=(${T}, ${F}))\n seq, h2, c2, h1 = RNN([SimpleRNNCell(3), LSTMCell(${U})], return_sequences=True, return_state=True)(x)\n outputs seq, h2, c2, h1 }`,
  twin: () => {
    const x = tfl.input({ shape: [T, F] });
    const cells = [
      tfl.layers.simpleRNNCell({ units: 3, recurrentInitializer: "glorotUniform" }),
      tfl.layers.lstmCell({ units: U, recurrentInitializer: "glorotUniform" }),
    ];
    const out = tfl.layers.rnn({ cell: cells, returnSequences: true, returnState: true }).apply(x);
    return tfl.model({ inputs: x, outputs: out as tfl.SymbolicTensor[] });
  },
  inputs: floatSeq(),
});

// ConvLSTM2D over (2, 3, 5, 5, 2) image sequences (channels_first: (2, 3, 2, 5, 5)).
for (const [name, args, options, channelsFirst] of [
  ["valid", "", {}, false],
  [
    "same, strides 2, return_sequences",
    ', padding="same", strides=2, return_sequences=True',
    { padding: "same", strides: 2, returnSequences: true },
    false,
  ],
  [
    "dilation 2, go_backwards, return_state",
    ", dilation_rate=2, go_backwards=True, return_state=True",
    { dilationRate: 2, goBackwards: true, returnState: true },
    false,
  ],
  [
    "channels_first, return_sequences",
    ', data_format="channels_first", return_sequences=True',
    { dataFormat: "channelsFirst", returnSequences: true },
    true,
  ],
] as const) {
  const shape = channelsFirst ? [3, 2, 5, 5] : [3, 5, 5, 2];
  const outs = args.includes("return_state") ? "y, h, c" : "y";
  CASES.push({
    name: `ConvLSTM2D ${name}`,
    source: `model m { x = Input(shape=(${shape.join(", ")}))\n ${outs} = ConvLSTM2D(3, 3${args})(x)\n outputs ${outs} }`,
    twin: () => {
      const x = tfl.input({ shape: [...shape] });
      const y = tfl.layers
        .convLstm2d({ filters: 3, kernelSize: 3, ...INIT, ...options } as Parameters<
          typeof tfl.layers.convLstm2d
        >[0])
        .apply(x) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
      return tfl.model({ inputs: x, outputs: y });
    },
    inputs: () => [tf.tensor(sequence([2, ...shape]), [2, ...shape])],
  });
}

describe.each(["cpu", "wasm"] as BackendName[])("recurrent parity on %s", (backend) => {
  // TF.js's wasm Conv2D refuses channelsFirst, so the channels_first twin only runs on cpu.
  const cases = CASES.filter((c) => backend === "cpu" || !c.name.includes("channels_first"));
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    await expectParity(c.source, c.twin, c.inputs, backend);
  });
});
