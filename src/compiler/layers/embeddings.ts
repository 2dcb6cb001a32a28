// The embeddings family of the Keras 2 reference (嵌入层): Embedding, which turns word indices into dense
// vectors — the one layer that declares its own input (int32 indices of length `input_length`).
import { unifyDims } from "../../ir/dims.js";
import { arg } from "./arg.js";
import { baseDeclaredInputShape, batchSizeOf, DTYPES } from "./base-args.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef } from "./layer.js";
import { defineSchema } from "./schema.js";
import { formatDim, formatShape } from "./shape-utils.js";

/**
 * `Embedding(input_dim, output_dim, ..., mask_zero=False, input_length=None)`: (batch, sequence_length)
 * indices → (batch, sequence_length, output_dim). One weight, `embeddings` (input_dim, output_dim).
 * mask_zero=True masks index 0, so every later layer must take the mask.
 */
export const Embedding = defineLayer({
  name: "Embedding",
  family: "embeddings",
  summary: "Turns positive integers (indices) into dense vectors of a fixed size.",
  schema: defineSchema({
    // Embedding's own input_dim (the vocabulary size) shadows the base first-layer keyword of that name.
    input_dim: arg.int({ min: 0, doc: "integer >= 0, the vocabulary size: the largest index + 1" }),
    output_dim: arg.int({ min: 1, doc: "integer > 0, the size of each embedding vector" }),
    embeddings_initializer: arg.initializer({ default: "uniform", doc: "initializer of the embeddings" }),
    embeddings_regularizer: arg.regularizer({ doc: "regularizer of the embeddings" }),
    activity_regularizer: arg.regularizer({ doc: "regularizer of the output" }),
    embeddings_constraint: arg.constraint({ doc: "constraint on the embeddings" }),
    mask_zero: arg.bool({
      default: false,
      doc: "whether index 0 is padding to mask out; later layers must then take masks",
    }),
    input_length: arg.optional(arg.int({ min: 1 }), {
      doc: "the length of the input sequences when it is fixed (needed for Flatten then Dense)",
    }),
    // Keras 2 forces the Embedding's input to int32 (indices), whatever the base `dtype` says.
    dtype: arg.withNoneAs(arg.enumOf(DTYPES), "int32", {
      default: "int32",
      keywordOnly: true,
      doc: "the input's element type: int32, the indices",
    }),
  }),
  inputArity: { min: 1, max: 1 },
  // Keras 2's Embedding overrides compute_mask, so an incoming mask is never refused: it is replaced by
  // mask_zero's own (or dropped).
  supportsMasking: true,
  /** As Keras: input_shape / batch_input_shape when given, else (batch_size, input_length). */
  declaredInputShape(args) {
    return baseDeclaredInputShape({ ...args, input_dim: null }) ?? [batchSizeOf(args), args.input_length];
  },
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    if (input.shape.length !== 2) {
      ctx.inputMismatch(
        0,
        "a 2D input (batch, sequence_length) of indices",
        input.shape.length === 3 && input.shape[2] === 1 ? "drop the trailing axis of size 1" : undefined,
      );
      return null;
    }
    const batch = input.shape[0]!;
    const length = input.shape[1]!;
    const unified = args.input_length === null ? length : unifyDims(args.input_length, length);
    if (unified === undefined) {
      ctx.argumentMismatch(
        "input_length",
        `input_length is ${args.input_length}, but the input ${formatShape(input.shape)} has sequences of length ${formatDim(length)}`,
        "input_length must be the input's sequence length (or be left out)",
      );
      return null;
    }
    return [{ shape: [batch, unified, args.output_dim], dtype: "float32", masked: args.mask_zero }];
  },
  weights: (args) => [weight("embeddings", [args.input_dim, args.output_dim], args.embeddings_initializer)],
  // The rows of `embeddings` at the indices; mask_zero masks index 0 (Keras: mask = x != 0), and any
  // incoming mask is replaced.
  lower(args, _inputs, _outputs, ctx) {
    const x = ctx.inputs[0]!;
    ctx.setOutputMask(0, args.mask_zero ? ctx.emit("notEqualMask", [x], { value: 0, anyLast: false }) : null);
    return [ctx.emit("gather", [x], {}, ["embeddings"])];
  },
});

/** The embedding layers, for the registry. */
export const embeddingLayers: readonly LayerDef[] = [Embedding];
