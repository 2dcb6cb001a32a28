// Masks at run time: ordinary program values made by Masking and Embedding(mask_zero), passed on by
// masking layers (Keras's default compute_mask), consumed by recurrent layers; Embedding's parity.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, lowerOne } from "./executor-helpers.js";
import { expectParity, indices, sequence } from "./recurrent-helpers.js";

const B = 3;
const T = 4;
const F = 2;

describe("mask plumbing in the lowering", () => {
  it("Masking's mask feeds the LSTM through a TimeDistributed(Dense) and a Dense", () => {
    const { program } = lowerOne(
      `sequential m(input_shape=(${T}, ${F})) { Masking(mask_value=0.5)\n TimeDistributed(Dense(3))\n Dense(3)\n LSTM(2) }`,
    );
    const maskStep = program.steps.find((s) => s.op === "notEqualMask")!;
    expect(maskStep.attrs).toEqual({ value: 0.5, anyLast: true });
    const rnn = program.steps.find((s) => s.op === "rnn")!;
    expect(rnn.inputs[1]).toBe(maskStep.outputs[0]);
    expect(rnn.attrs.masked).toBe(true);
  });

  it("an unmasked recurrent layer has no mask input, and Embedding without mask_zero makes none", () => {
    const { program } = lowerOne(`sequential m(input_shape=(${T},)) { Embedding(5, 2)\n GRU(2) }`);
    expect(program.steps.map((s) => s.op)).toEqual(["gather", "rnn"]);
    expect(program.steps[1]!.inputs).toHaveLength(1);
  });

  it("a recurrent layer with return_sequences passes the mask on; the last output drops it", () => {
    const { program } = lowerOne(
      `sequential m(input_shape=(${T}, ${F})) { Masking()\n LSTM(2, return_sequences=True)\n GRU(2) }`,
    );
    const [first, second] = program.steps.filter((s) => s.op === "rnn");
    expect(second!.inputs[1]).toBe(first!.inputs[1]);
  });
});

describe.each(["cpu", "wasm"] as BackendName[])("masks on %s", (backend) => {
  it("Masking zeroes the masked timesteps (x · any(x != mask_value))", async () => {
    const { program } = lowerOne(`sequential m(input_shape=(${T}, ${F})) { Masking(mask_value=0.5) }`);
    const model = await loadModel(program, { backend });
    const data = sequence([B, T, F]);
    data.fill(0.5, 2, 4); // sample 0, timestep 1: every feature equals mask_value
    data[5] = 0.5; // sample 0, timestep 2: one feature only, kept
    const [y] = model.predict([{ data, shape: [B, T, F] }]);
    const expected = Float32Array.from(data);
    expected.fill(0, 2, 4);
    expectClose(y!, expected);
    y!.dispose();
    model.dispose();
  });

  for (const maskZero of [false, true]) {
    it(`Embedding (mask_zero=${maskZero}) matches TF.js`, async () => {
      await expectParity(
        `model m { x = Input(shape=(${T},), dtype="int32")\n y = Embedding(6, 3, mask_zero=${maskZero ? "True" : "False"})(x)\n outputs y }`,
        () => {
          const x = tfl.input({ shape: [T], dtype: "int32" });
          const y = tfl.layers
            .embedding({ inputDim: 6, outputDim: 3, maskZero })
            .apply(x) as tfl.SymbolicTensor;
          return tfl.model({ inputs: x, outputs: y });
        },
        () => [tf.tensor(indices(B, T, 6, [[0, 1]]), [B, T], "int32")],
        backend,
      );
    });
  }

  it("Embedding's float indices are cast to int32", async () => {
    const { program } = lowerOne(`sequential m(input_shape=(${T},)) { Embedding(6, 3) }`);
    const model = await loadModel(program, { backend });
    const table = model.weights.get(program.weights[0]!.name)!.arraySync() as number[][];
    const [y] = model.predict([
      { data: Float32Array.from([0, 1, 2, 5, 4, 3, 2, 1, 0, 0, 5, 5]), shape: [B, T] },
    ]);
    expectClose(
      y!,
      [0, 1, 2, 5, 4, 3, 2, 1, 0, 0, 5, 5].flatMap((i) => table[i]!),
    );
    y!.dispose();
    model.dispose();
  });
});
