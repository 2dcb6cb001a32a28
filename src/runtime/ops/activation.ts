// The `activation` op: one table of activation functions, each with its formula over tfjs functions and
// the kernels that formula runs. Keras's definitions where tfjs has no single op (softsign, hard_sigmoid,
// elu with alpha ≠ 1).
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  Abs,
  Add,
  ClipByValue,
  Elu,
  Exp,
  Greater,
  LeakyRelu,
  Multiply,
  RealDiv,
  Relu,
  Relu6,
  Select,
  Selu,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
  Transpose,
} from "@tensorflow/tfjs-core";
import type { ActivationFn, OpAttrs } from "../program.js";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

type ActivationAttrs = OpAttrs["activation"];

interface ActivationImpl {
  kernels(attrs: ActivationAttrs): readonly string[];
  apply(x: Tensor, ops: TfOps, attrs: ActivationAttrs): Tensor;
}

/** Keras's ELU alpha is 1 unless an ELU layer says otherwise. */
const eluAlpha = (attrs: ActivationAttrs) => attrs.alpha ?? 1;
/** Keras's LeakyReLU default slope. */
const leakyAlpha = (attrs: ActivationAttrs) => attrs.alpha ?? 0.3;

const ACTIVATIONS: { readonly [F in ActivationFn]: ActivationImpl } = {
  linear: { kernels: () => [], apply: (x) => x },
  relu: { kernels: () => [Relu], apply: (x, ops) => ops.relu(x) },
  relu6: { kernels: () => [Relu6], apply: (x, ops) => ops.relu6(x) },
  // Keras 2 K.elu: elu(x) where x > 0, alpha · elu(x) elsewhere (tf.elu is the alpha = 1 case).
  elu: {
    kernels: (attrs) => (eluAlpha(attrs) === 1 ? [Elu] : [Elu, Greater, Multiply, Select]),
    apply: (x, ops, attrs) => {
      const alpha = eluAlpha(attrs);
      const y = ops.elu(x);
      return alpha === 1 ? y : ops.where(ops.greater(x, 0), y, ops.mul(y, alpha));
    },
  },
  // tf.selu uses Keras's constants: scale 1.0507009873554805, alpha 1.6732632423543772.
  selu: { kernels: () => [Selu], apply: (x, ops) => ops.selu(x) },
  leakyRelu: { kernels: () => [LeakyRelu], apply: (x, ops, attrs) => ops.leakyRelu(x, leakyAlpha(attrs)) },
  softplus: { kernels: () => [Softplus], apply: (x, ops) => ops.softplus(x) },
  // Keras: x / (|x| + 1).
  softsign: { kernels: () => [Abs, Add, RealDiv], apply: (x, ops) => ops.div(x, ops.add(ops.abs(x), 1)) },
  tanh: { kernels: () => [Tanh], apply: (x, ops) => ops.tanh(x) },
  sigmoid: { kernels: () => [Sigmoid], apply: (x, ops) => ops.sigmoid(x) },
  // Keras 2: clip(0.2 · x + 0.5, 0, 1) (Keras 3 changed the slope to 1/6; kerasc follows Keras 2).
  hardSigmoid: {
    kernels: () => [Multiply, Add, ClipByValue],
    apply: (x, ops) => ops.clipByValue(ops.add(ops.mul(x, 0.2), 0.5), 0, 1),
  },
  exp: { kernels: () => [Exp], apply: (x, ops) => ops.exp(x) },
  softmax: {
    kernels: (attrs) => ((attrs.axis ?? -1) === -1 ? [Softmax] : [Softmax, Transpose]),
    apply: (x, ops, attrs) => softmaxOnAxis(x, ops, attrs.axis ?? -1),
  },
};

/** tf.softmax only works on the last axis: another axis is swapped to the end and back. */
function softmaxOnAxis(x: Tensor, ops: TfOps, axis: number): Tensor {
  const last = x.rank - 1;
  const at = axis < 0 ? x.rank + axis : axis;
  if (at === last) return ops.softmax(x, -1);
  const perm = [...Array(x.rank).keys()];
  perm[at] = last;
  perm[last] = at;
  // Swapping two axes is its own inverse.
  return ops.transpose(ops.softmax(ops.transpose(x, perm), -1), perm);
}

/** Applies an activation function by its runtime name (for ops that apply one after their own work). */
export function applyActivation(x: Tensor, ops: TfOps, attrs: ActivationAttrs): Tensor {
  return ACTIVATIONS[attrs.fn].apply(x, ops, attrs);
}

/** The kernels `applyActivation` runs for these attributes. */
export function activationKernels(attrs: ActivationAttrs): readonly string[] {
  return ACTIVATIONS[attrs.fn].kernels(attrs);
}

/** The `activation` op. */
export const activationOps: OpGroup<"activation"> = {
  activation: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: activationKernels,
    run: ([x], attrs, _weights, ops) => [applyActivation(x!, ops, attrs)],
  },
};
