// The normalization ops: `batchNorm` (BatchNormalization: moving statistics at inference, batch statistics
// in training) and `layerNorm` (LayerNormalization). Per-feature weights are reshaped to broadcast over the
// input (size 1 on every other axis), so any feature axis works, channels_first's axis 1 included; inference
// on the last axis is tf.batchNorm instead (one kernel rather than seven).
import type { Tensor } from "@tensorflow/tfjs-core";
import { Add, FusedBatchNorm, Mean, Multiply, Reshape, Rsqrt, Square, Sub } from "@tensorflow/tfjs-core";
import { exactly, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** The shape that puts `x`'s sizes on `axes` and 1 elsewhere: how per-feature values broadcast over x. */
function broadcastShape(x: Tensor, axes: readonly number[]): number[] {
  return x.shape.map((size, i) => (axes.includes(i) ? size : 1));
}

/** The axes of `x` other than `axes`: the ones statistics reduce over. */
function otherAxes(x: Tensor, axes: readonly number[]): number[] {
  return [...x.shape.keys()].filter((i) => !axes.includes(i));
}

/** Mean and population variance of `x` over `axes`, kept as size-1 axes (tf.nn.moments). */
function moments(x: Tensor, axes: readonly number[], ops: TfOps): [Tensor, Tensor] {
  const mean = ops.mean(x, [...axes], true);
  return [mean, ops.mean(ops.square(ops.sub(x, mean)), [...axes], true)];
}

/** (x − mean) / sqrt(variance + epsilon) · gamma + beta, each already broadcastable over x. */
function normalize(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  epsilon: number,
  gamma: Tensor | undefined,
  beta: Tensor | undefined,
  ops: TfOps,
): Tensor {
  let inv = ops.rsqrt(ops.add(variance, epsilon));
  if (gamma) inv = ops.mul(inv, gamma);
  const y = ops.mul(ops.sub(x, mean), inv);
  return beta ? ops.add(y, beta) : y;
}

const NORMALIZE_KERNELS = [Reshape, Add, Rsqrt, Multiply, Sub];

/** The `batchNorm` and `layerNorm` ops. */
export const normalizationOps: OpGroup<"batchNorm" | "layerNorm"> = {
  batchNorm: {
    inputs: exactly(1),
    // gamma (scale), beta (center), moving_mean, moving_variance: Keras's order.
    weights: { min: 2, max: 4 },
    kernels: () => [FusedBatchNorm, ...NORMALIZE_KERNELS, Mean, Square],
    run([input], attrs, weights, ops, ctx) {
      const x = input!;
      let next = 0;
      const gamma = attrs.scale ? weights[next++] : undefined;
      const beta = attrs.center ? weights[next++] : undefined;
      // Inference on the last axis: tf.batchNorm, one FusedBatchNorm kernel (and tfjs's reshapes around it),
      // beta + (x − mean) · gamma / sqrt(variance + epsilon). Its kernels cycle the statistics over the
      // flattened input, which is per feature only on the last axis.
      if (!ctx.training && attrs.axis === x.rank - 1) {
        return [ops.batchNorm(x, weights[next]!, weights[next + 1]!, beta, gamma, attrs.epsilon)];
      }
      const shape = broadcastShape(x, [attrs.axis]);
      const param = (w: Tensor | undefined) => (w ? ops.reshape(w, shape) : undefined);
      // Training: Keras's normalize_batch_in_training, statistics of this batch over every axis but `axis`.
      // The moving statistics are not updated (kerasc does not train).
      const [mean, variance] = ctx.training
        ? moments(x, otherAxes(x, [attrs.axis]), ops)
        : [param(weights[next])!, param(weights[next + 1])!];
      return [normalize(x, mean, variance, attrs.epsilon, param(gamma), param(beta), ops)];
    },
  },
  layerNorm: {
    inputs: exactly(1),
    weights: { min: 0, max: 2 },
    kernels: () => [...NORMALIZE_KERNELS, Mean, Square],
    run([input], attrs, weights, ops) {
      const x = input!;
      let next = 0;
      const gamma = attrs.scale ? weights[next++] : undefined;
      const beta = attrs.center ? weights[next++] : undefined;
      const shape = broadcastShape(x, attrs.axes);
      const param = (w: Tensor | undefined) => (w ? ops.reshape(w, shape) : undefined);
      const [mean, variance] = moments(x, attrs.axes, ops);
      return [normalize(x, mean, variance, attrs.epsilon, param(gamma), param(beta), ops)];
    },
  },
};
