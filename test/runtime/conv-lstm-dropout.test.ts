// ConvLSTM2D's dropout / recurrent_dropout in training mode (predict with training: true), on cpu and wasm:
// identities at inference; seeded masks (the same seed and call give the same output, another seed or
// call another); and a hand loop of Keras 2's ConvLSTM2DCell.call with the masks the runtime drew
// (recorded through the injectable `ops.dropout`): four input masks over whole images, then four over h,
// each gate convolving its own masked input, the same masks at every timestep.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel, type Model } from "../../src/runtime/model.js";
import { defaultOps, type TfOps } from "../../src/runtime/ops/tf-ops.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey } from "../../src/runtime/random.js";
import { lowerOne, maxAbsError } from "./executor-helpers.js";
import { sequence } from "./recurrent-helpers.js";

const B = 2;
const T = 3;
const ROWS = 4;
const COLS = 4;
const CH = 2;
const FILTERS = 2;
const K = 3;
/** Valid padding, stride 1: the output images' size. */
const OUT = ROWS - K + 1;

const hardSigmoid = (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5));

const source = (rates: string) =>
  `sequential m(input_shape=(${T}, ${ROWS}, ${COLS}, ${CH})) { ConvLSTM2D(${FILTERS}, ${K}${rates}, return_sequences=True) }`;

function weightsFor(program: Program, seed = 1): Map<string, Float32Array> {
  return new Map(
    program.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      return [w.name, forKey(seed, w.name).uniform(size, -0.6, 0.6)];
    }),
  );
}

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

const X = () => ({ data: sequence([B, T, ROWS, COLS, CH]), shape: [B, T, ROWS, COLS, CH] });

function run(model: Model, training: boolean): Float32Array {
  const outputs = model.predict([X()], { training });
  const values = Float32Array.from(outputs[0]!.dataSync());
  tf.dispose(outputs);
  return values;
}

/**
 * A stride-1 2D convolution of one channels-last (rows, cols, depth) image with filters
 * [offset, offset + count) of a (K, K, depth, cols) kernel; "same" pads (K − 1) / 2 on each side.
 */
function conv(
  image: readonly number[],
  rows: number,
  cols: number,
  depth: number,
  kernel: Float32Array,
  kernelCols: number,
  offset: number,
  count: number,
  same: boolean,
): number[] {
  const pad = same ? (K - 1) / 2 : 0;
  const outRows = same ? rows : rows - K + 1;
  const outCols = same ? cols : cols - K + 1;
  const out = new Array<number>(outRows * outCols * count).fill(0);
  for (let r = 0; r < outRows; r++)
    for (let c = 0; c < outCols; c++)
      for (let i = 0; i < K; i++)
        for (let j = 0; j < K; j++) {
          const rr = r + i - pad;
          const cc = c + j - pad;
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
          for (let d = 0; d < depth; d++) {
            const v = image[(rr * cols + cc) * depth + d]!;
            for (let o = 0; o < count; o++)
              out[(r * outCols + c) * count + o]! +=
                v * kernel[((i * K + j) * depth + d) * kernelCols + offset + o]!;
          }
        }
  return out;
}

/** Keras 2's ConvLSTM2DCell over the sequence with the given masks (per gate, (B, ...) arrays): every h. */
function reference(
  x: Float32Array,
  kernel: Float32Array,
  recurrent: Float32Array,
  bias: Float32Array,
  inputMasks: readonly Float32Array[] | undefined,
  stateMasks: readonly Float32Array[] | undefined,
): number[] {
  const gates = 4 * FILTERS;
  const frame = ROWS * COLS * CH;
  const state = OUT * OUT * FILTERS;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(state).fill(0);
    let c = new Array<number>(state).fill(0);
    for (let t = 0; t < T; t++) {
      const xt = Array.from(x.subarray((b * T + t) * frame, (b * T + t + 1) * frame));
      const pre = [0, 1, 2, 3].map((g) => {
        const m = inputMasks?.[g];
        const input = m ? xt.map((v, k) => v * m[b * frame + k]!) : xt;
        const r = stateMasks?.[g];
        const hIn = r ? h.map((v, k) => v * r[b * state + k]!) : h;
        const xg = conv(input, ROWS, COLS, CH, kernel, gates, g * FILTERS, FILTERS, false);
        const hg = conv(hIn, OUT, OUT, FILTERS, recurrent, gates, g * FILTERS, FILTERS, true);
        return xg.map((v, k) => v + hg[k]! + bias[g * FILTERS + (k % FILTERS)]!);
      });
      c = c.map((v, k) => hardSigmoid(pre[1]![k]!) * v + hardSigmoid(pre[0]![k]!) * Math.tanh(pre[2]![k]!));
      h = c.map((v, k) => hardSigmoid(pre[3]![k]!) * Math.tanh(v));
      out.push(...h);
    }
  }
  return out;
}

describe.each(["cpu", "wasm"] as BackendName[])("ConvLSTM2D training-mode dropout on %s", (backend) => {
  it("matches Keras 2's cell step by step with the drawn masks; inference drops nothing", async () => {
    const { program } = lowerOne(source(", dropout=0.4, recurrent_dropout=0.3"));
    const weights = weightsFor(program);
    const { ops, masks } = recordingOps();
    const model = await loadModel(program, { backend, seed: 9, weights, ops });
    const [kernel, recurrent, bias] = program.weights.map((w) => weights.get(w.name)!);
    const y = run(model, true);
    // Four input masks over whole images, then four over h.
    expect(masks.map((m) => m.length)).toEqual([
      ...Array<number>(4).fill(B * ROWS * COLS * CH),
      ...Array<number>(4).fill(B * OUT * OUT * FILTERS),
    ]);
    const x = X().data;
    const expected = reference(x, kernel!, recurrent!, bias!, masks.slice(0, 4), masks.slice(4));
    expect(maxAbsError(y, expected)).toBeLessThan(1e-4);
    // The masks do act, per gate.
    const plain = reference(x, kernel!, recurrent!, bias!, undefined, undefined);
    expect(maxAbsError(y, plain)).toBeGreaterThan(1e-3);
    expect(maxAbsError(masks[0]!, masks[1]!)).toBeGreaterThan(0);
    const drawn = masks.length;
    expect(maxAbsError(run(model, false), plain)).toBeLessThan(1e-4);
    expect(masks.length).toBe(drawn);
    model.dispose();
  });

  it("only dropout, or only recurrent_dropout, draws that side's masks", async () => {
    for (const [rates, count, inputSide] of [
      [", dropout=0.5", 4, true],
      [", recurrent_dropout=0.5", 4, false],
    ] as const) {
      const { program } = lowerOne(source(rates));
      const weights = weightsFor(program);
      const { ops, masks } = recordingOps();
      const model = await loadModel(program, { backend, seed: 9, weights, ops });
      const [kernel, recurrent, bias] = program.weights.map((w) => weights.get(w.name)!);
      const y = run(model, true);
      expect(masks).toHaveLength(count);
      const expected = inputSide
        ? reference(X().data, kernel!, recurrent!, bias!, masks, undefined)
        : reference(X().data, kernel!, recurrent!, bias!, undefined, masks);
      expect(maxAbsError(y, expected)).toBeLessThan(1e-4);
      model.dispose();
    }
  });

  it("is seeded: the same seed and call repeat, another seed or call differs", async () => {
    const { program } = lowerOne(source(", dropout=0.5, recurrent_dropout=0.5"));
    const weights = weightsFor(program);
    const load = (seed: number) => loadModel(program, { backend, seed, weights });
    const [a, b, other] = [await load(3), await load(3), await load(4)];
    const first = run(a, true);
    expect(run(b, true)).toEqual(first);
    expect(maxAbsError(run(other, true), first)).toBeGreaterThan(1e-4);
    // The next call of the same model draws new masks.
    expect(maxAbsError(run(a, true), first)).toBeGreaterThan(1e-4);
    // Inference is the layer without dropout.
    const { program: plainProgram } = lowerOne(source(""));
    const plain = await loadModel(plainProgram, { backend, weights });
    expect(maxAbsError(run(a, false), run(plain, false))).toBeLessThan(1e-6);
    for (const model of [a, b, other, plain]) model.dispose();
  });
});
