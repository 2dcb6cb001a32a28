// The tensor-expression IR a Lambda layer carries in its `function` argument: a side-effect-free function of
// its input tensors, as a list of steps in evaluation order (SSA). Each step is a ConfigObject, so the layer's
// arguments stay plain ArgValue data (printed, frozen and serialised like any other argument); the types
// below narrow it for the compiler and the runtime, which executes it without the compiler.
import type { ArgValue, ConfigObject } from "./graph.js";

/** A step: `className` is the operation, `config` its operands (indices of earlier steps) and attributes. */
type Step<Op extends string, Config extends Readonly<Record<string, ArgValue>>> = {
  readonly className: Op;
  readonly config: Config;
};

/**
 * Elementwise functions of one tensor, with the Keras 2 backend's semantics: `hard_sigmoid` is
 * clip(0.2x + 0.5, 0, 1), `round` rounds half to even (tf.round), `selu` uses Keras's alpha 1.6732632423543772
 * and scale 1.0507009873554805, `softplus` is log(1 + exp(x)), `softsign` x / (1 + |x|), `neg` is unary minus.
 */
export const ELEMENTWISE_FUNCTIONS = [
  "neg",
  "abs",
  "exp",
  "log",
  "sqrt",
  "square",
  "sign",
  "round",
  "sin",
  "cos",
  "sigmoid",
  "hard_sigmoid",
  "tanh",
  "softplus",
  "softsign",
  "selu",
] as const;
export type ElementwiseFn = (typeof ELEMENTWISE_FUNCTIONS)[number];

/** Elementwise functions of two tensors with NumPy broadcasting; `floordiv` and `mod` floor like Python. */
export const BINARY_FUNCTIONS = [
  "add",
  "sub",
  "mul",
  "div",
  "floordiv",
  "mod",
  "pow",
  "maximum",
  "minimum",
] as const;
export type BinaryFn = (typeof BINARY_FUNCTIONS)[number];

/** Reductions over axes (`std` and `var` are the population statistics, as in Keras). */
export const REDUCE_FUNCTIONS = ["mean", "sum", "max", "min", "prod", "std", "var", "logsumexp"] as const;
export type ReduceFn = (typeof REDUCE_FUNCTIONS)[number];

/** Input tensor `index` of the function (its parameter in that position). */
export type ParamStep = Step<"param", { readonly index: number }>;
/** A scalar constant; it broadcasts against any tensor. */
export type ConstStep = Step<"const", { readonly value: number }>;
export type ElementwiseStep = Step<"elementwise", { readonly fn: ElementwiseFn; readonly x: number }>;
/** `relu(x, alpha, max_value)`: x for x > 0, alpha * x below, capped at max_value (None: no cap). */
export type ReluStep = Step<
  "relu",
  { readonly x: number; readonly alpha: number; readonly max_value: number | null }
>;
/** `elu(x, alpha)`: x for x > 0, alpha * (exp(x) - 1) below. */
export type EluStep = Step<"elu", { readonly x: number; readonly alpha: number }>;
/** `clip(x, min_value, max_value)`; a None bound does not clip on that side. */
export type ClipStep = Step<
  "clip",
  { readonly x: number; readonly min_value: number | null; readonly max_value: number | null }
>;
export type BinaryStep = Step<"binary", { readonly fn: BinaryFn; readonly a: number; readonly b: number }>;
/**
 * `mean(x, axis, keepdims)` and its kin. `axis` as written (negative counts from the end), null for every
 * axis; the runtime normalises it against the input's rank with `normalizeAxis`.
 */
export type ReduceStep = Step<
  "reduce",
  {
    readonly fn: ReduceFn;
    readonly x: number;
    readonly axis: readonly number[] | null;
    readonly keepdims: boolean;
  }
>;
/** `l2_normalize(x, axis)`: x / sqrt(max(sum(x², axis), 1e-12)); null axis: over every axis. */
export type L2NormalizeStep = Step<
  "l2_normalize",
  { readonly x: number; readonly axis: readonly number[] | null }
>;
export type SoftmaxStep = Step<"softmax", { readonly x: number; readonly axis: number }>;
export type ConcatenateStep = Step<"concatenate", { readonly xs: readonly number[]; readonly axis: number }>;

export type TensorStep =
  | ParamStep
  | ConstStep
  | ElementwiseStep
  | ReluStep
  | EluStep
  | ClipStep
  | BinaryStep
  | ReduceStep
  | L2NormalizeStep
  | SoftmaxStep
  | ConcatenateStep;

/**
 * A Lambda's function. Every step reads only earlier steps; `result` is the step the function returns.
 * `names[i]` is the source name step i was bound to (a parameter or a local), or null: messages and the
 * printed form use it, execution ignores it.
 */
export type TensorFunction = Step<
  "TensorFunction",
  {
    readonly params: readonly string[];
    readonly steps: readonly TensorStep[];
    readonly result: number;
    readonly names: readonly (string | null)[];
  }
>;

/** Whether an argument value is a tensor function (the runtime's typed view of Lambda's `function`). */
export function isTensorFunction(value: ArgValue | undefined): value is TensorFunction {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    (value as ConfigObject).className === "TensorFunction"
  );
}

/** The steps a step reads, in operand order. */
export function stepOperands(step: TensorStep): readonly number[] {
  switch (step.className) {
    case "param":
    case "const":
      return [];
    case "binary":
      return [step.config.a, step.config.b];
    case "concatenate":
      return step.config.xs;
    default:
      return [step.config.x];
  }
}

/** `axis` of a tensor of `rank` as a non-negative index, or undefined when it is out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const index = axis < 0 ? rank + axis : axis;
  return index >= 0 && index < rank ? index : undefined;
}

const BINARY_OPERATORS: Partial<Record<BinaryFn, { readonly text: string; readonly precedence: number }>> = {
  add: { text: "+", precedence: 1 },
  sub: { text: "-", precedence: 1 },
  mul: { text: "*", precedence: 2 },
  div: { text: "/", precedence: 2 },
  floordiv: { text: "//", precedence: 2 },
  mod: { text: "%", precedence: 2 },
  pow: { text: "**", precedence: 4 },
};

/** Longer operands print as `…`, so a message or a printed IR line stays readable. */
const MAX_OPERAND_TEXT = 160;

function formatAxis(axis: readonly number[] | null): string {
  if (axis === null) return "None";
  return axis.length === 1 ? String(axis[0]) : `(${axis.join(", ")})`;
}

function formatNumber(value: number | null): string {
  if (value === null) return "None";
  return Number.isFinite(value) ? String(value) : value > 0 ? "inf" : "-inf";
}

/**
 * Step `index` in .kml spelling, e.g. `concatenate([pos, neg], axis=1)`: an operand bound to a name is shown
 * by that name, others inline. Used in shape messages ("in `x - mean(x, axis=3)`") and in printed IR.
 */
export function formatTensorStep(fn: TensorFunction, index: number): string {
  const { steps, names } = fn.config;
  // Steps may be shared (a DAG): memoised and capped, the text stays small however often a step is read.
  const memo = new Map<number, [string, number]>();
  // precedence: 5 for atoms and calls, 3 for unary minus, as in Python (`-x ** 2` is `-(x ** 2)`).
  const operand = (i: number, min: number): string => {
    const name = names[i];
    if (name) return name;
    let rendered = memo.get(i);
    if (!rendered) {
      rendered = renderStep(i);
      if (rendered[0].length > MAX_OPERAND_TEXT) rendered = ["…", 5];
      memo.set(i, rendered);
    }
    const [text, precedence] = rendered;
    return precedence < min ? `(${text})` : text;
  };
  const renderStep = (i: number): [string, number] => {
    const step = steps[i];
    if (!step) return ["?", 5];
    switch (step.className) {
      case "param":
        return [fn.config.params[step.config.index] ?? `input${step.config.index}`, 5];
      case "const":
        return [formatNumber(step.config.value), step.config.value < 0 ? 3 : 5];
      case "elementwise":
        return step.config.fn === "neg"
          ? [`-${operand(step.config.x, 3)}`, 3]
          : [`${step.config.fn}(${operand(step.config.x, 0)})`, 5];
      case "relu":
        return [
          `relu(${operand(step.config.x, 0)}, alpha=${step.config.alpha}, max_value=${formatNumber(step.config.max_value)})`,
          5,
        ];
      case "elu":
        return [`elu(${operand(step.config.x, 0)}, alpha=${step.config.alpha})`, 5];
      case "clip":
        return [
          `clip(${operand(step.config.x, 0)}, ${formatNumber(step.config.min_value)}, ${formatNumber(step.config.max_value)})`,
          5,
        ];
      case "binary": {
        const { fn: op, a, b } = step.config;
        const infix = BINARY_OPERATORS[op];
        if (!infix) return [`${op}(${operand(a, 0)}, ${operand(b, 0)})`, 5];
        // `**` binds right to left and tighter than unary minus on its left; the others bind left to right.
        const right = infix.text === "**";
        const left = operand(a, right ? infix.precedence + 1 : infix.precedence);
        const rightText = operand(b, right ? 3 : infix.precedence + 1);
        return [`${left} ${infix.text} ${rightText}`, infix.precedence];
      }
      case "reduce":
        return [
          `${step.config.fn}(${operand(step.config.x, 0)}, axis=${formatAxis(step.config.axis)}, keepdims=${step.config.keepdims ? "True" : "False"})`,
          5,
        ];
      case "l2_normalize":
        return [`l2_normalize(${operand(step.config.x, 0)}, axis=${formatAxis(step.config.axis)})`, 5];
      case "softmax":
        return [`softmax(${operand(step.config.x, 0)}, axis=${step.config.axis})`, 5];
      case "concatenate":
        return [
          `concatenate([${step.config.xs.map((x) => operand(x, 0)).join(", ")}], axis=${step.config.axis})`,
          5,
        ];
    }
  };
  return renderStep(index)[0];
}

/** The whole function as one lambda, e.g. `lambda x: x ** 2` (named intermediate steps are inlined). */
export function formatTensorFunction(fn: TensorFunction): string {
  const anonymous: TensorFunction = {
    ...fn,
    config: {
      ...fn.config,
      names: fn.config.steps.map((s) =>
        s.className === "param" ? (fn.config.params[s.config.index] ?? null) : null,
      ),
    },
  };
  return `lambda ${fn.config.params.join(", ")}: ${formatTensorStep(anonymous, fn.config.result)}`;
}
