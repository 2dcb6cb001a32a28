// The normalization family of the Keras 2 reference (（批）规范化): BatchNormalization, and Keras 2.x's
// LayerNormalization. Both keep the input's shape and mask; their weights are sized by the normalised axes.
import type { Dim, TensorType } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef, ShapeContext, WeightSpec } from "./layer.js";
import { defineSchema } from "./schema.js";
import { formatDim, formatShape, isKnownDim, knownProduct, rankName } from "./shape-utils.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/**
 * The axes `axes` name in `input` (negative ones counted from the end), or null after reporting: each must
 * exist, must not be the batch, must be named once, and must have a known size (Keras sizes the weights by
 * it and refuses a None there).
 */
function normalizedAxes(
  axes: readonly number[],
  input: TensorType,
  ctx: ShapeContext,
): readonly number[] | null {
  const rank = input.shape.length;
  const resolved = axes.map((axis) => (axis < 0 ? rank + axis : axis));
  const bad = resolved.findIndex((axis) => axis <= 0 || axis >= rank);
  if (bad >= 0) {
    const written = axes[bad]!;
    ctx.argumentMismatch(
      "axis",
      resolved[bad] === 0
        ? `axis ${written} is the batch axis of the ${rankName(rank)} input ${formatShape(input.shape)}`
        : `axis ${written} is out of range for the ${rankName(rank)} input ${formatShape(input.shape)}`,
      `normalise along an axis from 1 to ${rank - 1}, or from -1 to -${rank - 1}`,
    );
    return null;
  }
  const repeated = resolved.findIndex((axis, i) => resolved.indexOf(axis) !== i);
  if (repeated >= 0) {
    ctx.argumentMismatch("axis", `axis ${axes[repeated]} names axis ${resolved[repeated]} a second time`);
    return null;
  }
  const unknown = resolved.find((axis) => !isKnownDim(input.shape[axis]!));
  if (unknown !== undefined) {
    ctx.inputMismatch(
      0,
      `a known size on the normalised axis ${unknown}, not ${formatDim(input.shape[unknown]!)}`,
      "the layer has one weight per position of that axis: give the input a fixed size there",
    );
    return null;
  }
  return resolved;
}

/** The input's dims on `axes` (null where unknown): the shape of the per-feature weights. */
function paramShape(axes: readonly number[], input: TensorType | undefined): Dim[] {
  const rank = input?.shape.length ?? 0;
  return axes.map((axis) => input?.shape[axis < 0 ? rank + axis : axis] ?? null);
}

/** The values per sample, for FLOP counts. */
function elementsPerSample(input: TensorType | undefined): number | null {
  return input ? knownProduct(input.shape.slice(1)) : null;
}

/**
 * The arguments BatchNormalization and LayerNormalization share, in the order both Keras signatures give
 * them (each spread where it stands in its own signature, so positional binding stays Keras's).
 */
const affineArgs = {
  epsilon: arg.float({
    min: 0,
    minExclusive: true,
    default: 1e-3,
    doc: "small float > 0 added to the variance to avoid dividing by zero",
  }),
  center: arg.bool({ default: true, doc: "whether to add the offset beta" }),
  scale: arg.bool({ default: true, doc: "whether to multiply by gamma" }),
  beta_initializer: arg.initializer({ default: "zeros", doc: "initializer of beta" }),
  gamma_initializer: arg.initializer({ default: "ones", doc: "initializer of gamma" }),
};

/**
 * `BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, ...)`: normalises each
 * feature on `axis` by batch statistics. Weights (Keras's order): gamma (scale), beta (center) — trainable —
 * and moving_mean, moving_variance — not trainable; each the size of the input on `axis`.
 */
export const BatchNormalization = defineLayer({
  name: "BatchNormalization",
  family: "normalization",
  summary: "Normalises the activations of the previous layer per feature: mean 0, standard deviation 1.",
  schema: defineSchema({
    axis: arg.int({
      default: -1,
      doc: 'the features axis to normalise, e.g. 1 after a data_format="channels_first" convolution',
    }),
    momentum: arg.float({ default: 0.99, doc: "momentum of the moving mean and variance" }),
    ...affineArgs,
    moving_mean_initializer: arg.initializer({ default: "zeros", doc: "initializer of the moving mean" }),
    moving_variance_initializer: arg.initializer({
      default: "ones",
      doc: "initializer of the moving variance",
    }),
    beta_regularizer: arg.regularizer({ doc: "regularizer of beta" }),
    gamma_regularizer: arg.regularizer({ doc: "regularizer of gamma" }),
    beta_constraint: arg.constraint({ doc: "constraint on beta" }),
    gamma_constraint: arg.constraint({ doc: "constraint on gamma" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    return normalizedAxes([args.axis], input, ctx) ? [input] : null;
  },
  weights(args, [input]) {
    const shape = paramShape([args.axis], input);
    return [
      ...(args.scale ? [weight("gamma", shape, args.gamma_initializer)] : []),
      ...(args.center ? [weight("beta", shape, args.beta_initializer)] : []),
      weight("moving_mean", shape, args.moving_mean_initializer, false),
      weight("moving_variance", shape, args.moving_variance_initializer, false),
    ];
  },
  // At inference the statistics fold into one scale and one shift per feature: a multiply-add per value.
  flops: (_args, [input]) => {
    const elements = elementsPerSample(input);
    return elements === null ? null : 2 * elements;
  },
  lower(args, [input], _outputs, ctx) {
    const [axis] = resolveAxes([args.axis], input);
    const { epsilon, center, scale } = args;
    const weights = [
      ...(scale ? ["gamma"] : []),
      ...(center ? ["beta"] : []),
      "moving_mean",
      "moving_variance",
    ];
    return [ctx.emit("batchNorm", [ctx.inputs[0]!], { axis: axis!, epsilon, center, scale }, weights)];
  },
});

/** `axes` counted from the front of `input` (validated by inferOutputs). */
function resolveAxes(axes: readonly number[], input: TensorType | undefined): number[] {
  const rank = input?.shape.length ?? 0;
  return axes.map((axis) => (axis < 0 ? rank + axis : axis));
}

/**
 * `LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True, ...)` (Keras 2.x): normalises each
 * sample over `axis` (an axis or a list of them). Weights gamma, beta shaped like the input on those axes.
 */
export const LayerNormalization = defineLayer({
  name: "LayerNormalization",
  family: "normalization",
  summary: "Normalises each sample over the given axes: mean 0, standard deviation 1, then gamma and beta.",
  schema: defineSchema({
    axis: arg.intList({ default: [-1], doc: "the axis or axes to normalise over (default: the last)" }),
    ...affineArgs,
    beta_regularizer: arg.regularizer({ doc: "regularizer of beta" }),
    gamma_regularizer: arg.regularizer({ doc: "regularizer of gamma" }),
    beta_constraint: arg.constraint({ doc: "constraint on beta" }),
    gamma_constraint: arg.constraint({ doc: "constraint on gamma" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    return normalizedAxes(args.axis, input, ctx) ? [input] : null;
  },
  weights(args, [input]): WeightSpec[] {
    const shape = paramShape(args.axis, input);
    return [
      ...(args.scale ? [weight("gamma", shape, args.gamma_initializer)] : []),
      ...(args.center ? [weight("beta", shape, args.beta_initializer)] : []),
    ];
  },
  // Per value: the mean (1 add), the variance (a subtraction and a multiply-add) and the normalisation (1
  // multiply) make 5; gamma and beta add 1 each.
  flops: (args, [input]) => {
    const elements = elementsPerSample(input);
    return elements === null ? null : elements * (5 + (args.scale ? 1 : 0) + (args.center ? 1 : 0));
  },
  lower(args, [input], _outputs, ctx) {
    const { epsilon, center, scale } = args;
    const weights = [...(scale ? ["gamma"] : []), ...(center ? ["beta"] : [])];
    const axes = resolveAxes(args.axis, input);
    return [ctx.emit("layerNorm", [ctx.inputs[0]!], { axes, epsilon, center, scale }, weights)];
  },
});

/** The normalization layers, for the registry. */
export const normalizationLayers: readonly LayerDef[] = [BatchNormalization, LayerNormalization];
