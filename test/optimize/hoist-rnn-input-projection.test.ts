// hoist-rnn-input-projection: structure (a matMul step precedes each rnn, which reads its product and no
// kernel) and numeric equality with the unoptimized program for every cell kind and loop option.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { OpProgram } from "../../src/compiler/6-optimize/op-program.js";
import { hoistRnnInputProjection } from "../../src/compiler/6-optimize/passes/hoist-rnn-input-projection.js";
import { loadPlan } from "../../src/runtime/load-plan.js";
import { randomInputs } from "../runtime/executor-helpers.js";
import { expectSameOutputs, opProgramOf, runPass, testPlan } from "./pass-harness.js";

const T = 5;
const F = 4;

/** A model over x (batch, T, F) whose output is `body` applied to x. */
const over = (body: string, input = `Input(shape=(${T}, ${F}))`) =>
  `model m {\n x = ${input}\n ${body}\n outputs y\n}`;

/** Checks the rewrite of every rnn step and returns the rewritten program. */
function expectHoisted(program: OpProgram): OpProgram {
  const { program: after, changes } = runPass(hoistRnnInputProjection, program);
  const before = program.steps.filter((s) => s.op === "rnn");
  expect(before.length).toBeGreaterThan(0);
  expect(changes).toHaveLength(before.length);
  const rnns = after.steps.map((s, i) => [s, i] as const).filter(([s]) => s.op === "rnn");
  rnns.forEach(([rnn, index], k) => {
    const original = before[k]!;
    const matMul = after.steps[index - 1]!;
    expect(matMul.op).toBe("matMul");
    expect(matMul.inputs).toEqual([original.inputs[0]]);
    expect(matMul.weights).toEqual([original.weights[0]]);
    expect(matMul.attrs).toEqual({ activation: "linear" });
    expect(rnn.inputs).toEqual([matMul.outputs[0], ...original.inputs.slice(1)]);
    expect(rnn.weights).toEqual(original.weights.slice(1));
    expect(rnn.weights).not.toContain(original.weights[0]);
    expect(rnn.attrs.projected).toBe(true);
  });
  // Idempotent: a projected rnn is left alone.
  expect(runPass(hoistRnnInputProjection, after).changes).toEqual([]);
  return after;
}

const CASES: { name: string; source: string }[] = [
  { name: "LSTM", source: over("y = LSTM(6)(x)") },
  {
    name: "LSTM with sigmoid gates, sequences",
    source: over(`y = LSTM(6, recurrent_activation="sigmoid", return_sequences=True)(x)`),
  },
  { name: "LSTM without bias", source: over("y = LSTM(3, use_bias=False)(x)") },
  { name: "GRU (reset_after=False)", source: over("y = GRU(5, return_sequences=True)(x)") },
  {
    name: "GRU (reset_after=True)",
    source: over(`y = GRU(5, reset_after=True, recurrent_activation="sigmoid")(x)`),
  },
  { name: "SimpleRNN", source: over("y = SimpleRNN(7, return_sequences=True)(x)") },
  { name: "CuDNNLSTM (double bias)", source: over("y = CuDNNLSTM(4)(x)") },
  {
    name: "masked (Embedding mask_zero), LSTM and GRU",
    source: over(
      `e = Embedding(7, ${F}, mask_zero=True)(x)\n a = LSTM(3, return_sequences=True)(e)\n y = GRU(2)(a)`,
      `Input(shape=(${T},), dtype="int32")`,
    ),
  },
  { name: "go_backwards", source: over("y = LSTM(4, go_backwards=True, return_sequences=True)(x)") },
  {
    name: "return_state",
    source: `model m {\n x = Input(shape=(${T}, ${F}))\n last, h, c = LSTM(4, return_state=True)(x)\n outputs last, h, c\n}`,
  },
  { name: "bidirectional", source: over(`y = Bidirectional(LSTM(3, return_sequences=True))(x)`) },
  {
    name: "stacked cells",
    source: over("y = RNN([LSTMCell(4), GRUCell(3), SimpleRNNCell(2)], return_sequences=True)(x)"),
  },
  {
    name: "initial_state",
    source: `model m {\n x = Input(shape=(${T}, ${F}))\n h = Input(shape=(3,))\n c = Input(shape=(3,))\n y = LSTM(3)(x, initial_state=[h, c])\n outputs y\n}`,
  },
  { name: "batch 1 and an LSTM of 1 unit", source: over("y = LSTM(1, return_sequences=True)(x)") },
];

describe("hoist-rnn-input-projection", () => {
  for (const { name, source } of CASES) {
    it(`${name}: a matMul precedes the rnn, same outputs`, async () => {
      const program = opProgramOf(source);
      await expectSameOutputs(program, expectHoisted(program));
    });
  }

  it("leaves programs without rnn steps unchanged", () => {
    const program = opProgramOf("model m {\n x = Input(shape=(3,))\n y = Dense(2)(x)\n outputs y\n}");
    const { program: after, changes } = runPass(hoistRnnInputProjection, program);
    expect(changes).toEqual([]);
    expect(after).toBe(program);
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`stateful: the held states carry over two predicts alike (${backend})`, async () => {
      const program = opProgramOf(
        `model m {\n x = Input(batch_shape=(2, ${T}, ${F}))\n y = LSTM(4, stateful=True, return_sequences=True)(x)\n outputs y\n}`,
      );
      const after = expectHoisted(program);
      const inputs = randomInputs(testPlan(program), 3);
      const twice = async (p: OpProgram) => {
        const model = await loadPlan(testPlan(p), { backend, seed: 5 });
        try {
          return [0, 1].map(() => {
            const outputs = model.predict(inputs);
            const values = Float32Array.from(outputs[0]!.dataSync());
            tf.dispose(outputs);
            return values;
          });
        } finally {
          model.dispose();
        }
      };
      const [expected, actual] = [await twice(program), await twice(after)];
      expect(expected[0]).not.toEqual(expected[1]);
      for (const run of [0, 1]) {
        const worst = Math.max(...expected[run]!.map((v, i) => Math.abs(v - actual[run]![i]!)));
        expect(worst).toBeLessThan(1e-5);
      }
    });
  }
});
