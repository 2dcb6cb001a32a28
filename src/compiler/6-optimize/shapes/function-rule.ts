// The `tensorFunction` op's output type: a Lambda's shape rules (lambda-shapes.ts) on its inputs, and
// the dtype each step's tfjs function gives (ops/tensor-function.ts).
import type { Dim } from "../../../ir/graph.js";
import type { TensorStep } from "../../../ir/tensor-expr.js";
import type { ProgramDType } from "../../../runtime/program.js";
import { inferTensorFunction } from "../../layers/lambda-shapes.js";
import { type OpShapeRules, type SlotType, sized, sizesOf, upcast } from "./rule.js";
import { formatSize, knownSize, numberOf, type Size, UNKNOWN } from "./size.js";

/** Elementwise functions tfjs computes on int32 without converting it (measured on the cpu backend). */
const INT_KEEPING = new Set(["neg", "abs", "square", "sign", "round", "selu", "softplus"]);

/** Reductions that keep int32 (the others divide or take logs). */
const INT_REDUCING = new Set(["sum", "max", "min", "prod"]);

/** The dtype of step `step`, given the earlier steps' and the inputs'. */
function stepDType(step: TensorStep, at: (i: number) => ProgramDType, inputs: readonly SlotType[]) {
  const keepIf = (x: number, keeps: boolean): ProgramDType => (keeps ? at(x) : "float32");
  switch (step.className) {
    case "param":
      return inputs[step.config.index]?.dtype ?? "float32";
    case "const":
      return "float32";
    case "elementwise":
      return keepIf(step.config.x, INT_KEEPING.has(step.config.fn));
    case "relu":
      return keepIf(step.config.x, step.config.alpha === 0);
    case "clip":
      return at(step.config.x);
    case "binary":
      return upcast({ shape: [], dtype: at(step.config.a) }, { shape: [], dtype: at(step.config.b) });
    case "reduce":
      return keepIf(step.config.x, INT_REDUCING.has(step.config.fn));
    case "concatenate":
      return at(step.config.xs[0]!);
    case "elu":
    case "l2_normalize":
    case "softmax":
      return "float32";
  }
}

/**
 * Sizes as the Dims the Lambda rules read: numbers stay, every other known size becomes a symbol of its
 * own, so the rules carry it through (the batch, T, 5·batch alike) and it maps back exactly.
 */
function asDims(inputs: readonly SlotType[]) {
  const tokens = new Map<string, Size>();
  const dim = (size: Size): Dim => {
    if (size.unknown) return null;
    const n = numberOf(size);
    if (n !== undefined) return n;
    const token = `§${formatSize(size)}`;
    tokens.set(token, size);
    return token;
  };
  const shapes = inputs.map((t) => sizesOf(t).map(dim));
  const size = (d: Dim): Size =>
    d === null ? UNKNOWN : typeof d === "number" ? knownSize(d) : (tokens.get(d) ?? UNKNOWN);
  return { shapes, size };
}

/** The tensor function's rule. */
export const functionRules: Pick<OpShapeRules, "tensorFunction"> = {
  tensorFunction: (inputs, attrs) => {
    const fn = attrs.function;
    const tokens = asDims(inputs);
    let size = tokens.size;
    let typing = inferTensorFunction(fn, tokens.shapes);
    // Two different sizes broadcast (the batch against T, which may be 1): TF's static rules, as the IR.
    if (!typing.ok) {
      typing = inferTensorFunction(
        fn,
        inputs.map((t) => t.shape),
      );
      size = (d) => (d === null || typeof d === "string" ? UNKNOWN : knownSize(d));
    }
    if (!typing.ok) throw new Error(`the function does not type: ${typing.message}`);
    const dtypes: ProgramDType[] = [];
    for (const step of fn.config.steps) dtypes.push(stepDType(step, (i) => dtypes[i] ?? "float32", inputs));
    const result = typing.steps[fn.config.result]!;
    return [sized(result.shape.map(size), dtypes[fn.config.result] ?? "float32")];
  },
};
