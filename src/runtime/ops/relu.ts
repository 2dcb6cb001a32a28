// Keras 2's rectifiers beyond tf.relu: the `relu` op (K.relu with alpha, max_value and threshold, which the
// ReLU, ThresholdedReLU layers and Lambda's relu() lower to) and `prelu` (PReLU's learned slopes).
import type { Tensor } from "@tensorflow/tfjs-core";
import { Cast, ClipByValue, Greater, Multiply, Neg, Relu, Relu6, Sub } from "@tensorflow/tfjs-core";
import type { OpAttrs } from "../program.js";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

type ReluAttrs = OpAttrs["relu"];

/**
 * Keras 2.2 `K.relu(x, alpha, max_value, threshold)`: x where x > threshold, else 0 (relu when threshold is
 * 0), clipped to [0, max_value], minus alpha · relu(threshold − x) (the leak below the threshold).
 */
export function kerasRelu(x: Tensor, ops: TfOps, attrs: ReluAttrs): Tensor {
  const { alpha, maxValue, threshold } = attrs;
  let y: Tensor;
  let clip = maxValue !== null;
  if (threshold !== 0) y = ops.mul(x, ops.cast(ops.greater(x, threshold), "float32"));
  else if (maxValue === 6) {
    y = ops.relu6(x);
    clip = false;
  } else y = ops.relu(x);
  if (clip) y = ops.clipByValue(y, 0, maxValue!);
  if (alpha === 0) return y;
  const below = ops.relu(threshold === 0 ? ops.neg(x) : ops.sub(threshold, x));
  return ops.sub(y, ops.mul(below, alpha));
}

/** The kernels `kerasRelu` runs for these attributes. */
export function kerasReluKernels(attrs: ReluAttrs): readonly string[] {
  const { alpha, maxValue, threshold } = attrs;
  const kernels: string[] = [];
  if (threshold !== 0) kernels.push(Greater, Cast, Multiply);
  else kernels.push(maxValue === 6 ? Relu6 : Relu);
  if (maxValue !== null && !(threshold === 0 && maxValue === 6)) kernels.push(ClipByValue);
  if (alpha !== 0) kernels.push(Relu, threshold === 0 ? Neg : Sub, Multiply, Sub);
  return kernels;
}

/** The `relu` and `prelu` ops. */
export const reluOps: OpGroup<"relu" | "prelu"> = {
  relu: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: kerasReluKernels,
    run: ([x], attrs, _weights, ops) => [kerasRelu(x!, ops, attrs)],
  },
  // Keras 2 PReLU: relu(x) − alpha · relu(−x); alpha (the input's shape without the batch, 1 on shared
  // axes) broadcasts over the batch and the shared axes.
  prelu: {
    inputs: exactly(1),
    weights: exactly(1),
    kernels: () => [Relu, Neg, Multiply, Sub],
    run: ([x], _attrs, [alpha], ops) => [ops.sub(ops.relu(x!), ops.mul(alpha!, ops.relu(ops.neg(x!))))],
  },
};
