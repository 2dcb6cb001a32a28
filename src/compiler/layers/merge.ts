// The merge family of the Keras 2 reference (Merge层): Add, Subtract, Multiply, Average, Maximum, Minimum,
// Concatenate and Dot — each declared once. None has weights; a mask on any input masks the output, as in
// Keras, except after Dot, where the mask ends.

import { unifyAllShapes, unifyDims } from "../../ir/dims.js";
import type { Dim, Shape, TensorType } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { defineLayer } from "./define-layer.js";
import type { LayerDef, LowerContext, LowerValue, ShapeContext } from "./layer.js";
import { defineSchema } from "./schema.js";
import { formatDim, formatShape, isKnownDim, knownProduct, rankName } from "./shape-utils.js";

const AT_LEAST_TWO = { min: 2, max: Number.POSITIVE_INFINITY } as const;

/** One output typed like the first input, masked when any input is (Keras ORs the input masks). */
function mergedOutput(inputs: readonly TensorType[], shape: Shape): readonly TensorType[] {
  return [{ shape, dtype: inputs[0]!.dtype, masked: inputs.some((t) => t.masked) }];
}

/**
 * One right-aligned pair of dims in Keras 2's `_Merge._compute_elemwise_op_output_shape`: None wins (Keras
 * keeps None even beside a known size), a size of 1 stretches to the other dim, and otherwise the two must
 * be equal — unified as dims.ts unifies them, so `T` agrees with `T` or with a size it may take.
 */
function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (a === null || b === null) return null;
  if (a === 1) return b;
  if (b === 1) return a;
  return unifyDims(a, b);
}

/**
 * The elementwise result of two inputs' non-batch dims: the lower rank lines up with the last axes (Keras
 * expands it at axis 1), the extra leading axes of the higher rank pass through. On a clash, the two dims.
 */
function broadcastInner(
  a: readonly Dim[],
  b: readonly Dim[],
): { readonly dims: readonly Dim[] } | { readonly clash: readonly [Dim, Dim] } {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const offset = long.length - short.length;
  const dims = long.slice(0, offset);
  for (let i = 0; i < short.length; i++) {
    const x = long[offset + i]!;
    const y = short[i]!;
    const dim = broadcastDim(x, y);
    if (dim === undefined) return { clash: long === a ? [x, y] : [y, x] };
    dims.push(dim);
  }
  return { dims };
}

/**
 * Keras 2's `_Merge.build` / `compute_output_shape`: the known batch sizes must agree (the output takes the
 * one there is, else None), and the non-batch dims are folded pairwise from the first input.
 */
function inferElementwiseMerge(
  inputs: readonly TensorType[],
  ctx: ShapeContext,
): readonly TensorType[] | null {
  if (inputs.length === 0) return null;
  let batch: Dim = null;
  let batchFrom = 0;
  for (const [i, input] of inputs.entries()) {
    const size = input.shape[0] ?? null;
    if (size === null) continue;
    const unified: Dim | undefined = batch === null ? size : unifyDims(batch, size);
    if (unified === undefined) {
      ctx.inputMismatch(
        i,
        `the batch size of input ${batchFrom + 1}, ${formatDim(batch)},`,
        "merged tensors must have the same batch size",
      );
      return null;
    }
    if (batch === null) batchFrom = i;
    batch = unified;
  }

  const inner = (i: number) => inputs[i]!.shape.slice(1);
  let merged: readonly Dim[] = inner(0);
  for (let i = 1; i < inputs.length; i++) {
    const result = broadcastInner(merged, inner(i));
    if ("clash" in result) {
      reportBroadcastClash(inputs, i, ctx);
      return null;
    }
    merged = result.dims;
  }
  return mergedOutput(inputs, [batch, ...merged]);
}

/**
 * Input `index` does not broadcast with the inputs before it. The message names the first earlier input it
 * clashes with on its own — there always is one, since a merged dim is some input's dim.
 */
function reportBroadcastClash(inputs: readonly TensorType[], index: number, ctx: ShapeContext): void {
  const inner = (i: number) => inputs[i]!.shape.slice(1);
  for (let j = 0; j < index; j++) {
    const result = broadcastInner(inner(index), inner(j));
    if (!("clash" in result)) continue;
    const [here, there] = result.clash;
    ctx.inputMismatch(
      index,
      `the same shape as input ${j + 1}, ${formatShape(inputs[j]!.shape)},`,
      `merged inputs must agree on every axis, except that a size of 1 broadcasts and a lower-rank input lines up with the last axes: ${formatDim(here)} does not match ${formatDim(there)}`,
    );
    return;
  }
  ctx.inputMismatch(index, `a shape that broadcasts with inputs 1 to ${index}`);
}

/** How an elementwise merge combines its inputs' values, once their ranks agree, into its output. */
type Combine = (ctx: LowerContext, values: readonly LowerValue[]) => LowerValue;

/** A left fold of a binary op: ((a op b) op c) ..., the order Keras's `_merge_function`s use. */
const foldWith =
  (op: "add" | "sub" | "mul" | "maximum" | "minimum"): Combine =>
  (ctx, values) =>
    values.slice(1).reduce((acc, value) => ctx.emit(op, [acc, value], {}), values[0]!);

/**
 * Keras 2's `_Merge.call`: a lower-rank input is expanded at axis 1 until every input has the highest rank;
 * the binary ops then broadcast sizes of 1 as NumPy does.
 */
function alignRanks(ctx: LowerContext, inputs: readonly TensorType[]): LowerValue[] {
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  return ctx.inputs.map((value, i) => {
    let aligned = value;
    for (let r = inputs[i]!.shape.length; r < rank; r++)
      aligned = ctx.emit("expandDims", [aligned], { axis: 1 });
    return aligned;
  });
}

/** An elementwise merge layer: no arguments of its own, the shape rule of Keras 2's `_Merge`. */
function defineElementwiseMerge(
  name: string,
  summary: string,
  combine: Combine,
  inputArity: { readonly min: number; readonly max: number } = AT_LEAST_TWO,
): LayerDef {
  return defineLayer({
    name,
    family: "merge",
    summary,
    schema: defineSchema({}),
    inputArity,
    supportsMasking: true,
    inferOutputs: (_args, inputs, ctx) => inferElementwiseMerge(inputs, ctx),
    lower: (_args, inputs, _outputs, ctx) => [combine(ctx, alignRanks(ctx, inputs))],
  });
}

/** `Add()([a, b, ...])`: the element-wise sum. */
export const Add = defineElementwiseMerge(
  "Add",
  "Adds a list of inputs element-wise; the shape is unchanged.",
  foldWith("add"),
);

/** `Subtract()([a, b])`: a - b, for exactly two inputs. */
export const Subtract = defineElementwiseMerge(
  "Subtract",
  "Subtracts the second of two inputs from the first; the shape is unchanged.",
  foldWith("sub"),
  { min: 2, max: 2 },
);

/** `Multiply()([a, b, ...])`: the element-wise product. */
export const Multiply = defineElementwiseMerge(
  "Multiply",
  "Multiplies a list of inputs element-wise; the shape is unchanged.",
  foldWith("mul"),
);

/** `Average()([a, b, ...])`: the element-wise mean, computed as Keras does: the sum, times 1/n. */
export const Average = defineElementwiseMerge(
  "Average",
  "Averages a list of inputs element-wise; the shape is unchanged.",
  (ctx, values) => ctx.emit("scale", [foldWith("add")(ctx, values)], { factor: 1 / values.length }),
);

/** `Maximum()([a, b, ...])`: the element-wise maximum. */
export const Maximum = defineElementwiseMerge(
  "Maximum",
  "The element-wise maximum of a list of inputs; the shape is unchanged.",
  foldWith("maximum"),
);

/** `Minimum()([a, b, ...])`: the element-wise minimum. */
export const Minimum = defineElementwiseMerge(
  "Minimum",
  "The element-wise minimum of a list of inputs; the shape is unchanged.",
  foldWith("minimum"),
);

/**
 * `Concatenate(axis=-1)([a, b, ...])`: inputs of one rank, equal on every axis but `axis`, joined along it.
 * As in Keras 2, the output takes the first input's dims off the axis; on it, the sum (None unless every
 * size is known).
 */
export const Concatenate = defineLayer({
  name: "Concatenate",
  family: "merge",
  summary: "Concatenates a list of inputs along an axis; the other dimensions must agree.",
  schema: defineSchema(
    {
      axis: arg.int({
        default: -1,
        doc: "the axis to concatenate along; negative counts from the last axis, 0 (the batch) is not allowed",
      }),
    },
    {
      check: (a, problems) => {
        if (a.axis === 0) {
          problems.report(
            "axis",
            "axis 0 is the batch axis; Concatenate joins the features of each sample",
            "use axis=-1 (the last axis, the default) or another axis from 1",
          );
        }
      },
    },
  ),
  inputArity: AT_LEAST_TWO,
  supportsMasking: true,
  inferOutputs(args, inputs, ctx) {
    const first = inputs[0];
    if (!first) return null;
    const rank = first.shape.length;
    if (rank < 2) {
      ctx.inputMismatch(0, "an input of rank 2 or more (batch, ..., features)");
      return null;
    }
    const axis = args.axis < 0 ? rank + args.axis : args.axis;
    if (axis <= 0 || axis >= rank) {
      ctx.argumentMismatch(
        "axis",
        axis === 0
          ? `axis ${args.axis} is the batch axis of the ${rankName(rank)} inputs ${formatShape(first.shape)}`
          : `axis ${args.axis} is out of range for the ${rankName(rank)} inputs ${formatShape(first.shape)}`,
        `concatenate along an axis from 1 to ${rank - 1}, or from -1 to -${rank - 1}`,
      );
      return null;
    }
    const shapes = inputs.map((t) => t.shape);
    const unified = unifyAllShapes(shapes, [axis]);
    if (!unified.ok) {
      reportConcatenateClash(shapes, unified, axis, ctx);
      return null;
    }
    const sizes = shapes.map((s) => s[axis]!);
    const total = sizes.every(isKnownDim) ? sizes.reduce((sum, size) => sum + size, 0) : null;
    return mergedOutput(
      inputs,
      first.shape.map((d, i) => (i === axis ? total : d)),
    );
  },
  lower(args, [first], _outputs, ctx) {
    const rank = first?.shape.length ?? 0;
    return [ctx.emit("concat", ctx.inputs, { axis: args.axis < 0 ? rank + args.axis : args.axis })];
  },
});

/** A Concatenate input of another rank, or one that differs from an earlier input off the axis. */
function reportConcatenateClash(
  shapes: readonly Shape[],
  failure: Exclude<ReturnType<typeof unifyAllShapes>, { ok: true }>,
  axis: number,
  ctx: ShapeContext,
): void {
  const index = failure.index ?? 1;
  const first = shapes[0]!;
  if (failure.reason === "rank") {
    ctx.inputMismatch(
      index,
      `a ${rankName(first.length)} input like input 1, ${formatShape(first)},`,
      "Concatenate joins inputs of the same rank",
    );
    return;
  }
  // The unified dim is some earlier input's dim, so one of them clashes with this input on its own.
  const at = failure.axis;
  const here = shapes[index]![at] ?? null;
  const j = Math.max(
    0,
    shapes.findIndex((s, i) => i < index && unifyDims(s[at] ?? null, here) === undefined),
  );
  ctx.inputMismatch(
    index,
    `the same shape as input ${j + 1}, ${formatShape(shapes[j]!)}, outside the concatenation axis ${axis},`,
    `Concatenate joins inputs that agree on every other axis: axis ${at} is ${formatDim(here)} here but ${formatDim(shapes[j]![at] ?? null)} in input ${j + 1}`,
  );
}

/**
 * `Dot(axes, normalize=False)([a, b])`: for each sample, the sum of products of `a` along axes[0] with `b`
 * along axes[1] (an int means the same axis of both; negative counts from the end; never the batch). As
 * Keras 2's `Dot.compute_output_shape`: a's dims without its axis, then b's without its axis and batch —
 * (batch, 1) when nothing else is left. The contracted sizes must agree. The mask ends here (Keras's
 * `Dot.compute_mask` returns None).
 */
export const Dot = defineLayer({
  name: "Dot",
  family: "merge",
  summary:
    "Dot product of the samples of two inputs along an axis of each (cosine proximity when normalized).",
  schema: defineSchema(
    {
      axes: arg.intTuple(2, {
        doc: "integer or tuple of 2 integers: the axis of each input to multiply along; negative counts from the last",
      }),
      normalize: arg.bool({
        default: false,
        doc: "whether to L2-normalise both inputs along the axes first, giving the cosine proximity",
      }),
    },
    {
      check: (a, problems) => {
        if (a.axes.includes(0)) {
          problems.report(
            "axes",
            "axis 0 is the batch axis; Dot multiplies the features of each sample",
            "use axes=1, axes=-1, or a pair such as (1, 2)",
          );
        }
      },
    },
  ),
  inputArity: { min: 2, max: 2 },
  supportsMasking: true,
  inferOutputs(args, inputs, ctx) {
    const [a, b] = inputs;
    if (!a || !b) return null;
    const axes = dotAxes(args.axes, [a.shape, b.shape], ctx);
    if (!axes) return null;
    const [axisA, axisB] = axes;
    const batch = unifyDims(a.shape[0]!, b.shape[0]!);
    if (batch === undefined) {
      ctx.inputMismatch(
        1,
        `the batch size of input 1, ${formatDim(a.shape[0]!)},`,
        "Dot multiplies sample by sample: both inputs need the same batch size",
      );
      return null;
    }
    if (unifyDims(a.shape[axisA]!, b.shape[axisB]!) === undefined) {
      ctx.inputMismatch(
        1,
        `a size of ${formatDim(a.shape[axisA]!)} on axis ${axisB}, the size of axis ${axisA} of input 1, ${formatShape(a.shape)},`,
        `Dot multiplies input 1 along axis ${axisA} with input 2 along axis ${axisB}: the two sizes must be equal`,
      );
      return null;
    }
    const inner = [
      ...a.shape.filter((_, i) => i !== 0 && i !== axisA),
      ...b.shape.filter((_, i) => i !== 0 && i !== axisB),
    ];
    return [{ shape: [batch, ...(inner.length === 0 ? [1] : inner)], dtype: a.dtype, masked: false }];
  },
  flops(args, inputs, [output]) {
    const [a, b] = inputs;
    if (!a || !b || !output) return null;
    const contracted =
      unifyDims(
        a.shape[resolveAxis(args.axes[0]!, a.shape.length)]!,
        b.shape[resolveAxis(args.axes[1]!, b.shape.length)]!,
      ) ?? null;
    const outputs = knownProduct(output.shape.slice(1));
    if (!isKnownDim(contracted) || outputs === null) return null;
    // Each output value sums `contracted` products: a multiply-add each.
    const products = 2 * contracted * outputs;
    if (!args.normalize) return products;
    // L2 normalisation: a multiply-add per value for the sum of squares, then one scaling per value.
    const sizes = [knownProduct(a.shape.slice(1)), knownProduct(b.shape.slice(1))];
    return sizes.every((n) => n !== null) ? products + 3 * (sizes[0]! + sizes[1]!) : null;
  },
  lower(args, [a, b], _outputs, ctx) {
    const axes = [
      resolveAxis(args.axes[0]!, a?.shape.length ?? 0),
      resolveAxis(args.axes[1]!, b?.shape.length ?? 0),
    ] as const;
    return [ctx.emit("batchDot", ctx.inputs, { axes, normalize: args.normalize })];
  },
});

/** An axis of a rank-`rank` tensor, a negative one counted from the end (-1: the last). */
function resolveAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

/**
 * Dot's `axes` resolved against each input, or null after reporting an input of rank < 2 or an axis
 * outside it (or on its batch).
 */
function dotAxes(
  axes: readonly number[],
  shapes: readonly [Shape, Shape],
  ctx: ShapeContext,
): readonly [number, number] | null {
  const resolved = shapes.map((shape, i) => resolveAxis(axes[i]!, shape.length));
  for (const [i, shape] of shapes.entries()) {
    const axis = resolved[i]!;
    if (axis > 0 && axis < shape.length) continue;
    ctx.argumentMismatch(
      "axes",
      `axis ${axes[i]} of input ${i + 1} is ${axis === 0 ? "its batch axis" : "out of range"} for the ${rankName(shape.length)} input ${formatShape(shape)}`,
      shape.length < 2
        ? "Dot needs inputs of rank 2 or more (batch, ..., features)"
        : `use an axis from 1 to ${shape.length - 1}, or from -1 to -${shape.length - 1}`,
    );
    return null;
  }
  return [resolved[0]!, resolved[1]!];
}

/** The merge layers, in the reference's order, for the registry. */
export const mergeLayers: readonly LayerDef[] = [
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  Dot,
];
