// The `batchDot` op: Keras's Dot layer (K.batch_dot), per sample a contraction of a along one axis with b
// along one axis, optionally after L2-normalising each input along its axis (cosine proximity).
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  BatchMatMul,
  Maximum,
  Multiply,
  Reshape,
  Rsqrt,
  Square,
  Sum,
  Transpose,
} from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** Keras's l2_normalize (tf.nn.l2_normalize): x / sqrt(max(sum(x², axes), 1e-12)); null axes: all. */
export function l2Normalize(x: Tensor, axes: readonly number[] | null, ops: TfOps): Tensor {
  const sum = ops.sum(ops.square(x), axes === null ? undefined : [...axes], true);
  return ops.mul(x, ops.rsqrt(ops.maximum(sum, 1e-12)));
}

/** The kernels `l2Normalize` runs. */
export const L2_NORMALIZE_KERNELS = [Square, Sum, Maximum, Rsqrt, Multiply];

/** `x` transposed to `perm`, or `x` itself when `perm` keeps every axis in place. */
function permuted(x: Tensor, perm: readonly number[], ops: TfOps): Tensor {
  return perm.every((axis, i) => axis === i) ? x : ops.transpose(x, [...perm]);
}

/** The `batchDot` op. */
export const dotOps: OpGroup<"batchDot"> = {
  batchDot: {
    inputs: exactly(2),
    weights: NO_WEIGHTS,
    kernels: (attrs) => [Transpose, Reshape, BatchMatMul, ...(attrs.normalize ? L2_NORMALIZE_KERNELS : [])],
    run([a, b], attrs, _weights, ops) {
      const [axisA, axisB] = attrs.axes;
      const x = attrs.normalize ? l2Normalize(a!, [axisA!], ops) : a!;
      const y = attrs.normalize ? l2Normalize(b!, [axisB!], ops) : b!;
      // a → (batch, rest of a, k), b → (batch, k, rest of b): one batched matrix product.
      const restA = [...x.shape.keys()].filter((i) => i !== 0 && i !== axisA);
      const restB = [...y.shape.keys()].filter((i) => i !== 0 && i !== axisB);
      const batch = x.shape[0]!;
      const k = x.shape[axisA!]!;
      const dimsA = restA.map((i) => x.shape[i]!);
      const dimsB = restB.map((i) => y.shape[i]!);
      const size = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
      const left = ops.reshape(permuted(x, [0, ...restA, axisA!], ops), [batch, size(dimsA), k]);
      const right = ops.reshape(permuted(y, [0, axisB!, ...restB], ops), [batch, k, size(dimsB)]);
      const inner = [...dimsA, ...dimsB];
      // Keras gives (batch, 1) when nothing but the batch is left.
      return [ops.reshape(ops.matMul(left, right), [batch, ...(inner.length === 0 ? [1] : inner)])];
    },
  },
};
