// Parity of the wrappers with TF.js layers on cpu and wasm: Bidirectional in every merge mode (masked,
// return_sequences, return_state) and TimeDistributed around Dense and around a whole recurrent layer.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { expectParity, sequence } from "./recurrent-helpers.js";

const B = 3;
const T = 5;
const F = 3;
const U = 4;
const INIT = { recurrentInitializer: "glorotUniform", biasInitializer: "randomNormal" } as const;
const MASKED: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 4],
  [2, 0],
];

type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

interface Case {
  readonly name: string;
  readonly source: string;
  readonly twin: () => tfl.LayersModel;
  readonly inputs: () => tf.Tensor[];
}

const floatSeq =
  (shape: number[] = [B, T, F], zeros: readonly (readonly [number, number])[] = []) =>
  () => [tf.tensor(sequence(shape, zeros), shape)];

const CASES: Case[] = [];
const MODES: MergeMode[] = ["concat", "sum", "mul", "ave", null];
for (const mode of MODES) {
  const kmode = mode === null ? "None" : `"${mode}"`;
  for (const [inner, twinLayer] of [
    ["LSTM", (o: object) => tfl.layers.lstm({ units: U, ...INIT, ...o })],
    ["GRU", (o: object) => tfl.layers.gru({ units: U, ...INIT, ...o })],
  ] as const) {
    const outs = mode === null ? "a, b" : "a";
    CASES.push({
      name: `Bidirectional(${inner}) merge_mode=${kmode}, sequences, masked`,
      source: `model m { x = Input(shape=(${T}, ${F}))\n m = Masking()(x)\n ${outs} = Bidirectional(${inner}(${U}, return_sequences=True), merge_mode=${kmode})(m)\n outputs ${outs} }`,
      twin: () => {
        const x = tfl.input({ shape: [T, F] });
        const m = tfl.layers.masking({ maskValue: 0 }).apply(x);
        const y = tfl.layers
          .bidirectional({
            layer: twinLayer({ returnSequences: true }) as tfl.RNN,
            mergeMode: mode as "concat",
          })
          .apply(m) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
        return tfl.model({ inputs: x, outputs: y });
      },
      inputs: floatSeq([B, T, F], MASKED),
    });
  }
  // A sequential model binds one output: merge_mode=None (two) is covered by the functional cases above.
  if (mode === null) continue;
  CASES.push({
    name: `Bidirectional(SimpleRNN) merge_mode=${kmode}, last output`,
    source: `sequential m(input_shape=(${T}, ${F})) { Bidirectional(SimpleRNN(${U}), merge_mode=${kmode}) }`,
    twin: () => {
      const x = tfl.input({ shape: [T, F] });
      const y = tfl.layers
        .bidirectional({
          layer: tfl.layers.simpleRNN({ units: U, ...INIT }) as tfl.RNN,
          mergeMode: mode as "concat",
        })
        .apply(x) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
      return tfl.model({ inputs: x, outputs: y });
    },
    inputs: floatSeq(),
  });
}
CASES.push({
  name: "Bidirectional(LSTM) return_state",
  source: `model m { x = Input(shape=(${T}, ${F}))\n y, fh, fc, bh, bc = Bidirectional(LSTM(${U}, return_state=True))(x)\n outputs y, fh, fc, bh, bc }`,
  twin: () => {
    const x = tfl.input({ shape: [T, F] });
    const out = tfl.layers
      .bidirectional({ layer: tfl.layers.lstm({ units: U, ...INIT, returnState: true }) as tfl.RNN })
      .apply(x) as tfl.SymbolicTensor[];
    return tfl.model({ inputs: x, outputs: out });
  },
  inputs: floatSeq(),
});
CASES.push({
  name: "TimeDistributed(Dense)",
  source: `sequential m(input_shape=(${T}, ${F})) { TimeDistributed(Dense(${U}, activation="tanh")) }`,
  twin: () => {
    const x = tfl.input({ shape: [T, F] });
    const y = tfl.layers
      .timeDistributed({
        layer: tfl.layers.dense({ units: U, activation: "tanh", biasInitializer: "randomNormal" }),
      })
      .apply(x) as tfl.SymbolicTensor;
    return tfl.model({ inputs: x, outputs: y });
  },
  inputs: floatSeq(),
});
CASES.push({
  name: "TimeDistributed(Dense) on 4D steps, then LSTM",
  source: `sequential m(input_shape=(${T}, 2, ${F})) { TimeDistributed(Dense(2))\n TimeDistributed(Flatten())\n LSTM(${U}) }`,
  twin: () => {
    const x = tfl.input({ shape: [T, 2, F] });
    let y = tfl.layers
      .timeDistributed({ layer: tfl.layers.dense({ units: 2, biasInitializer: "randomNormal" }) })
      .apply(x) as tfl.SymbolicTensor;
    y = tfl.layers.timeDistributed({ layer: tfl.layers.flatten() }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.lstm({ units: U, ...INIT }).apply(y) as tfl.SymbolicTensor;
    return tfl.model({ inputs: x, outputs: y });
  },
  inputs: floatSeq([B, T, 2, F]),
});

describe.each(["cpu", "wasm"] as BackendName[])("wrapper parity on %s", (backend) => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    await expectParity(c.source, c.twin, c.inputs, backend);
  });
});
