// Recurrent behaviour beyond TF.js parity: stateful layers (two predicts continue the state, resetStates
// restores the first result), no leaks over 50 predicts (the held state is constant in count), and hand
// references for what TF.js lacks (GRU reset_after, CuDNNGRU, CuDNNLSTM): plain loops over arrays.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectClose, lowerOne, randomInputs } from "./executor-helpers.js";
import { sequence } from "./recurrent-helpers.js";

const B = 2;
const T = 4;
const F = 3;
const U = 3;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const hardSigmoid = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/** A deterministic weight of `size` values in [-0.5, 0.5). */
const values = (size: number, salt: number) =>
  Float32Array.from({ length: size }, (_, i) => (((i * 7919 + salt * 104729) % 1000) / 1000 - 0.5) * 1);

/** row · matrix[:, offset .. offset+units) for a row-major (rows, cols) matrix. */
function dot(
  row: ArrayLike<number>,
  matrix: Float32Array,
  cols: number,
  offset: number,
  units: number,
): number[] {
  const out = new Array<number>(units).fill(0);
  for (let k = 0; k < row.length; k++)
    for (let j = 0; j < units; j++) out[j]! += row[k]! * matrix[k * cols + offset + j]!;
  return out;
}

/**
 * The GRU with reset_after (CuDNN's formula) or the LSTM with separate input and recurrent biases,
 * gates through `gate`, tanh elsewhere, over (B, T, F) x; returns the last h, (B, U).
 */
function reference(
  kind: "gru" | "lstm",
  x: Float32Array,
  kernel: Float32Array,
  recurrent: Float32Array,
  bias: Float32Array,
  gate: (v: number) => number,
): number[] {
  const gates = kind === "gru" ? 3 : 4;
  const cols = gates * U;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    let c = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      const xt = x.subarray((b * T + t) * F, (b * T + t + 1) * F);
      const xp = (g: number) => dot(xt, kernel, cols, g * U, U).map((v, j) => v + bias[g * U + j]!);
      const hp = (g: number) => dot(h, recurrent, cols, g * U, U).map((v, j) => v + bias[cols + g * U + j]!);
      if (kind === "gru") {
        const z = xp(0).map((v, j) => gate(v + hp(0)[j]!));
        const r = xp(1).map((v, j) => gate(v + hp(1)[j]!));
        const hh = xp(2).map((v, j) => Math.tanh(v + r[j]! * hp(2)[j]!));
        h = h.map((v, j) => z[j]! * v + (1 - z[j]!) * hh[j]!);
      } else {
        const pre = [0, 1, 2, 3].map((g) => xp(g).map((v, j) => v + hp(g)[j]!));
        c = c.map((v, j) => gate(pre[1]![j]!) * v + gate(pre[0]![j]!) * Math.tanh(pre[2]![j]!));
        h = c.map((v, j) => gate(pre[3]![j]!) * Math.tanh(v));
      }
    }
    out.push(...h);
  }
  return out;
}

const HAND_CASES = [
  ["CuDNNGRU", `CuDNNGRU(${U})`, "gru", sigmoid],
  ["CuDNNLSTM", `CuDNNLSTM(${U})`, "lstm", sigmoid],
  ["GRU reset_after (hard_sigmoid gates)", `GRU(${U}, reset_after=True)`, "gru", hardSigmoid],
] as const;

/** The largest absolute difference between two tensors. */
function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  const x = Array.from(a.dataSync());
  const y = b.dataSync();
  return x.reduce((worst, v, i) => Math.max(worst, Math.abs(v - y[i]!)), 0);
}

describe.each(["cpu", "wasm"] as BackendName[])("recurrent state and references on %s", (backend) => {
  it.each(HAND_CASES)("%s matches the hand reference", async (_name, layer, kind, gate) => {
    const { program } = lowerOne(`sequential m(input_shape=(${T}, ${F})) { ${layer} }`);
    const gates = kind === "gru" ? 3 : 4;
    const kernel = values(F * gates * U, 1);
    const recurrent = values(U * gates * U, 2);
    const bias = values(2 * gates * U, 3);
    const [k, r, b] = program.weights;
    const model = await loadModel(program, {
      backend,
      weights: new Map([
        [k!.name, kernel],
        [r!.name, recurrent],
        [b!.name, bias],
      ]),
    });
    const x = sequence([B, T, F]);
    const [y] = model.predict([{ data: x, shape: [B, T, F] }]);
    expectClose(y!, reference(kind, x, kernel, recurrent, bias, gate));
    y!.dispose();
    model.dispose();
  });

  it("stateful: a second predict continues the state; resetStates restores the first result", async () => {
    const { program } = lowerOne(
      `model m { x = Input(batch_shape=(${B}, ${T}, ${F}))\n y = LSTM(${U}, stateful=True)(x)\n outputs y }`,
    );
    const model = await loadModel(program, { backend, seed: 3 });
    const input = [{ data: sequence([B, T, F]), shape: [B, T, F] }];
    const [first] = model.predict(input);
    const [second] = model.predict(input);
    // The same input from the carried state: a different result, equal to running the doubled sequence.
    expect(Math.max(...Array.from(tf.abs(tf.sub(first!, second!)).dataSync()))).toBeGreaterThan(1e-4);
    const { program: twice } = lowerOne(`sequential m(input_shape=(${2 * T}, ${F})) { LSTM(${U}) }`);
    const long = await loadModel(twice, {
      backend,
      weights: new Map([...model.weights].map(([n, t]) => [n, t.dataSync() as Float32Array])),
    });
    const x = sequence([B, T, F]);
    const doubled = new Float32Array(B * 2 * T * F);
    for (let b = 0; b < B; b++) {
      const sample = x.subarray(b * T * F, (b + 1) * T * F);
      doubled.set(sample, b * 2 * T * F);
      doubled.set(sample, b * 2 * T * F + T * F);
    }
    const [expected] = long.predict([{ data: doubled, shape: [B, 2 * T, F] }]);
    expectClose(second!, expected!);
    model.resetStates();
    const [again] = model.predict(input);
    expectClose(again!, first!);
    tf.dispose([first!, second!, again!, expected!]);
    long.dispose();
    model.dispose();
  });

  it("dropout / recurrent_dropout: identities at inference, seeded in training", async () => {
    const source = (extra: string) =>
      lowerOne(`sequential m(input_shape=(${T}, ${F})) { LSTM(${U}${extra}) }`).program;
    const plain = await loadModel(source(""), { backend, seed: 5 });
    const dropped = await loadModel(source(", dropout=0.5, recurrent_dropout=0.5"), { backend, seed: 5 });
    const again = await loadModel(source(", dropout=0.5, recurrent_dropout=0.5"), { backend, seed: 5 });
    const input = [{ data: sequence([B, T, F]), shape: [B, T, F] }];
    const [reference] = plain.predict(input);
    const [inference] = dropped.predict(input);
    expectClose(inference!, reference!);
    const [training] = dropped.predict(input, { training: true });
    // The same call count as `dropped` (the seeds of a call's draws depend on it).
    tf.dispose(again.predict(input));
    const [training2] = again.predict(input, { training: true });
    // The same seed and call: the same masks; and they do change the result.
    expectClose(training2!, training!);
    expect(maxDifference(training!, reference!)).toBeGreaterThan(1e-4);
    tf.dispose([reference!, inference!, training!, training2!]);
    for (const model of [plain, dropped, again]) model.dispose();
  });

  it("dropout keeps one mask per sample for every timestep (Keras's _generate_dropout_mask)", async () => {
    // Linear SimpleRNN, one feature, zero recurrent kernel: h_t = x_t · m · W with m ∈ {0, 2} per sample.
    const { program } = lowerOne(
      `sequential m(input_shape=(${T}, 1)) { SimpleRNN(1, activation="linear", use_bias=False, dropout=0.5, return_sequences=True) }`,
    );
    const [kernel, recurrent] = program.weights;
    const model = await loadModel(program, {
      backend,
      weights: new Map([
        [kernel!.name, Float32Array.from([1.5])],
        [recurrent!.name, Float32Array.from([0])],
      ]),
    });
    const x = Float32Array.from({ length: 8 * T }, (_, i) => 0.5 + (i % 5) * 0.25);
    const [y] = model.predict([{ data: x, shape: [8, T, 1] }], { training: true });
    const values = y!.dataSync();
    const ratios = Array.from(values, (v, i) => v / (x[i]! * 1.5));
    for (let b = 0; b < 8; b++) {
      const sample = ratios.slice(b * T, (b + 1) * T);
      expect([0, 2].some((m) => sample.every((r) => Math.abs(r - m) < 1e-5))).toBe(true);
    }
    y!.dispose();
    model.dispose();
  });

  it("no leaks over 50 predicts, stateful models included (the held state is constant in count)", async () => {
    for (const source of [
      `model m { x = Input(batch_shape=(${B}, ${T}, ${F}))\n y = GRU(${U}, stateful=True, return_sequences=True)(x)\n z = LSTM(${U}, stateful=True)(y)\n outputs z }`,
      `model m { x = Input(batch_shape=(${B}, ${T}, 4, 4, 1))\n y, h, c = ConvLSTM2D(2, 3, stateful=True, return_state=True)(x)\n outputs y, h, c }`,
      `model m { x = Input(shape=(${T},), dtype="int32")\n e = Embedding(5, ${F}, mask_zero=True)(x)\n y, fh, fc, bh, bc = Bidirectional(LSTM(${U}, return_sequences=True, return_state=True))(e)\n outputs y, fh, fc, bh, bc }`,
    ]) {
      const { program } = lowerOne(source);
      // Loading selects (and starts) the backend before anything is counted.
      (await loadModel(program, { backend })).dispose();
      const start = tf.memory().numTensors;
      const model = await loadModel(program, { backend });
      const inputs = randomInputs(program); // int32 ones: indices below the Embedding's input_dim
      tf.dispose(model.predict(inputs));
      const steady = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) tf.dispose(model.predict(inputs));
      expect(tf.memory().numTensors).toBe(steady);
      model.resetStates();
      model.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});
