// The keyword arguments every Keras 2 layer accepts through its base class (`**kwargs`), and the input
// shape they declare when a layer is the first of a Sequential model.
import type { ArgValue, Shape } from "../../ir/graph.js";
import { bool, enumOf, int, optional, string } from "./arg-scalars.js";
import { numberData, type ShapeDim, type ShapeValue, shape } from "./arg-shapes.js";
import { type ArgsOf, defineSchema } from "./schema.js";

/** The tensor element types a layer or Input may declare (the IR's DType without bool). */
export const DTYPES = ["float32", "int32"] as const;

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
    weights: optional(numberData(), {
      keywordOnly: true,
      doc: "initial weight values, one array per weight",
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
