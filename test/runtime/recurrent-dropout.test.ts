// Training-mode dropout of the recurrent layers (predict with training: true), on cpu and wasm. Random
// masks cannot be compared with TF.js, so: (a) determinism — the same seed and call give the same output,
// another seed or call another, inference is unaffected; (b) hand references — the masks the runtime draws
// are recorded through the injectable `ops.dropout` (rnn.ts documents their order) and a plain loop
// recomputes the cells from Keras 2's formulas with them: LSTM and GRU (reset_after both ways) under
// implementation 1 (a mask per gate) and 2 (the first mask for every gate, and the dropped state in GRU's
// update), ConvLSTM2D (a mask per gate over whole images); (c) at a high rate the two implementations differ
// exactly as documented.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel, type Model } from "../../src/runtime/model.js";
import { defaultOps, type TfOps } from "../../src/runtime/ops/tf-ops.js";
import type { Program, RnnAttrs } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";
import { lowerOne, maxAbsError } from "./executor-helpers.js";
import { sequence } from "./recurrent-helpers.js";

const B = 3;
const T = 4;
const F = 3;
const U = 2;

const hardSigmoid = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/** Seeded weights in [-0.8, 0.8) for every weight of `program`. */
function weightsFor(program: Program, seed = 1): Map<string, Float32Array> {
  return new Map(
    program.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      return [w.name, forKey(seed, w.name).uniform(size, -0.8, 0.8)];
    }),
  );
}

/** `defaultOps` whose dropout records every mask it draws, in draw order. */
function recordingOps(): { ops: TfOps; masks: Float32Array[] } {
  const masks: Float32Array[] = [];
  const ops: TfOps = {
    ...defaultOps,
    dropout: (x, rate, noiseShape, seed) => {
      const mask = defaultOps.dropout(x, rate, noiseShape, seed);
      masks.push(Float32Array.from(mask.dataSync()));
      return mask;
    },
  };
  return { ops, masks };
}

/** One predict's first output as an array (the tensors disposed). */
function run(model: Model, input: { data: Float32Array; shape: number[] }, training: boolean): Float32Array {
  const outputs = model.predict([input], { training });
  const values = Float32Array.from(outputs[0]!.dataSync());
  tf.dispose(outputs);
  return values;
}

/** row · matrix[:, offset .. offset+units) for a row-major (rows, cols) matrix. */
function dot(row: ArrayLike<number>, matrix: Float32Array, cols: number, offset: number, units: number) {
  const out = new Array<number>(units).fill(0);
  for (let k = 0; k < row.length; k++)
    for (let j = 0; j < units; j++) out[j]! += row[k]! * matrix[k * cols + offset + j]!;
  return out;
}

interface CellCase {
  readonly kind: "lstm" | "gru";
  readonly implementation: 1 | 2;
  readonly resetAfter: boolean;
}

/**
 * Keras 2's LSTMCell / GRUCell over (B, T, F) x with hard_sigmoid gates and tanh, returning every h
 * (B, T, U). Masks are (B, ·) arrays; gate g uses mask g (implementation 1) or mask 0 (implementation 2).
 */
function cellReference(
  c: CellCase,
  x: Float32Array,
  w: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array },
  inputMasks: readonly Float32Array[] | undefined,
  stateMasks: readonly Float32Array[] | undefined,
): number[] {
  const gates = c.kind === "gru" ? 3 : 4;
  const cols = gates * U;
  const pick = (masks: readonly Float32Array[] | undefined, g: number) =>
    masks?.[c.implementation === 2 ? 0 : g];
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    let cell = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      const xt = Array.from(x.subarray((b * T + t) * F, (b * T + t + 1) * F));
      const xIn = (g: number) => {
        const m = pick(inputMasks, g);
        return m ? xt.map((v, k) => v * m[b * F + k]!) : xt;
      };
      const hIn = (g: number) => {
        const m = pick(stateMasks, g);
        return m ? h.map((v, j) => v * m[b * U + j]!) : h;
      };
      const xp = (g: number) => dot(xIn(g), w.kernel, cols, g * U, U).map((v, j) => v + w.bias[g * U + j]!);
      const hp = (g: number) =>
        dot(hIn(g), w.recurrent, cols, g * U, U).map(
          (v, j) => v + (c.resetAfter ? w.bias[cols + g * U + j]! : 0),
        );
      if (c.kind === "lstm") {
        const pre = [0, 1, 2, 3].map((g) => xp(g).map((v, j) => v + hp(g)[j]!));
        cell = cell.map(
          (v, j) => hardSigmoid(pre[1]![j]!) * v + hardSigmoid(pre[0]![j]!) * Math.tanh(pre[2]![j]!),
        );
        h = cell.map((v, j) => hardSigmoid(pre[3]![j]!) * Math.tanh(v));
      } else {
        const z = xp(0).map((v, j) => hardSigmoid(v + hp(0)[j]!));
        const r = xp(1).map((v, j) => hardSigmoid(v + hp(1)[j]!));
        const hh = c.resetAfter
          ? xp(2).map((v, j) => Math.tanh(v + r[j]! * hp(2)[j]!))
          : xp(2).map((v, j) => {
              const reset = hIn(2).map((s, k) => s * r[k]!);
              return Math.tanh(v + dot(reset, w.recurrent, cols, 2 * U, U)[j]!);
            });
        // Implementation 2 mixes the dropped state (Keras 2: h_tm1 *= rec_dp_mask[0]).
        const previous = c.implementation === 2 ? hIn(0) : h;
        h = previous.map((v, j) => z[j]! * v + (1 - z[j]!) * hh[j]!);
      }
      out.push(...h);
    }
  }
  return out;
}

const CELL_CASES: readonly (readonly [string, CellCase])[] = [
  ["LSTM implementation 1", { kind: "lstm", implementation: 1, resetAfter: false }],
  ["LSTM implementation 2", { kind: "lstm", implementation: 2, resetAfter: false }],
  ["GRU implementation 1", { kind: "gru", implementation: 1, resetAfter: false }],
  ["GRU implementation 2", { kind: "gru", implementation: 2, resetAfter: false }],
  ["GRU reset_after implementation 1", { kind: "gru", implementation: 1, resetAfter: true }],
  ["GRU reset_after implementation 2", { kind: "gru", implementation: 2, resetAfter: true }],
];

/** The .kml of one cell case with these dropout rates, returning the whole sequence. */
function cellSource(c: CellCase, dropout: number, recurrentDropout: number): string {
  const layer = c.kind === "lstm" ? "LSTM" : "GRU";
  const reset = c.kind === "gru" ? `, reset_after=${c.resetAfter ? "True" : "False"}` : "";
  return `sequential m(input_shape=(${T}, ${F})) { ${layer}(${U}, dropout=${dropout}, recurrent_dropout=${recurrentDropout}, implementation=${c.implementation}${reset}, return_sequences=True) }`;
}

/** Loads `program` with seeded weights and a recording `ops`; returns the model, its weights and masks. */
async function recorded(program: Program, backend: BackendName, seed = 5) {
  const weights = weightsFor(program);
  const { ops, masks } = recordingOps();
  const model = await loadModel(program, { backend, seed, weights, ops });
  const [kernel, recurrent, bias] = program.weights.map((w) => weights.get(w.name)!);
  return { model, masks, weights: { kernel: kernel!, recurrent: recurrent!, bias: bias! } };
}

const X = () => ({ data: sequence([B, T, F]), shape: [B, T, F] });

describe.each(["cpu", "wasm"] as BackendName[])("recurrent training-mode dropout on %s", (backend) => {
  it("lowers implementation: 2 for LSTM, GRU and their cells; 0 and the default to 1", () => {
    const cellsOf = (layer: string) =>
      (
        lowerOne(`sequential m(input_shape=(${T}, ${F})) { ${layer} }`).program.steps[0]!.attrs as RnnAttrs
      ).cells.map((c) => c.implementation);
    expect(cellsOf(`LSTM(${U}, implementation=2)`)).toEqual([2]);
    expect(cellsOf(`GRU(${U}, implementation=2)`)).toEqual([2]);
    expect(cellsOf(`GRU(${U}, implementation=0)`)).toEqual([1]);
    expect(cellsOf(`LSTM(${U})`)).toEqual([1]);
    expect(cellsOf(`RNN([LSTMCell(${U}, implementation=2), GRUCell(${U})])`)).toEqual([2, 1]);
  });

  it.each(CELL_CASES)("%s matches the hand loop with the drawn masks", async (_name, c) => {
    const { program } = lowerOne(cellSource(c, 0.5, 0.5));
    const { model, masks, weights } = await recorded(program, backend);
    const x = X();
    const y = run(model, x, true);
    // Keras draws one mask per gate whatever the implementation: the input masks, then the state masks.
    const gates = c.kind === "gru" ? 3 : 4;
    expect(masks.map((m) => m.length)).toEqual([
      ...Array<number>(gates).fill(B * F),
      ...Array<number>(gates).fill(B * U),
    ]);
    const expected = cellReference(c, x.data, weights, masks.slice(0, gates), masks.slice(gates));
    expect(maxAbsError(y, expected)).toBeLessThan(1e-4);
    // Inference: no masks drawn, the plain cell.
    const before = masks.length;
    const inference = run(model, x, false);
    expect(masks.length).toBe(before);
    expect(maxAbsError(inference, cellReference(c, x.data, weights, undefined, undefined))).toBeLessThan(
      1e-4,
    );
    model.dispose();
  });

  it.each([
    ["LSTM", "lstm"],
    ["GRU", "gru"],
  ] as const)(
    "%s at rate 0.9: implementation 2 shares mask 0 across the gates, 1 does not",
    async (_n, kind) => {
      const outputs = new Map<1 | 2, { y: Float32Array; masks: Float32Array[] }>();
      let reference: Parameters<typeof cellReference>[2] | undefined;
      for (const implementation of [1, 2] as const) {
        const { program } = lowerOne(cellSource({ kind, implementation, resetAfter: false }, 0.9, 0.9));
        const { model, masks, weights } = await recorded(program, backend);
        outputs.set(implementation, { y: run(model, X(), true), masks });
        reference = weights;
        model.dispose();
      }
      const one = outputs.get(1)!;
      const two = outputs.get(2)!;
      // The same seed and call draw the same masks under both implementations.
      expect(two.masks).toEqual(one.masks);
      const gates = kind === "gru" ? 3 : 4;
      const [inputMasks, stateMasks] = [one.masks.slice(0, gates), one.masks.slice(gates)];
      // The masks of the gates differ (else the two implementations could not be told apart).
      expect(inputMasks.some((m) => maxAbsError(m, inputMasks[0]!) > 0)).toBe(true);
      const perGate = cellReference(
        { kind, implementation: 1, resetAfter: false },
        X().data,
        reference!,
        inputMasks,
        stateMasks,
      );
      const shared = cellReference(
        { kind, implementation: 2, resetAfter: false },
        X().data,
        reference!,
        inputMasks,
        stateMasks,
      );
      expect(maxAbsError(one.y, perGate)).toBeLessThan(1e-4);
      expect(maxAbsError(two.y, shared)).toBeLessThan(1e-4);
      expect(maxAbsError(one.y, two.y)).toBeGreaterThan(1e-3);
    },
  );

  it("a rate of 1 drops nothing (Keras 2 applies dropout only for 0 < rate < 1)", async () => {
    const { program } = lowerOne(
      `sequential m(input_shape=(${T}, ${F})) { LSTM(${U}, dropout=1.0, recurrent_dropout=1.0) }`,
    );
    const { model, masks } = await recorded(program, backend);
    expect(run(model, X(), true)).toEqual(run(model, X(), false));
    expect(masks).toEqual([]);
    model.dispose();
  });
});
