// Shape inference for tensor functions, step by step, as TensorFlow infers static shapes when Keras runs a
// Lambda on placeholders: NumPy broadcasting (with None and symbolic dims), reductions with their axes,
// concatenation like the Concatenate layer. Also the FLOPs a function costs per sample.
import { unifyAllShapes, unifyDims } from "../../ir/dims.js";
import type { Dim, Shape } from "../../ir/graph.js";
import { normalizeAxis, type TensorFunction, type TensorStep } from "../../ir/tensor-expr.js";
import { formatDim, formatShape, isKnownDim, knownProduct, rankName } from "./shape-utils.js";

/** A step's static type. `perSample`: axis 0 is the batch axis, one entry per sample (inputs are). */
export interface StepType {
  readonly shape: Shape;
  readonly perSample: boolean;
}

/** Every step typed, or the first step whose operands do not fit, with why. */
export type FunctionTyping =
  | { readonly ok: true; readonly steps: readonly StepType[] }
  | { readonly ok: false; readonly step: number; readonly message: string; readonly hint?: string };

/** A step's type, or why its operands do not fit. */
type StepResult = StepType | { readonly message: string; readonly hint?: string };

/**
 * Types the steps of `fn` for input shapes `inputs` (batch first, one per parameter; the caller checks the
 * count). The result must keep a batch axis: a Lambda's output has one row per sample, as Keras assumes.
 */
export function inferTensorFunction(fn: TensorFunction, inputs: readonly Shape[]): FunctionTyping {
  const types: StepType[] = [];
  for (const [index, step] of fn.config.steps.entries()) {
    const result = inferStep(step, types, inputs);
    if ("message" in result) return { ok: false, step: index, ...result };
    types.push(result);
  }
  const result = types[fn.config.result];
  if (result && !result.perSample) {
    return {
      ok: false,
      step: fn.config.result,
      message:
        result.shape.length === 0
          ? "the result is a single number, without the batch axis a layer's output needs"
          : `the result ${formatShape(result.shape)} does not keep the batch axis first: a reduction over axis 0 removed it`,
      hint: "reduce over the feature axes (axis=1, axis=-1, ...), or keep the batch with keepdims=True and broadcast back",
    };
  }
  return { ok: true, steps: types };
}

function inferStep(step: TensorStep, types: readonly StepType[], inputs: readonly Shape[]): StepResult {
  switch (step.className) {
    case "param":
      return { shape: inputs[step.config.index] ?? [], perSample: true };
    case "const":
      return { shape: [], perSample: false };
    case "elementwise":
    case "relu":
    case "elu":
    case "clip":
      return types[step.config.x]!;
    case "binary":
      return broadcast(types[step.config.a]!, types[step.config.b]!);
    case "reduce":
      return reduce(types[step.config.x]!, step.config.axis, step.config.keepdims);
    case "l2_normalize": {
      const x = types[step.config.x]!;
      const axes = normalizeAxes(step.config.axis, x.shape);
      return "message" in axes ? axes : x;
    }
    case "softmax": {
      const x = types[step.config.x]!;
      const axes = normalizeAxes([step.config.axis], x.shape);
      return "message" in axes ? axes : x;
    }
    case "concatenate":
      return concatenate(
        step.config.xs.map((i) => types[i]!),
        step.config.axis,
      );
  }
}

/**
 * One right-aligned pair of dims, as TensorFlow broadcasts static shapes: equal dims stay, a 1 stretches
 * to the other, None beside a size n > 1 must be 1 or n so the result is n, None beside a symbolic dim is
 * unknown; otherwise the two must unify (dims.ts: `T` with `T`, or with a size it may take).
 */
export function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === null) return isKnownDim(b) ? b : null;
  if (b === null) return isKnownDim(a) ? a : null;
  return unifyDims(a, b);
}

/** NumPy broadcasting of two shapes: right-aligned, the lower rank's missing leading axes stretch. */
function broadcast(a: StepType, b: StepType): StepResult {
  const rank = Math.max(a.shape.length, b.shape.length);
  const shape: Dim[] = [];
  for (let fromEnd = 1; fromEnd <= rank; fromEnd++) {
    // A missing leading axis broadcasts like a 1 (`??` would also turn a None dim into 1).
    const x = fromEnd <= a.shape.length ? a.shape[a.shape.length - fromEnd]! : 1;
    const y = fromEnd <= b.shape.length ? b.shape[b.shape.length - fromEnd]! : 1;
    const dim = broadcastDim(x, y);
    if (dim === undefined)
      return {
        message: `${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast: axis -${fromEnd} is ${formatDim(x)} in one and ${formatDim(y)} in the other`,
        hint: "operands must agree on each axis counted from the end, or have size 1 there",
      };
    shape.unshift(dim);
  }
  // The batch stays first only if an operand of the full rank had it there.
  const perSample = [a, b].some((t) => t.perSample && t.shape.length === rank);
  return { shape, perSample };
}

/** Axes as written (null: every axis) → sorted indices into `shape`, or why they do not fit it. */
function normalizeAxes(
  axis: readonly number[] | null,
  shape: Shape,
): { readonly axes: ReadonlySet<number> } | { readonly message: string; readonly hint?: string } {
  const rank = shape.length;
  if (axis === null) return { axes: new Set(shape.keys()) };
  const axes = new Set<number>();
  for (const written of axis) {
    const index = normalizeAxis(written, rank);
    if (index === undefined)
      return {
        message: `axis ${written} is out of range for the ${rankName(rank)} tensor ${formatShape(shape)}`,
        hint:
          rank === 0
            ? "a number has no axes"
            : `axes run from 0 (the batch) to ${rank - 1}, or from -1 to -${rank}`,
      };
    if (axes.has(index))
      return {
        message: `axes (${axis.join(", ")}) name axis ${index} twice for the ${rankName(rank)} tensor ${formatShape(shape)}`,
      };
    axes.add(index);
  }
  return { axes };
}

/** `mean(x, axis, keepdims)` and its kin: reduced axes become 1 or disappear. */
function reduce(x: StepType, axis: readonly number[] | null, keepdims: boolean): StepResult {
  const normalized = normalizeAxes(axis, x.shape);
  if ("message" in normalized) return normalized;
  const { axes } = normalized;
  if (x.perSample && axes.has(0) && !keepdims)
    return {
      message: `reducing ${formatShape(x.shape)} over axis 0, the batch axis, leaves no batch axis`,
      hint: "reduce over the feature axes (axis=1, axis=-1, ...), or keep it with keepdims=True",
    };
  const shape = keepdims
    ? x.shape.map((d, i) => (axes.has(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.has(i));
  return { shape, perSample: x.perSample && !axes.has(0) };
}

/** `concatenate([a, b], axis)`: one rank, equal off the axis, sizes summed on it (None unless all known). */
function concatenate(items: readonly StepType[], axis: number): StepResult {
  const first = items[0];
  if (!first)
    return { message: "concatenate needs at least one tensor", hint: "write `concatenate([a, b], axis=-1)`" };
  const shapes = items.map((t) => t.shape);
  const rank = first.shape.length;
  const otherRank = shapes.findIndex((s) => s.length !== rank);
  if (otherRank >= 0)
    return {
      message: `tensor ${otherRank + 1} ${formatShape(shapes[otherRank]!)} is ${rankName(shapes[otherRank]!.length)} but tensor 1 ${formatShape(first.shape)} is ${rankName(rank)}`,
      hint: "concatenate joins tensors of the same rank",
    };
  const index = normalizeAxis(axis, rank);
  if (index === undefined || index === 0)
    return {
      message:
        index === 0
          ? `axis ${axis} is the batch axis of ${formatShape(first.shape)}: concatenating along it mixes samples`
          : `axis ${axis} is out of range for the ${rankName(rank)} tensors ${formatShape(first.shape)}`,
      hint:
        rank < 2
          ? "concatenate joins tensors along a feature axis"
          : `use an axis from 1 to ${rank - 1}, or from -1 to -${rank - 1}`,
    };
  const unified = unifyAllShapes(shapes, [index]);
  if (!unified.ok) {
    // Rank was checked above, so the failure is a dim off the axis.
    const at = unified.reason === "dim" ? unified.axis : 0;
    const other = unified.index ?? 1;
    return {
      message: `tensor ${other + 1} ${formatShape(shapes[other]!)} does not match ${formatShape(first.shape)} on axis ${at}`,
      hint: `concatenate joins tensors that agree on every axis but the concatenation axis ${index}`,
    };
  }
  const sizes = shapes.map((s) => s[index]!);
  const total = sizes.every(isKnownDim) ? sizes.reduce((sum, size) => sum + size, 0) : null;
  return {
    shape: unified.shape.map((d, i) => (i === index ? total : d)),
    perSample: items.every((t) => t.perSample),
  };
}

/** Elements of a step's tensor per sample (the batch axis left out when it has one); null if unknown. */
function elementsPerSample(type: StepType): number | null {
  return knownProduct(type.perSample ? type.shape.slice(1) : type.shape);
}

/**
 * FLOPs of one sample: an elementwise or broadcast operation counts 1 per output element, a reduction 1 per
 * input element, l2_normalize and softmax 3 per element (square or exp, sum, divide); parameters, constants
 * and concatenation move data only. Null when a size is unknown.
 */
export function tensorFunctionFlops(fn: TensorFunction, types: readonly StepType[]): number | null {
  let total = 0;
  for (const [index, step] of fn.config.steps.entries()) {
    const perElement = FLOPS_PER_ELEMENT[step.className];
    if (perElement === 0) continue;
    const counted = step.className === "reduce" ? types[step.config.x]! : types[index]!;
    const elements = elementsPerSample(counted);
    if (elements === null) return null;
    total += perElement * elements;
  }
  return total;
}

const FLOPS_PER_ELEMENT: Readonly<Record<TensorStep["className"], number>> = {
  param: 0,
  const: 0,
  concatenate: 0,
  elementwise: 1,
  relu: 1,
  elu: 1,
  clip: 1,
  binary: 1,
  reduce: 1,
  l2_normalize: 3,
  softmax: 3,
};
