// The `tensorFunction` op: a Lambda layer's tensor expression (src/ir/tensor-expr.ts), interpreted step by
// step with tfjs functions — NumPy broadcasting, Keras 2 backend semantics for each function. Its kernels
// are the union of its steps' kernels, so the load-time check still covers the whole function.
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  Abs,
  Add,
  ClipByValue,
  Concat,
  Cos,
  Exp,
  Floor,
  Log,
  Max,
  Maximum,
  Mean,
  Min,
  Minimum,
  Multiply,
  Neg,
  Pow,
  Prod,
  RealDiv,
  Reshape,
  Round,
  Selu,
  Sigmoid,
  Sign,
  Sin,
  Softplus,
  Sqrt,
  Square,
  Sub,
  Sum,
  Tanh,
} from "@tensorflow/tfjs-core";
import {
  type BinaryFn,
  type ElementwiseFn,
  normalizeAxis,
  type ReduceFn,
  type TensorFunction,
  type TensorStep,
} from "../../ir/tensor-expr.js";
import { activationKernels, applyActivation } from "./activation.js";
import { L2_NORMALIZE_KERNELS, l2Normalize } from "./dot.js";
import { NO_WEIGHTS, type OpGroup } from "./op-def.js";
import { kerasRelu, kerasReluKernels } from "./relu.js";
import type { TfOps } from "./tf-ops.js";

interface Impl<F extends (...args: never[]) => Tensor> {
  readonly kernels: readonly string[];
  readonly apply: F;
}

type Unary = (x: Tensor, ops: TfOps) => Tensor;
type Binary = (a: Tensor, b: Tensor, ops: TfOps) => Tensor;
type Reduce = (x: Tensor, axes: number[] | undefined, keepdims: boolean, ops: TfOps) => Tensor;

const ELEMENTWISE: { readonly [F in ElementwiseFn]: Impl<Unary> } = {
  neg: { kernels: [Neg], apply: (x, ops) => ops.neg(x) },
  abs: { kernels: [Abs], apply: (x, ops) => ops.abs(x) },
  exp: { kernels: [Exp], apply: (x, ops) => ops.exp(x) },
  log: { kernels: [Log], apply: (x, ops) => ops.log(x) },
  sqrt: { kernels: [Sqrt], apply: (x, ops) => ops.sqrt(x) },
  square: { kernels: [Square], apply: (x, ops) => ops.square(x) },
  sign: { kernels: [Sign], apply: (x, ops) => ops.sign(x) },
  // tf.round rounds half to even, as tf.round in Keras's backend.
  round: { kernels: [Round], apply: (x, ops) => ops.round(x) },
  sin: { kernels: [Sin], apply: (x, ops) => ops.sin(x) },
  cos: { kernels: [Cos], apply: (x, ops) => ops.cos(x) },
  sigmoid: { kernels: [Sigmoid], apply: (x, ops) => ops.sigmoid(x) },
  hard_sigmoid: {
    kernels: activationKernels({ fn: "hardSigmoid" }),
    apply: (x, ops) => applyActivation(x, ops, { fn: "hardSigmoid" }),
  },
  tanh: { kernels: [Tanh], apply: (x, ops) => ops.tanh(x) },
  softplus: { kernels: [Softplus], apply: (x, ops) => ops.softplus(x) },
  softsign: {
    kernels: activationKernels({ fn: "softsign" }),
    apply: (x, ops) => applyActivation(x, ops, { fn: "softsign" }),
  },
  selu: { kernels: [Selu], apply: (x, ops) => ops.selu(x) },
};

const BINARY: { readonly [F in BinaryFn]: Impl<Binary> } = {
  add: { kernels: [Add], apply: (a, b, ops) => ops.add(a, b) },
  sub: { kernels: [Sub], apply: (a, b, ops) => ops.sub(a, b) },
  mul: { kernels: [Multiply], apply: (a, b, ops) => ops.mul(a, b) },
  div: { kernels: [RealDiv], apply: (a, b, ops) => ops.div(a, b) },
  // Python's // and % on floats: floor(a / b), and a − floor(a / b) · b (the sign of b). Not tf.floorDiv,
  // whose cpu kernel returns int32.
  floordiv: { kernels: [RealDiv, Floor], apply: (a, b, ops) => ops.floor(ops.div(a, b)) },
  mod: {
    kernels: [RealDiv, Floor, Multiply, Sub],
    apply: (a, b, ops) => ops.sub(a, ops.mul(ops.floor(ops.div(a, b)), b)),
  },
  pow: { kernels: [Pow], apply: (a, b, ops) => ops.pow(a, b) },
  maximum: { kernels: [Maximum], apply: (a, b, ops) => ops.maximum(a, b) },
  minimum: { kernels: [Minimum], apply: (a, b, ops) => ops.minimum(a, b) },
};

/** Population variance over `axes`, as Keras's K.var. */
const variance: Reduce = (x, axes, keepdims, ops) =>
  ops.mean(ops.square(ops.sub(x, ops.mean(x, axes, true))), axes, keepdims);

const REDUCE: { readonly [F in ReduceFn]: Impl<Reduce> } = {
  mean: { kernels: [Mean], apply: (x, axes, keep, ops) => ops.mean(x, axes, keep) },
  sum: { kernels: [Sum], apply: (x, axes, keep, ops) => ops.sum(x, axes, keep) },
  max: { kernels: [Max], apply: (x, axes, keep, ops) => ops.max(x, axes, keep) },
  min: { kernels: [Min], apply: (x, axes, keep, ops) => ops.min(x, axes, keep) },
  prod: { kernels: [Prod], apply: (x, axes, keep, ops) => ops.prod(x, axes, keep) },
  var: { kernels: [Mean, Sub, Square], apply: variance },
  std: {
    kernels: [Mean, Sub, Square, Sqrt],
    apply: (x, axes, keep, ops) => ops.sqrt(variance(x, axes, keep, ops)),
  },
  // tf.logSumExp: max + log(sum(exp(x − max))).
  logsumexp: {
    kernels: [Max, Sub, Exp, Sum, Log, Reshape, Add],
    apply: (x, axes, keep, ops) => ops.logSumExp(x, axes, keep),
  },
};

/** `axis` as written (negative from the end, null: every axis) as non-negative axes of a rank-`rank` tensor. */
function axesOf(axis: readonly number[] | null, rank: number): number[] | undefined {
  if (axis === null) return undefined;
  return axis.map((a) => {
    const index = normalizeAxis(a, rank);
    if (index === undefined) throw new Error(`axis ${a} is out of range for a tensor of rank ${rank}`);
    return index;
  });
}

/** The kernels one step runs. */
function stepKernels(step: TensorStep): readonly string[] {
  switch (step.className) {
    case "param":
    case "const":
      return [];
    case "elementwise":
      return ELEMENTWISE[step.config.fn].kernels;
    case "relu":
      return kerasReluKernels({ alpha: step.config.alpha, maxValue: step.config.max_value, threshold: 0 });
    case "elu":
      return activationKernels({ fn: "elu", alpha: step.config.alpha });
    case "clip":
      return [ClipByValue];
    case "binary":
      return BINARY[step.config.fn].kernels;
    case "reduce":
      return REDUCE[step.config.fn].kernels;
    case "l2_normalize":
      return L2_NORMALIZE_KERNELS;
    case "softmax":
      return activationKernels({ fn: "softmax", axis: step.config.axis });
    case "concatenate":
      return [Concat];
  }
}

/** Every kernel a function may run: the union of its steps'. */
export function tensorFunctionKernels(fn: TensorFunction): readonly string[] {
  return [...new Set(fn.config.steps.flatMap(stepKernels))];
}

/** Evaluates the function on its inputs (one per parameter); returns its result. */
export function evaluateTensorFunction(fn: TensorFunction, inputs: readonly Tensor[], ops: TfOps): Tensor {
  const values: Tensor[] = [];
  const at = (i: number) => {
    const value = values[i];
    if (!value) throw new Error(`step ${values.length} reads step ${i}, which is not before it`);
    return value;
  };
  for (const step of fn.config.steps) values.push(evaluateStep(step, inputs, at, ops));
  return at(fn.config.result);
}

function evaluateStep(
  step: TensorStep,
  inputs: readonly Tensor[],
  at: (i: number) => Tensor,
  ops: TfOps,
): Tensor {
  switch (step.className) {
    case "param": {
      const input = inputs[step.config.index];
      if (!input) throw new Error(`the function has no input ${step.config.index}`);
      return input;
    }
    case "const":
      return ops.scalar(step.config.value, "float32");
    case "elementwise":
      return ELEMENTWISE[step.config.fn].apply(at(step.config.x), ops);
    case "relu":
      return kerasRelu(at(step.config.x), ops, {
        alpha: step.config.alpha,
        maxValue: step.config.max_value,
        threshold: 0,
      });
    case "elu":
      return applyActivation(at(step.config.x), ops, { fn: "elu", alpha: step.config.alpha });
    case "clip": {
      const { min_value: min, max_value: max } = step.config;
      return ops.clipByValue(
        at(step.config.x),
        min ?? Number.NEGATIVE_INFINITY,
        max ?? Number.POSITIVE_INFINITY,
      );
    }
    case "binary":
      return BINARY[step.config.fn].apply(at(step.config.a), at(step.config.b), ops);
    case "reduce": {
      const x = at(step.config.x);
      return REDUCE[step.config.fn].apply(x, axesOf(step.config.axis, x.rank), step.config.keepdims, ops);
    }
    case "l2_normalize": {
      const x = at(step.config.x);
      return l2Normalize(x, axesOf(step.config.axis, x.rank) ?? null, ops);
    }
    case "softmax": {
      const x = at(step.config.x);
      return applyActivation(x, ops, { fn: "softmax", axis: axesOf([step.config.axis], x.rank)![0]! });
    }
    case "concatenate": {
      const xs = step.config.xs.map(at);
      return ops.concat(xs, axesOf([step.config.axis], xs[0]!.rank)![0]!);
    }
  }
}

/** The `tensorFunction` op. */
export const tensorFunctionOps: OpGroup<"tensorFunction"> = {
  tensorFunction: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: NO_WEIGHTS,
    kernels: (attrs) => tensorFunctionKernels(attrs.function),
    run: (inputs, attrs, _weights, ops) => [evaluateTensorFunction(attrs.function, inputs, ops)],
  },
};
