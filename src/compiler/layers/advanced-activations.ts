// The advanced-activations family of the Keras 2 reference (高级激活层): LeakyReLU, PReLU, ELU,
// ThresholdedReLU, and Keras 2.x's ReLU and Softmax layers. All keep the input's shape and pass its mask
// on; only PReLU has a weight (its learned slopes, `alpha`).
import type { TensorType } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { defineLayer, type LayerArgs, sameAsInput, weight } from "./define-layer.js";
import type { LayerDef, LowerContext, LowerValue } from "./layer.js";
import { type ArgSpecs, defineSchema } from "./schema.js";
import { formatDim, formatShape, isKnownDim, knownProduct, rankName } from "./shape-utils.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/** One operation per value of the output: how an elementwise activation is counted. */
function perElement(outputs: readonly TensorType[]): number | null {
  const output = outputs[0];
  return output ? knownProduct(output.shape.slice(1)) : null;
}

/** The layer's single input value. */
function onlyInput(ctx: LowerContext): LowerValue {
  return ctx.inputs[0]!;
}

/** An elementwise activation layer: its own arguments, the input's shape, one FLOP per value. */
function defineElementwiseActivation<A extends ArgSpecs>(
  name: string,
  summary: string,
  args: A,
  lower: (args: LayerArgs<A>, ctx: LowerContext) => LowerValue,
): LayerDef {
  return defineLayer({
    name,
    family: "advanced-activations",
    summary,
    schema: defineSchema(args),
    inputArity: ONE_INPUT,
    supportsMasking: true,
    inferOutputs: (_args, inputs) => sameAsInput(inputs),
    flops: (_args, _inputs, outputs) => perElement(outputs),
    lower: (a, _inputs, _outputs, ctx) => [lower(a, ctx)],
  });
}

/** `LeakyReLU(alpha=0.3)`: x for x ≥ 0, alpha * x below. */
export const LeakyReLU = defineElementwiseActivation(
  "LeakyReLU",
  "Leaky ReLU: f(x) = alpha * x for x < 0, x for x >= 0.",
  // The reference asks for alpha > 0; Keras accepts 0 too (plain ReLU), so kerasc does.
  { alpha: arg.float({ min: 0, default: 0.3, doc: "float >= 0, the slope below zero" }) },
  (a, ctx) => ctx.emit("activation", [onlyInput(ctx)], { fn: "leakyRelu", alpha: a.alpha }),
);

/** `ELU(alpha=1.0)`: x for x ≥ 0, alpha * (exp(x) − 1) below. */
export const ELU = defineElementwiseActivation(
  "ELU",
  "Exponential linear unit: f(x) = alpha * (exp(x) - 1) for x < 0, x for x >= 0.",
  { alpha: arg.float({ default: 1.0, doc: "scale of the negative part" }) },
  // Keras 2 K.elu with any alpha (the activation op's elu).
  (a, ctx) => ctx.emit("activation", [onlyInput(ctx)], { fn: "elu", alpha: a.alpha }),
);

/** `ThresholdedReLU(theta=1.0)`: x above theta, 0 otherwise. */
export const ThresholdedReLU = defineElementwiseActivation(
  "ThresholdedReLU",
  "Thresholded ReLU: f(x) = x for x > theta, 0 otherwise.",
  { theta: arg.float({ min: 0, default: 1.0, doc: "float >= 0, the threshold" }) },
  // x · (x > theta), which is K.relu with a threshold and nothing else.
  (a, ctx) => ctx.emit("relu", [onlyInput(ctx)], { alpha: 0, maxValue: null, threshold: a.theta }),
);

/** `ReLU(max_value=None, negative_slope=0, threshold=0)` (Keras 2.2): a ReLU with a cap, a leak and a threshold. */
export const ReLU = defineElementwiseActivation(
  "ReLU",
  "Rectified linear unit with an optional cap, slope below the threshold and threshold.",
  {
    max_value: arg.optional(
      arg.float({ min: 0, doc: "float >= 0, the largest output value (None: no cap)" }),
    ),
    negative_slope: arg.float({ min: 0, default: 0.0, doc: "float >= 0, the slope below the threshold" }),
    threshold: arg.float({ default: 0.0, doc: "the value below which the input is damped" }),
  },
  (a, ctx) => {
    const x = onlyInput(ctx);
    const maxValue = a.max_value ?? null;
    // The plain cases keep the activation op (which later passes can fuse); the rest is K.relu in full.
    if (a.negative_slope === 0 && a.threshold === 0 && (maxValue === null || maxValue === 6))
      return ctx.emit("activation", [x], { fn: maxValue === null ? "relu" : "relu6" });
    return ctx.emit("relu", [x], { alpha: a.negative_slope, maxValue, threshold: a.threshold });
  },
);

/** `Softmax(axis=-1)`: exp(x) normalised to sum 1 along `axis`. */
export const Softmax = defineLayer({
  name: "Softmax",
  family: "advanced-activations",
  summary: "Softmax along an axis: exp(x) / sum(exp(x)).",
  schema: defineSchema({
    axis: arg.int({ default: -1, doc: "the axis the softmax normalises along (default: the last)" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, inputs, ctx) {
    const input = inputs[0];
    if (!input) return null;
    const rank = input.shape.length;
    if (args.axis >= rank || args.axis < -rank) {
      ctx.argumentMismatch(
        "axis",
        `axis ${args.axis} is out of range for the ${rankName(rank)} input ${formatShape(input.shape)}`,
        `use an axis from 1 to ${rank - 1}, or from -1 to -${rank - 1}`,
      );
      return null;
    }
    return [input];
  },
  flops: (_args, _inputs, outputs) => perElement(outputs),
  lower(args, [input], _outputs, ctx) {
    const rank = input?.shape.length ?? 0;
    const axis = args.axis < 0 ? rank + args.axis : args.axis;
    return [ctx.emit("activation", [onlyInput(ctx)], { fn: "softmax", axis })];
  },
});

/**
 * `PReLU(alpha_initializer="zeros", shared_axes=None)`: x for x ≥ 0, alpha * x below, with a learned alpha
 * per input value — shape = the input's without the batch, 1 on each shared axis (1-based, as in Keras).
 */
export const PReLU = defineLayer({
  name: "PReLU",
  family: "advanced-activations",
  summary: "Parametric ReLU: f(x) = alpha * x for x < 0, x for x >= 0, with a learned alpha.",
  schema: defineSchema({
    alpha_initializer: arg.initializer({ default: "zeros", doc: "initializer of alpha" }),
    alpha_regularizer: arg.regularizer({ doc: "regularizer of alpha" }),
    alpha_constraint: arg.constraint({ doc: "constraint on alpha" }),
    shared_axes: arg.optional(
      arg.intList({
        min: 1,
        doc: "axes (1-based, after the batch) along which alpha is shared, e.g. [1, 2] for one alpha per channel",
      }),
    ),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs(args, [input], ctx) {
    if (!input) return null;
    const rank = input.shape.length;
    const shared = args.shared_axes ?? [];
    const outOfRange = shared.find((axis) => axis >= rank);
    if (outOfRange !== undefined) {
      ctx.argumentMismatch(
        "shared_axes",
        `shared axis ${outOfRange} is out of range for the ${rankName(rank)} input ${formatShape(input.shape)}`,
        `shared_axes counts from 1 (the axis after the batch) to ${rank - 1}`,
      );
      return null;
    }
    // Keras sizes alpha from the input: every axis that is not shared needs a known size.
    const unknown = input.shape.findIndex((d, axis) => axis > 0 && !shared.includes(axis) && !isKnownDim(d));
    if (unknown > 0) {
      ctx.inputMismatch(
        0,
        `a known size on every axis alpha is not shared along, but axis ${unknown} is ${formatDim(input.shape[unknown]!)}`,
        `share alpha along that axis (shared_axes=[${unknown}]) or give the input a fixed size there`,
      );
      return null;
    }
    return [input];
  },
  weights(args, [input]) {
    const shared = args.shared_axes ?? [];
    const shape = (input?.shape ?? []).slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
    return [weight("alpha", shape, args.alpha_initializer)];
  },
  flops: (_args, _inputs, outputs) => perElement(outputs),
  lower: (_args, _inputs, _outputs, ctx) => [ctx.emit("prelu", [onlyInput(ctx)], {}, ["alpha"])],
});

/** The advanced activation layers, in the reference's order, for the registry. */
export const advancedActivationLayers: readonly LayerDef[] = [
  LeakyReLU,
  PReLU,
  ELU,
  ThresholdedReLU,
  ReLU,
  Softmax,
];
