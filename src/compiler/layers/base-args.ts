// The keyword arguments every Keras 2 layer accepts through its base class (`**kwargs`), and the input
// shape they declare when a layer is the first of a Sequential model.
import type { ArgValue, Shape } from "../../ir/graph.js";
import { invalidArgument } from "../diagnostics/catalogue/args.js";
import type { Span } from "../source.js";
import { bool, enumOf, int, optional, string } from "./arg-scalars.js";
import { numberData, type ShapeDim, type ShapeValue, shape } from "./arg-shapes.js";
import { type ArgSpec, type ArgsOf, defineSchema } from "./schema.js";
import type { CommonOptions } from "./spec-core.js";

/** The tensor element types a layer or Input may declare (the IR's DType without bool). */
export const DTYPES = ["float32", "int32"] as const;

/**
 * Where each bound `weights=` list was written: the list and each of its arrays. The IR keeps argument
 * values, not their spans, so the lowering (which knows the layer's weights only once the input shapes are
 * known) finds them here by the bound list itself; a list made without binding has no entry.
 */
const weightListSpans = new WeakMap<readonly ArgValue[], { list: Span; arrays: readonly Span[] }>();

/**
 * The `weights` argument: a list of arrays (nested lists of numbers, each rectangular; a bare number is
 * a 0-d array), one per weight of the layer. Count and shapes are checked against the layer's weights
 * where they are known (lowering); here only that each array is rectangular.
 */
export function weightList(options: CommonOptions<readonly ArgValue[]> = {}): ArgSpec<readonly ArgValue[]> {
  const data = numberData(options);
  return {
    ...data,
    expected: "a list of arrays of numbers, one per weight",
    convert: (input, check) => {
      const value = data.convert(input, check);
      if (value === undefined || input.kind !== "sequence") return value;
      let ok = true;
      value.forEach((array, index) => {
        if (arrayShape(array)) return;
        ok = false;
        const why = `\`weights[${index}]\` is not an array: its rows differ in length or nesting`;
        check.report(invalidArgument(input.items[index]!.span, check.owner, check.arg, why));
      });
      if (!ok) return undefined;
      weightListSpans.set(value, { list: input.span, arrays: input.items.map((item) => item.span) });
      return value;
    },
  };
}

/** One array of a `weights=` list: its shape, its values in C order and where it was written. */
export interface GivenWeightArray {
  readonly shape: readonly number[];
  readonly values: readonly number[];
  readonly span: Span;
}

/** A bound `weights=` list, its arrays flattened; spans fall back to `fallback` for a list not bound from source. */
export function givenWeights(
  value: readonly ArgValue[],
  fallback: Span,
): { readonly span: Span; readonly arrays: readonly GivenWeightArray[] } {
  const spans = weightListSpans.get(value);
  return {
    span: spans?.list ?? fallback,
    arrays: value.map((array, index) => {
      const shape = arrayShape(array);
      if (!shape) throw new Error(`weights[${index}] is not a rectangular array of numbers`);
      const values: number[] = [];
      flatten(array, values);
      return { shape, values, span: spans?.arrays[index] ?? fallback };
    }),
  };
}

/** The shape of a nested list of numbers (a number: ()), or undefined when it is ragged or not numbers. */
export function arrayShape(value: ArgValue): number[] | undefined {
  if (typeof value === "number") return [];
  if (!Array.isArray(value)) return undefined;
  const items = value as readonly ArgValue[];
  const shapes = items.map(arrayShape);
  const inner = shapes[0] ?? [];
  const same = (shape: number[] | undefined) =>
    shape !== undefined && shape.length === inner.length && shape.every((d, i) => d === inner[i]);
  return shapes.every(same) ? [items.length, ...inner] : undefined;
}

function flatten(value: ArgValue, into: number[]): void {
  if (typeof value === "number") into.push(value);
  else for (const item of value as readonly ArgValue[]) flatten(item, into);
}

/**
 * Keras 2's base Layer kwargs (`name`, `trainable`, `input_shape`, `batch_input_shape`, `batch_size`,
 * `dtype`, `weights`) plus `input_dim`, the older first-layer spelling of `input_shape=(input_dim,)`
 * that the reference still shows. All keyword-only.
 */
export const baseArgsSchema = defineSchema(
  {
    name: optional(string(), { keywordOnly: true, doc: "the layer's unique name (default: type_N)" }),
    trainable: bool({
      default: true,
      keywordOnly: true,
      doc: "whether the layer's weights are updated in training",
    }),
    input_shape: optional(shape(), {
      keywordOnly: true,
      doc: "first layer only: the input shape without the batch dimension",
    }),
    batch_input_shape: optional(shape(), {
      keywordOnly: true,
      doc: "first layer only: the input shape including the batch dimension",
    }),
    batch_size: optional(int({ min: 1 }), {
      keywordOnly: true,
      doc: "first layer only: a fixed batch size to go with input_shape",
    }),
    input_dim: optional(int({ min: 1 }), {
      keywordOnly: true,
      doc: "first layer only: older spelling of input_shape=(input_dim,)",
    }),
    dtype: optional(enumOf(DTYPES), { keywordOnly: true, doc: "the layer's element type (default float32)" }),
    weights: optional(weightList(), {
      keywordOnly: true,
      doc: "initial weight values: one array per weight, in the layer's get_weights() order",
    }),
  },
  { baseArgs: false },
);

export type BaseArgs = ArgsOf<typeof baseArgsSchema.args>;

/** Names of the base keywords, for "did you mean" over every argument a layer accepts. */
export const BASE_ARG_NAMES: readonly string[] = Object.keys(baseArgsSchema.args);

/** A shape argument entry as an IR dimension: a symbolic dim becomes its name. */
export function shapeDimToDim(dim: ShapeDim): number | string | null {
  return dim === null || typeof dim === "number" ? dim : dim.dim;
}

/**
 * The full input shape (batch first) a first layer declares through the base keywords, as Keras derives it:
 * `batch_input_shape` wins; otherwise `input_shape` (or the older `input_dim`, meaning `(input_dim,)`)
 * behind `batch_size` (None when absent). Undefined when the layer declares none. Layers with their own
 * spellings (recurrent `input_length`, Embedding) override this through `LayerDef.declaredInputShape`.
 */
export function baseDeclaredInputShape(args: Readonly<Record<string, ArgValue>>): Shape | undefined {
  const batchInputShape = asShapeValue(args.batch_input_shape);
  if (batchInputShape) return batchInputShape.map(shapeDimToDim);
  const inner =
    asShapeValue(args.input_shape) ?? (typeof args.input_dim === "number" ? [args.input_dim] : undefined);
  return inner ? [batchSizeOf(args), ...inner.map(shapeDimToDim)] : undefined;
}

/** The `batch_size` keyword as a leading dimension (None when absent). */
export function batchSizeOf(args: Readonly<Record<string, ArgValue>>): number | null {
  return typeof args.batch_size === "number" ? args.batch_size : null;
}

/** A bound shape argument, or undefined for None/absent. */
export function asShapeValue(value: ArgValue | undefined): ShapeValue | undefined {
  return Array.isArray(value) ? (value as ShapeValue) : undefined;
}
