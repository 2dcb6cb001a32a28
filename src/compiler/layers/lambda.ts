// The lambda family of the Keras 2 reference: Lambda(function, output_shape=None, mask=None, arguments=None),
// whose function is a side-effect-free tensor expression (a `lambda`, or a `block` passed by name) lowered
// to the tensor-expression IR, with its output shape inferred — a model file never runs arbitrary code.
import { unifyDims } from "../../ir/dims.js";
import type { Dim, Shape } from "../../ir/graph.js";
import { formatTensorStep, isTensorFunction, type TensorFunction } from "../../ir/tensor-expr.js";
import { arg } from "./arg.js";
import { asShapeValue, shapeDimToDim } from "./base-args.js";
import { defineLayer } from "./define-layer.js";
import { lowerTensorFunction } from "./lambda-lower.js";
import { type FunctionTyping, inferTensorFunction, tensorFunctionFlops } from "./lambda-shapes.js";
import type { LayerDef, ShapeContext } from "./layer.js";
import { defineSchema } from "./schema.js";
import { formatShape } from "./shape-utils.js";
import { makeSpec } from "./spec-core.js";

/** `function`: a lambda or a block name, lowered (with its own diagnostics) to a TensorFunction. */
const functionArg = makeSpec<TensorFunction>(
  {
    expected: "a function: `lambda x: ...` or the name of a block",
    matches: (input) => input.kind === "function",
    convert: (input, check) =>
      input.kind === "function" ? lowerTensorFunction(input, check.report) : undefined,
  },
  {
    doc: "the function applied to the input: a tensor expression such as `lambda x: x ** 2`, or a block's name",
  },
);

const outputShapeArg = (() => {
  const tuple = arg.optional(arg.shape(), {
    doc: "the expected output shape without the batch dimension; checked against the inferred shape",
  });
  // Keras also takes a function computing the shape; kerasc infers it, so only a tuple is useful.
  return {
    ...tuple,
    mismatchHint: (input: Parameters<typeof tuple.matches>[0]) =>
      input.kind === "function"
        ? "kerasc infers the output shape from the function: leave output_shape out, or give a tuple"
        : tuple.mismatchHint?.(input),
  };
})();

/** `Lambda(lambda x: x ** 2)`, `Lambda(lambda a, b: a - b)([x, y])`, `Lambda(antirectifier)`. */
export const Lambda = defineLayer({
  name: "Lambda",
  family: "core",
  summary: "Applies a tensor expression to its inputs; the output shape is inferred.",
  schema: defineSchema({
    function: functionArg,
    output_shape: outputShapeArg,
    mask: arg.noneOnly("a Lambda computes no mask, so none is passed on", {
      doc: "the output mask; only None (no mask)",
    }),
    arguments: arg.noneOnly("a model file has no dict literal: write constants into the function's body", {
      doc: "extra keyword arguments of the function; only None",
    }),
  }),
  inputArity: { min: 1, max: Number.POSITIVE_INFINITY },
  // Keras 2: a Lambda built with mask=None does not support masking.
  supportsMasking: false,
  inferOutputs(args, inputs, ctx) {
    const fn = args.function;
    const typing = typeFunction(
      fn,
      inputs.map((t) => t.shape),
      ctx,
    );
    if (!typing) return null;
    const inferred = typing.steps[fn.config.result]!.shape;
    const declared = asShapeValue(args.output_shape)?.map(shapeDimToDim);
    const shape = declared ? checkOutputShape(inferred, declared, ctx) : inferred;
    return shape ? [{ shape, dtype: "float32", masked: false }] : null;
  },
  flops(args, inputs) {
    const typing = typeFunction(
      args.function,
      inputs.map((t) => t.shape),
    );
    return typing ? tensorFunctionFlops(args.function, typing.steps) : null;
  },
  // The runtime interprets the expression's steps (ops/tensor-function.ts).
  lower: (args, _inputs, _outputs, ctx) => [
    ctx.emit("tensorFunction", ctx.inputs, { function: args.function }),
  ],
});

/**
 * The function's steps typed for these inputs, or null: after reporting through `ctx` when given, silently
 * when `function` is absent (its problem was reported when the arguments were bound).
 */
function typeFunction(
  fn: TensorFunction | undefined,
  shapes: readonly Shape[],
  ctx?: ShapeContext,
): Extract<FunctionTyping, { ok: true }> | null {
  if (!isTensorFunction(fn)) return null;
  const { params } = fn.config;
  if (shapes.length !== params.length) {
    ctx?.argumentMismatch(
      "function",
      `the function takes ${params.length} input tensor${params.length === 1 ? "" : "s"} (${params.join(", ")}) but the layer is applied to ${shapes.length}`,
      params.length === 1
        ? "apply it to one tensor: `Lambda(...)(x)`"
        : `apply it to a list of ${params.length} tensors: \`Lambda(...)([${params.join(", ")}])\``,
    );
    return null;
  }
  const typing = inferTensorFunction(fn, shapes);
  if (typing.ok) return typing;
  ctx?.argumentMismatch(
    "function",
    `in \`${formatTensorStep(fn, typing.step)}\`: ${typing.message}`,
    typing.hint,
  );
  return null;
}

/**
 * The output shape with `output_shape` (batch excluded) checked against the inferred one: a None on either
 * side accepts the other's dim, so the declared size refines an unknown inferred one, as Keras takes it.
 */
function checkOutputShape(inferred: Shape, declared: readonly Dim[], ctx: ShapeContext): Shape | null {
  const inner = inferred.slice(1);
  const dims = inner.map((d, i) => (i < declared.length ? unifyDims(d, declared[i]!) : undefined));
  if (declared.length === inner.length && dims.every((d) => d !== undefined))
    return [inferred[0] ?? null, ...(dims as Dim[])];
  ctx.argumentMismatch(
    "output_shape",
    `output_shape ${formatShape(declared)} does not match the function's output ${formatShape(inferred)}, which is ${formatShape(inner)} without the batch axis`,
    "leave output_shape out (kerasc infers it) or make it agree",
  );
  return null;
}

/** The lambda family, for the registry. */
export const lambdaLayers: readonly LayerDef[] = [Lambda];
