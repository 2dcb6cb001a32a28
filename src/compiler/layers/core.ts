// The core family of the Keras 2 reference (常用层 Core): Input, Dense, Activation, Dropout, Flatten,
// Reshape, Permute, RepeatVector — each declared once: schema, mask behaviour, shape rule, weights.
import type { Dim } from "../../ir/graph.js";
import { emitActivation, emitWithActivation } from "../5-lower/activation.js";
import { arg } from "./arg.js";
import { asShapeValue, DTYPES, shapeDimToDim } from "./base-args.js";
import { defineLayer, sameAsInput, weight } from "./define-layer.js";
import type { LayerDef, LowerContext, LowerValue } from "./layer.js";
import { defineSchema } from "./schema.js";
import {
  dimsCompatible,
  firstUnknownDim,
  formatDim,
  formatProduct,
  formatShape,
  isKnownDim,
  knownProduct,
  rankName,
  symbolicProduct,
} from "./shape-utils.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/** `Input(shape=(784,))`: a model input. `shape` excludes the batch dimension, `batch_shape` includes it. */
export const Input = defineLayer({
  name: "Input",
  family: "core",
  summary: "A model input: a tensor of the given shape (batch dimension excluded) and dtype.",
  schema: defineSchema(
    {
      shape: arg.optional(arg.shape(), { doc: "the input shape without the batch dimension, e.g. (784,)" }),
      batch_shape: arg.optional(arg.shape(), { doc: "the input shape including the batch dimension" }),
      name: arg.optional(arg.string(), { doc: "the input's name" }),
      dtype: arg.withNoneAs(arg.enumOf(DTYPES), "float32", {
        default: "float32",
        doc: "element type: float32 (default) or int32",
      }),
      sparse: arg.bool({ default: false, doc: "whether the input is a sparse tensor" }),
      tensor: arg.noneOnly("a model file cannot wrap an existing tensor", {
        doc: "an existing tensor to wrap",
      }),
      batch_size: arg.optional(arg.int({ min: 1 }), { keywordOnly: true, doc: "a fixed batch size" }),
    },
    {
      baseArgs: false,
      check: (a, problems) => {
        if (a.shape === null && a.batch_shape === null) {
          problems.report("shape", "Input needs `shape` or `batch_shape`", "e.g. Input(shape=(784,))");
        } else if (a.shape !== null && a.batch_shape !== null) {
          problems.report("batch_shape", "give `shape` or `batch_shape`, not both");
        } else if (a.batch_shape !== null && a.batch_size !== null) {
          problems.report("batch_size", "`batch_shape` already fixes the batch size; give one of them");
        }
      },
    },
  ),
  inputArity: { min: 0, max: 0 },
  supportsMasking: false,
  inferOutputs(args) {
    const batchShape = asShapeValue(args.batch_shape);
    const shape = asShapeValue(args.shape);
    const full = batchShape
      ? batchShape.map(shapeDimToDim)
      : shape
        ? [args.batch_size, ...shape.map(shapeDimToDim)]
        : undefined;
    return full ? [{ shape: full, dtype: args.dtype, masked: false }] : null;
  },
});

/** `Dense(units)`: output = activation(dot(input, kernel) + bias), on the last axis of an nD input. */
export const Dense = defineLayer({
  name: "Dense",
  family: "core",
  summary: "Fully connected layer: activation(dot(input, kernel) + bias) on the last axis.",
  schema: defineSchema({
    units: arg.int({ min: 1, doc: "positive integer, the output dimension" }),
    activation: arg.activation({ default: "linear", doc: "activation function (None: linear)" }),
    use_bias: arg.bool({ default: true, doc: "whether the layer adds a bias vector" }),
    kernel_initializer: arg.initializer({ default: "glorot_uniform", doc: "initializer of the kernel" }),
    bias_initializer: arg.initializer({ default: "zeros", doc: "initializer of the bias" }),
    kernel_regularizer: arg.regularizer({ doc: "regularizer of the kernel" }),
    bias_regularizer: arg.regularizer({ doc: "regularizer of the bias" }),
    activity_regularizer: arg.regularizer({ doc: "regularizer of the output" }),
    kernel_constraint: arg.constraint({ doc: "constraint on the kernel" }),
    bias_constraint: arg.constraint({ doc: "constraint on the bias" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    const lastDim = input.shape[input.shape.length - 1];
    if (input.shape.length < 2 || lastDim === undefined) {
      ctx.inputMismatch(0, "an input of rank 2 or more (batch, ..., features)");
      return null;
    }
    if (!isKnownDim(lastDim)) {
      ctx.inputMismatch(
        0,
        `a known last dimension (the features it connects), not ${formatDim(lastDim)}`,
        "give the input a fixed size on its last axis",
      );
      return null;
    }
    return [{ shape: [...input.shape.slice(0, -1), args.units], dtype: "float32", masked: input.masked }];
  },
  weights(args, [input]) {
    const inputDim: Dim = input?.shape[input.shape.length - 1] ?? null;
    return [
      weight("kernel", [inputDim, args.units], args.kernel_initializer),
      ...(args.use_bias ? [weight("bias", [args.units], args.bias_initializer)] : []),
    ];
  },
  flops(args, [input], [output]) {
    // Per output value: a dot product over the input features (a multiply-add each, 2 FLOPs), then one
    // addition for the bias and one operation for a non-linear activation — the convolutions' convention.
    const inputDim = input?.shape[input.shape.length - 1];
    const values = output ? knownProduct(output.shape.slice(1)) : null;
    if (values === null || inputDim === undefined || !isKnownDim(inputDim)) return null;
    return values * (2 * inputDim + (args.use_bias ? 1 : 0) + activationFlops(args.activation));
  },
  lower(args, [input], _outputs, ctx) {
    // Keras casts a non-float input (int32 indices) to float before the product.
    const x =
      input?.dtype === "float32" ? onlyInput(ctx) : ctx.emit("cast", [onlyInput(ctx)], { dtype: "float32" });
    const weights = args.use_bias ? ["kernel", "bias"] : ["kernel"];
    return [
      emitWithActivation(ctx, args.activation, (activation) =>
        ctx.emit("matMul", [x], { activation }, weights),
      ),
    ];
  },
});

/** Operations per value of a named activation: none for `linear`, one for any other (as advanced activations count). */
function activationFlops(activation: string): number {
  return activation === "linear" ? 0 : 1;
}

/** `Activation("relu")`: applies an activation function; the shape is unchanged. */
export const Activation = defineLayer({
  name: "Activation",
  family: "core",
  summary: "Applies an activation function to its input.",
  schema: defineSchema({ activation: arg.activation({ doc: "the activation function's name" }) }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs: (_args, inputs) => sameAsInput(inputs),
  flops(args, _inputs, [output]) {
    const values = output ? knownProduct(output.shape.slice(1)) : null;
    return values === null ? null : values * activationFlops(args.activation);
  },
  lower: (args, _inputs, _outputs, ctx) => [emitActivation(ctx, onlyInput(ctx), args.activation)],
});

/** `Dropout(rate)`: zeroes a fraction of the inputs in training; the identity at inference. */
export const Dropout = defineLayer({
  name: "Dropout",
  family: "core",
  summary: "Randomly sets a fraction `rate` of the inputs to 0 during training.",
  schema: defineSchema({
    rate: arg.float({ min: 0, max: 1, maxExclusive: true, doc: "fraction of the inputs to drop, in [0, 1)" }),
    noise_shape: arg.optional(arg.shape(), {
      doc: "shape of the binary dropout mask, batch included, e.g. (batch_size, 1, features)",
    }),
    seed: arg.optional(arg.int(), { doc: "random seed" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, inputs, ctx) {
    const input = inputs[0];
    const noiseShape = asShapeValue(args.noise_shape)?.map(shapeDimToDim);
    if (!input || !noiseShape) return sameAsInput(inputs);
    if (noiseShape.length !== input.shape.length) {
      ctx.argumentMismatch(
        "noise_shape",
        `noise_shape ${formatShape(noiseShape)} has ${noiseShape.length} dimensions but the input ${formatShape(input.shape)} has ${input.shape.length}`,
        "noise_shape includes the batch dimension, e.g. (None, 1, features)",
      );
      return null;
    }
    // Each mask dimension broadcasts over the input: it must be 1 or the input's size.
    const clash = noiseShape.findIndex((d, i) => d !== 1 && !dimsCompatible(d, input.shape[i]!));
    if (clash >= 0) {
      ctx.argumentMismatch(
        "noise_shape",
        `noise_shape ${formatShape(noiseShape)} does not broadcast to the input ${formatShape(input.shape)}: dimension ${clash} is ${formatDim(noiseShape[clash]!)}, not 1 or ${formatDim(input.shape[clash]!)}`,
      );
      return null;
    }
    return [input];
  },
  lower(args, _inputs, _outputs, ctx) {
    // A None (or symbolic) mask dim takes the input's size at run time, as in Keras's _get_noise_shape.
    const noiseShape =
      asShapeValue(args.noise_shape)?.map((d) => {
        const dim = shapeDimToDim(d);
        return typeof dim === "number" ? dim : null;
      }) ?? null;
    return [ctx.emit("dropout", [onlyInput(ctx)], { rate: args.rate, noiseShape, seed: args.seed })];
  },
});

/** `Flatten()`: (batch, d1, d2, ...) → (batch, d1*d2*...); every dimension after the batch must be known. */
export const Flatten = defineLayer({
  name: "Flatten",
  family: "core",
  summary: "Flattens the input to (batch, d1*d2*...); the batch size is unchanged.",
  schema: defineSchema({
    data_format: arg.dataFormat({
      doc: "channels_last (default) or channels_first: the order the values are flattened in",
    }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: false,
  inferOutputs(_args, [input], ctx) {
    if (!input) return null;
    if (input.shape.length < 3) {
      ctx.inputMismatch(
        0,
        "an input of rank 3 or more (batch, d1, d2, ...)",
        input.shape.length === 2 ? "a 2D (batch, features) input is already flat: remove Flatten" : undefined,
      );
      return null;
    }
    const inner = input.shape.slice(1);
    const unknown = firstUnknownDim(inner);
    if (unknown) {
      ctx.inputMismatch(
        0,
        `every dimension after the batch to be known, but dimension ${unknown.index + 1} is ${formatDim(unknown.dim)}`,
        "give the first layer a complete input_shape",
      );
      return null;
    }
    return [{ shape: [input.shape[0]!, knownProduct(inner)!], dtype: input.dtype, masked: false }];
  },
  lower(args, [input], _outputs, ctx) {
    let x = onlyInput(ctx);
    if (args.data_format === "channels_first") {
      // Keras moves the channels last before flattening, so the order matches a channels_last model's.
      const rank = input?.shape.length ?? 0;
      const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
      x = ctx.emit("transpose", [x], { perm: [0, ...spatial, 1] });
    }
    return [ctx.emit("reshape", [x], { shape: [0, -1] })];
  },
});

/** `Reshape(target_shape)`: (batch,) + target_shape, with one -1 inferred from the input size. */
export const Reshape = defineLayer({
  name: "Reshape",
  family: "core",
  summary: "Reshapes the input to (batch,) + target_shape; one -1 is inferred.",
  schema: defineSchema({
    target_shape: arg.shape({
      allowNone: false,
      allowInferred: true,
      doc: "the output shape without the batch dimension; one entry may be -1",
    }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: false,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    const target = args.target_shape.map(shapeDimToDim);
    const output = reshapeTarget(input.shape, target, ctx);
    return output ? [{ shape: [input.shape[0]!, ...output], dtype: input.dtype, masked: false }] : null;
  },
  lower(args, _inputs, _outputs, ctx) {
    const target = args.target_shape.map(shapeDimToDim);
    // The runtime infers one size (-1); a symbolic dim can be that one, but only if it is the only unknown.
    const unknown = target.filter((d) => typeof d !== "number" || d === -1);
    if (unknown.length > 1) {
      ctx.cannotLower(
        `target_shape ${formatShape(target)} has ${unknown.length} sizes known only at run time; the runtime infers one`,
      );
      return null;
    }
    // 0 keeps the batch size.
    const shape = [0, ...target.map((d) => (typeof d === "number" ? d : -1))];
    return [ctx.emit("reshape", [onlyInput(ctx)], { shape })];
  },
});

/**
 * The non-batch output dims of Reshape, or null after reporting. Sizes are compared as exact products
 * (`4*T`), so symbolic dims pass through when they can be proved to; an input with a None dim cannot be
 * checked, and -1 then stays unknown (as in Keras).
 */
function reshapeTarget(
  inputShape: readonly Dim[],
  target: readonly Dim[],
  ctx: { argumentMismatch(arg: string, message: string, hint?: string): void },
): readonly Dim[] | null {
  const inputDims = inputShape.slice(1);
  const inferredAt = target.indexOf(-1);
  const given = target.filter((_, i) => i !== inferredAt);
  const have = symbolicProduct(inputDims);
  const want = symbolicProduct(given);
  if (have.unknown) return target.map((d) => (d === -1 ? null : d));

  const inputText = `the input ${formatShape(inputShape)} holds ${formatProduct(have)} per sample`;
  const remaining = [...have.symbols];
  const symbolsCovered = want.symbols.every((s) => {
    const at = remaining.indexOf(s);
    if (at >= 0) remaining.splice(at, 1);
    return at >= 0;
  });
  if (inferredAt < 0) {
    if (symbolsCovered && remaining.length === 0 && have.known === want.known) return target;
    ctx.argumentMismatch(
      "target_shape",
      `target_shape ${formatShape(target)} holds ${formatProduct(want)} values, but ${inputText}`,
      "the product of the target dimensions must equal the input size",
    );
    return null;
  }
  if (!symbolsCovered || have.known % want.known !== 0) {
    ctx.argumentMismatch(
      "target_shape",
      `cannot infer -1 in target_shape ${formatShape(target)}: ${inputText}, not a multiple of ${formatProduct(want)}`,
    );
    return null;
  }
  const knownPart = have.known / want.known;
  // The inferred size is representable as a Dim only when it is a plain number or a single symbol.
  const inferred: Dim =
    remaining.length === 0 ? knownPart : remaining.length === 1 && knownPart === 1 ? remaining[0]! : null;
  return target.map((d, i) => (i === inferredAt ? inferred : d));
}

/** `Permute(dims)`: reorders the non-batch axes; dims are 1-based, a permutation of 1..rank-1. */
export const Permute = defineLayer({
  name: "Permute",
  family: "core",
  summary: "Permutes the non-batch dimensions of the input (1-based pattern).",
  schema: defineSchema(
    {
      dims: arg.intList({
        min: 1,
        allowScalar: false,
        doc: "the permutation of the non-batch axes, 1-based, e.g. (2, 1)",
      }),
    },
    {
      check: (a, problems) => {
        const sorted = [...a.dims].sort((x, y) => x - y);
        if (sorted.some((d, i) => d !== i + 1)) {
          problems.report(
            "dims",
            `(${a.dims.join(", ")}) is not a permutation of 1..${a.dims.length}`,
            "list each axis 1..n exactly once (indexing starts at 1, after the batch)",
          );
        }
      },
    },
  ),
  inputArity: ONE_INPUT,
  supportsMasking: false,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    if (input.shape.length !== args.dims.length + 1) {
      ctx.inputMismatch(
        0,
        `a ${rankName(args.dims.length + 1)} input (batch + ${args.dims.length} axes), to match dims (${args.dims.join(", ")})`,
      );
      return null;
    }
    return [
      {
        shape: [input.shape[0]!, ...args.dims.map((d) => input.shape[d]!)],
        dtype: input.dtype,
        masked: false,
      },
    ];
  },
  // dims are 1-based after the batch: with axis 0 in front they are the full permutation.
  lower: (args, _inputs, _outputs, ctx) => [
    ctx.emit("transpose", [onlyInput(ctx)], { perm: [0, ...args.dims] }),
  ],
});

/** `RepeatVector(n)`: (batch, features) → (batch, n, features). */
export const RepeatVector = defineLayer({
  name: "RepeatVector",
  family: "core",
  summary: "Repeats a 2D input n times: (batch, features) → (batch, n, features).",
  schema: defineSchema({ n: arg.int({ min: 1, doc: "positive integer, the number of repetitions" }) }),
  inputArity: ONE_INPUT,
  supportsMasking: false,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    if (input.shape.length !== 2) {
      ctx.inputMismatch(0, "a 2D input (batch, features)");
      return null;
    }
    const [batch, features] = input.shape as readonly [Dim, Dim];
    return [{ shape: [batch, args.n, features], dtype: input.dtype, masked: false }];
  },
  lower(args, _inputs, _outputs, ctx) {
    const expanded = ctx.emit("expandDims", [onlyInput(ctx)], { axis: 1 });
    return [ctx.emit("tile", [expanded], { reps: [1, args.n, 1] })];
  },
});

/** The value of a one-input layer's input. */
function onlyInput(ctx: LowerContext): LowerValue {
  return ctx.inputs[0]!;
}

/** The core layers, in the reference's order, for the registry. */
export const coreLayers: readonly LayerDef[] = [
  Input,
  Dense,
  Activation,
  Dropout,
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
];
