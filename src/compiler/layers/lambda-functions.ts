// The functions a Lambda's tensor expression may call, with the Keras backend's signatures (`K.mean(x,
// axis=None, keepdims=False)`, `K.clip(x, min_value, max_value)`, ...) and the IR step each one becomes.
import {
  ELEMENTWISE_FUNCTIONS,
  type ElementwiseFn,
  REDUCE_FUNCTIONS,
  type TensorStep,
} from "../../ir/tensor-expr.js";

/**
 * What an argument takes: a tensor (a number broadcasts as a scalar), a list of tensors, or a constant known
 * at build time — an integer axis, None / an axis / a tuple of axes, True/False, a number (or None).
 */
export type TensorParamKind = "tensor" | "tensors" | "axis" | "axes" | "bool" | "number" | "optionalNumber";

/** A constant as written: the default of an optional argument. */
export type ConstDefault = number | boolean | null;

export interface TensorParam {
  readonly name: string;
  readonly kind: TensorParamKind;
  /** Leaving it out makes the argument required. */
  readonly default?: ConstDefault;
}

/** The bound arguments a function's `step` reads, by parameter name, already checked against their kinds. */
export interface BoundTensorArgs {
  tensor(name: string): number;
  tensors(name: string): readonly number[];
  axis(name: string): number;
  axes(name: string): readonly number[] | null;
  bool(name: string): boolean;
  number(name: string): number | null;
}

export interface TensorFunctionSpec {
  readonly params: readonly TensorParam[];
  step(args: BoundTensorArgs): TensorStep;
}

const X: TensorParam = { name: "x", kind: "tensor" };

function elementwise(fn: ElementwiseFn): TensorFunctionSpec {
  return { params: [X], step: (a) => ({ className: "elementwise", config: { fn, x: a.tensor("x") } }) };
}

function reduction(fn: (typeof REDUCE_FUNCTIONS)[number]): TensorFunctionSpec {
  return {
    params: [
      X,
      { name: "axis", kind: "axes", default: null },
      { name: "keepdims", kind: "bool", default: false },
    ],
    step: (a) => ({
      className: "reduce",
      config: { fn, x: a.tensor("x"), axis: a.axes("axis"), keepdims: a.bool("keepdims") },
    }),
  };
}

function binary(fn: "maximum" | "minimum" | "pow", second: string): TensorFunctionSpec {
  return {
    params: [X, { name: second, kind: "tensor" }],
    step: (a) => ({ className: "binary", config: { fn, a: a.tensor("x"), b: a.tensor(second) } }),
  };
}

/** Every callable function by name. Unary minus is the operator `-x`, not a function. */
export const TENSOR_FUNCTIONS: ReadonlyMap<string, TensorFunctionSpec> = new Map<string, TensorFunctionSpec>([
  ...ELEMENTWISE_FUNCTIONS.filter((fn) => fn !== "neg").map((fn) => [fn, elementwise(fn)] as const),
  ...REDUCE_FUNCTIONS.map((fn) => [fn, reduction(fn)] as const),
  [
    "relu",
    {
      params: [
        X,
        { name: "alpha", kind: "number", default: 0 },
        { name: "max_value", kind: "optionalNumber", default: null },
      ],
      step: (a) => ({
        className: "relu",
        config: { x: a.tensor("x"), alpha: a.number("alpha") ?? 0, max_value: a.number("max_value") },
      }),
    },
  ],
  [
    "elu",
    {
      params: [X, { name: "alpha", kind: "number", default: 1 }],
      step: (a) => ({ className: "elu", config: { x: a.tensor("x"), alpha: a.number("alpha") ?? 1 } }),
    },
  ],
  [
    "clip",
    {
      params: [
        X,
        { name: "min_value", kind: "optionalNumber" },
        { name: "max_value", kind: "optionalNumber" },
      ],
      step: (a) => ({
        className: "clip",
        config: { x: a.tensor("x"), min_value: a.number("min_value"), max_value: a.number("max_value") },
      }),
    },
  ],
  ["maximum", binary("maximum", "y")],
  ["minimum", binary("minimum", "y")],
  ["pow", binary("pow", "a")],
  [
    "l2_normalize",
    {
      params: [X, { name: "axis", kind: "axes", default: null }],
      step: (a) => ({ className: "l2_normalize", config: { x: a.tensor("x"), axis: a.axes("axis") } }),
    },
  ],
  [
    "softmax",
    {
      params: [X, { name: "axis", kind: "axis", default: -1 }],
      step: (a) => ({ className: "softmax", config: { x: a.tensor("x"), axis: a.axis("axis") } }),
    },
  ],
  [
    "concatenate",
    {
      params: [
        { name: "tensors", kind: "tensors" },
        { name: "axis", kind: "axis", default: -1 },
      ],
      step: (a) => ({ className: "concatenate", config: { xs: a.tensors("tensors"), axis: a.axis("axis") } }),
    },
  ],
]);

/** `mean(x, axis=None, keepdims=False)`: a signature in Python spelling, for hints. */
export function formatSignature(name: string, spec: TensorFunctionSpec): string {
  const params = spec.params.map((p) => {
    if (p.default === undefined) return p.name;
    const value =
      p.default === null
        ? "None"
        : typeof p.default === "boolean"
          ? p.default
            ? "True"
            : "False"
          : String(p.default);
    return `${p.name}=${value}`;
  });
  return `${name}(${params.join(", ")})`;
}
