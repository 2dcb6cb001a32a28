// The contract every layer definition fulfils: declared once (STYLE.md "Declare each layer once") with
// its argument schema, shape rule and weight specs. The registry (registry.ts) collects them.
import type { ArgValue, Dim, Shape, TensorType } from "../../ir/graph.js";
import type { OpAttrs, OpName } from "../../runtime/program.js";
import type { ArgSchema } from "./schema.js";

export type LayerFamily =
  | "core"
  | "convolutional"
  | "pooling"
  | "locally-connected"
  | "recurrent"
  | "embeddings"
  | "merge"
  | "advanced-activations"
  | "normalization"
  | "noise"
  | "wrappers";

export interface WeightSpec {
  /** Keras's weight name: kernel, bias, recurrent_kernel, gamma, ... */
  readonly name: string;
  /** Concrete shape; a null dim means the input's size was unknown, so the count is unknown too. */
  readonly shape: readonly Dim[];
  readonly trainable: boolean;
  /** The initializer argument value (a name string or a ConfigObject). */
  readonly initializer: ArgValue;
}

/**
 * How a layer reports a shape problem. The inference driver turns each report into a diagnostic
 * pointing at the layer's source, naming what was received and which upstream layer produced it.
 */
export interface ShapeContext {
  /** Input `index` does not have the shape the layer needs; `expected` says what it needs, e.g. "a 2D input (batch, features)". */
  inputMismatch(index: number, expected: string, hint?: string): void;
  /** Argument `arg` cannot work with these inputs (e.g. Reshape's target_shape does not divide the input size). */
  argumentMismatch(arg: string, message: string, hint?: string): void;
}

/** A value inside a layer's lowering: one of the layer's inputs or a step's output (made by the context only). */
export interface LowerValue {
  readonly slot: number;
}

/**
 * What a layer's `lower` writes its steps through. The lowering driver (src/compiler/5-lower) assigns
 * slots, qualifies weight names with the layer's name and reports problems as diagnostics.
 */
export interface LowerContext {
  /** The values of the layer's inputs, in order. */
  readonly inputs: readonly LowerValue[];
  /**
   * Appends a step running `op` on `inputs` and on the layer's weights named as in `weights()` ("kernel",
   * "bias"); returns the step's output.
   */
  emit<K extends OpName>(
    op: K,
    inputs: readonly LowerValue[],
    attrs: OpAttrs[K],
    weights?: readonly string[],
  ): LowerValue;
  /** This configuration cannot execute (e.g. a Reshape with two dims unknown until run time): says why. */
  cannotLower(reason: string): void;
  /**
   * The masks of the layer's inputs, by input: a (batch, timesteps) value (float32 1/0, or bool; nonzero
   * is kept), or null for an input without one.
   */
  readonly inputMasks: readonly (LowerValue | null)[];
  /**
   * Declares the mask of output `index` (null: none). A layer that declares nothing and supports masking
   * passes its first input's mask on to its masked outputs (Keras's default `compute_mask`).
   */
  setOutputMask(index: number, mask: LowerValue | null): void;
  /** Like `emit`, for an op with `count` outputs (a recurrent layer's output and states): returns them all. */
  emitMany<K extends OpName>(
    op: K,
    inputs: readonly LowerValue[],
    attrs: OpAttrs[K],
    weights: readonly string[],
    count: number,
  ): LowerValue[];
}

export interface LayerDef {
  /** The class name users write, e.g. "Dense". */
  readonly name: string;
  readonly family: LayerFamily;
  /** One line for docs and `did you mean`. */
  readonly summary: string;
  readonly schema: ArgSchema;
  /** How many input tensors an application takes (Input: 0..0, Dense: 1..1, Add: 2..Infinity). */
  readonly inputArity: { readonly min: number; readonly max: number };
  /**
   * Whether the layer accepts a masked input (Keras's `supports_masking`). A mask reaching a layer without
   * it is an error; whether the output stays masked is up to `inferOutputs`.
   */
  readonly supportsMasking: boolean;
  /**
   * The input shape (batch first) this layer declares as the first layer of a Sequential model, for layers
   * with their own spellings (`input_length`, Embedding); others use the base keywords (`baseDeclaredInputShape`).
   */
  declaredInputShape?(args: Readonly<Record<string, ArgValue>>): Shape | undefined;
  /**
   * The output types for validated, defaulted `args` and typed inputs, or null after reporting
   * through `ctx` why the inputs do not fit.
   */
  inferOutputs(
    args: Readonly<Record<string, ArgValue>>,
    inputs: readonly TensorType[],
    ctx: ShapeContext,
  ): readonly TensorType[] | null;
  /**
   * The layer's weights for these args and inputs (empty for weightless layers), in Keras's get_weights()
   * order: the arrays of a `weights=` argument are matched to them by position.
   */
  weights(args: Readonly<Record<string, ArgValue>>, inputs: readonly TensorType[]): readonly WeightSpec[];
  /**
   * Floating-point operations for ONE sample at inference (a multiply-add counts 2), or null when a
   * dimension it depends on is unknown. Layers that only move data (Reshape, Dropout at inference) count 0.
   */
  flops(
    args: Readonly<Record<string, ArgValue>>,
    inputs: readonly TensorType[],
    outputs: readonly TensorType[],
  ): number | null;
  /**
   * The runtime steps computing the layer for these typed inputs and outputs (STYLE.md "Declare each layer
   * once": a layer's lowering lives in its definition), emitted through `ctx`; returns the values of its
   * outputs, or null after `ctx.cannotLower`. A layer without it cannot be executed yet.
   */
  lower?(
    args: Readonly<Record<string, ArgValue>>,
    inputs: readonly TensorType[],
    outputs: readonly TensorType[],
    ctx: LowerContext,
  ): readonly LowerValue[] | null;
}
