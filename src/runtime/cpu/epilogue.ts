// What tfjs's fused kernels do after the product (tfjs-backend-cpu's fused_utils applyActivation, after its
// bias Add): out + bias, then the activation, in place. Bias and prelu alpha broadcast against out's
// (rows, columns) as tfjs broadcasts them: one value per column ([n], [1, n]), per row ([m, 1]) or per
// element ([m, n]).
import type * as tf from "@tensorflow/tfjs-core";
import { type CpuBackendLike, valuesOf } from "./backend-data.js";

export type FusedActivation = "linear" | "relu" | "relu6" | "elu" | "sigmoid" | "leakyrelu" | "prelu";

/** A broadcast operand: its values and how many rows and columns it has (1 or out's). */
export interface Broadcast {
  readonly values: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** How a tensor of `shape` broadcasts against (m, n), or undefined if it does not (caller falls back). */
export function broadcastOf(
  values: Float32Array,
  shape: readonly number[],
  m: number,
  n: number,
): Broadcast | undefined {
  const dims = [...shape];
  while (dims.length > 2 && dims[0] === 1) dims.shift();
  if (dims.length > 2) return undefined;
  const columns = dims.length === 0 ? 1 : dims[dims.length - 1]!;
  const rows = dims.length === 2 ? dims[0]! : 1;
  if ((rows !== 1 && rows !== m) || (columns !== 1 && columns !== n)) return undefined;
  return { values, rows, columns };
}

const at = (operand: Broadcast, i: number, j: number) =>
  operand.values[(operand.rows === 1 ? 0 : i * operand.columns) + (operand.columns === 1 ? 0 : j)]!;

/** out (m, n) ← activation(out + bias), as tfjs-backend-cpu computes each activation. */
export function applyEpilogue(
  out: Float32Array,
  m: number,
  n: number,
  bias: Broadcast | undefined,
  activation: FusedActivation,
  leakyreluAlpha: number,
  preluAlpha: Broadcast | undefined,
): void {
  if (bias) {
    if (bias.rows === 1 && bias.columns === n) {
      const values = bias.values;
      for (let i = 0, o = 0; i < m; i++) for (let j = 0; j < n; j++, o++) out[o] = out[o]! + values[j]!;
    } else {
      for (let i = 0, o = 0; i < m; i++) for (let j = 0; j < n; j++, o++) out[o] = out[o]! + at(bias, i, j);
    }
  }
  const size = m * n;
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let o = 0; o < size; o++) if (out[o]! < 0) out[o] = 0;
      return;
    case "relu6":
      for (let o = 0; o < size; o++) out[o] = Math.min(Math.max(out[o]!, 0), 6);
      return;
    case "elu":
      for (let o = 0; o < size; o++) if (out[o]! < 0) out[o] = Math.exp(out[o]!) - 1;
      return;
    case "sigmoid":
      for (let o = 0; o < size; o++) out[o] = 1 / (1 + Math.exp(-out[o]!));
      return;
    case "leakyrelu":
      for (let o = 0; o < size; o++) if (out[o]! < 0) out[o] = leakyreluAlpha * out[o]!;
      return;
    case "prelu":
      if (!preluAlpha) throw new Error("prelu without its alpha");
      for (let i = 0, o = 0; i < m; i++)
        for (let j = 0; j < n; j++, o++) if (out[o]! < 0) out[o] = at(preluAlpha, i, j) * out[o]!;
      return;
  }
}

/** What a fused kernel receives for its epilogue, named as tfjs's fused kernels name it. */
export interface FusedEpilogue {
  readonly bias?: tf.TensorInfo | undefined;
  readonly preluActivationWeights?: tf.TensorInfo | undefined;
  readonly activation?: FusedActivation | undefined;
  readonly leakyreluAlpha?: number | undefined;
}

/**
 * A kernel's epilogue on its (m, n) output: the bias and prelu alpha read from the backend and broadcast as
 * tfjs does (a shape that does not broadcast is a kerasc bug: `kernel` names the culprit).
 */
export function applyFusedEpilogue(
  cpu: CpuBackendLike,
  out: Float32Array,
  m: number,
  n: number,
  fused: FusedEpilogue,
  kernel: string,
): void {
  const operand = (t: tf.TensorInfo | undefined) => {
    if (!t) return undefined;
    const broadcast = broadcastOf(valuesOf(cpu, t), t.shape, m, n);
    if (!broadcast)
      throw new Error(`${kernel}: an operand of shape [${t.shape}] does not broadcast to [${m},${n}]`);
    return broadcast;
  };
  applyEpilogue(
    out,
    m,
    n,
    operand(fused.bias),
    fused.activation ?? "linear",
    fused.leakyreluAlpha ?? 0.2,
    operand(fused.preluActivationWeights),
  );
}
