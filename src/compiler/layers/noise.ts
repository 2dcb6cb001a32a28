// The noise family of the Keras 2 reference (噪声层): GaussianNoise, GaussianDropout, AlphaDropout, and
// Keras 2.x's SpatialDropout1D/2D/3D. All act in training only: at inference each is the identity, so the
// shape and the mask pass through and they cost no FLOPs.
import { arg, type DataFormat } from "./arg.js";
import { asShapeValue, shapeDimToDim } from "./base-args.js";
import { layoutOf, type SpatialRank } from "./convolutional-common.js";
import { Dropout } from "./core.js";
import { defineLayer, type LayerArgs, sameAsInput } from "./define-layer.js";
import type { LayerDef } from "./layer.js";
import { type ArgSchema, type ArgSpecs, defineSchema } from "./schema.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/** The drop rate every dropout variant takes, as Dropout takes it. */
function rateArg() {
  return arg.float({ min: 0, max: 1, maxExclusive: true, doc: "fraction of the inputs to drop, in [0, 1)" });
}

/** `GaussianNoise(stddev)`: adds zero-centred Gaussian noise in training. */
export const GaussianNoise = defineLayer({
  name: "GaussianNoise",
  family: "noise",
  summary: "Adds zero-centred Gaussian noise with standard deviation `stddev` (training only).",
  schema: defineSchema({
    stddev: arg.float({ min: 0, doc: "float >= 0, the standard deviation of the noise" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs: (_args, inputs) => sameAsInput(inputs),
  lower: (args, _inputs, _outputs, ctx) => [
    ctx.emit("gaussianNoise", [ctx.inputs[0]!], { stddev: args.stddev, seed: null }),
  ],
});

/** `GaussianDropout(rate)`: multiplies by 1-centred Gaussian noise of stddev sqrt(rate / (1 − rate)) in training. */
export const GaussianDropout = defineLayer({
  name: "GaussianDropout",
  family: "noise",
  summary:
    "Multiplies by 1-centred Gaussian noise with standard deviation sqrt(rate / (1 - rate)) (training only).",
  schema: defineSchema({ rate: rateArg() }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs: (_args, inputs) => sameAsInput(inputs),
  lower: (args, _inputs, _outputs, ctx) => [
    ctx.emit("gaussianDropout", [ctx.inputs[0]!], { rate: args.rate, seed: null }),
  ],
});

/**
 * `AlphaDropout(rate, noise_shape=None, seed=None)`: dropout that keeps the mean and variance (for SELU).
 * `noise_shape` follows Dropout's rule (batch included, each dim 1 or the input's), so Dropout checks it.
 */
export const AlphaDropout = defineLayer({
  name: "AlphaDropout",
  family: "noise",
  summary: "Dropout that keeps the inputs' mean and variance, for self-normalising networks (training only).",
  schema: defineSchema({
    rate: rateArg(),
    noise_shape: arg.optional(arg.shape(), {
      doc: "shape of the binary dropout mask, batch included, e.g. (batch_size, 1, features)",
    }),
    seed: arg.optional(arg.int(), { doc: "random seed" }),
  }),
  inputArity: ONE_INPUT,
  supportsMasking: true,
  inferOutputs: (args, inputs, ctx) => Dropout.inferOutputs(args, inputs, ctx),
  lower(args, _inputs, _outputs, ctx) {
    // A None (or symbolic) mask dim takes the input's size at run time, as for Dropout.
    const noiseShape =
      asShapeValue(args.noise_shape)?.map((d) => {
        const dim = shapeDimToDim(d);
        return typeof dim === "number" ? dim : null;
      }) ?? null;
    return [
      ctx.emit("alphaDropout", [ctx.inputs[0]!], { rate: args.rate, noiseShape, seed: args.seed ?? null }),
    ];
  },
});

/**
 * SpatialDropoutND: drops whole feature maps (one mask value per sample and channel), for inputs of rank
 * N + 2 whose channels sit where `formatOf` says.
 */
function defineSpatialDropout<A extends ArgSpecs>(
  rank: SpatialRank,
  schema: ArgSchema<A>,
  formatOf: (args: LayerArgs<A>) => DataFormat,
): LayerDef {
  return defineLayer({
    name: `SpatialDropout${rank}D`,
    family: "noise",
    summary: `Drops entire ${rank === 1 ? "1D feature maps (steps)" : `${rank}D feature maps`} instead of single values (training only).`,
    schema,
    inputArity: ONE_INPUT,
    supportsMasking: true,
    inferOutputs(args, [input], ctx) {
      if (!input) return null;
      if (input.shape.length !== rank + 2) {
        ctx.inputMismatch(0, layoutOf(rank, formatOf(args)));
        return null;
      }
      return [input];
    },
    // Keras's noise shape: one mask value per sample and channel, 1 on every spatial axis.
    lower(args, [input], _outputs, ctx) {
      const channelsFirst = formatOf(args) === "channels_first";
      const rankOf = input?.shape.length ?? rank + 2;
      const noiseShape = Array.from({ length: rankOf }, (_, i) =>
        i === 0 || i === (channelsFirst ? 1 : rankOf - 1) ? null : 1,
      );
      return [ctx.emit("dropout", [ctx.inputs[0]!], { rate: args.rate as number, noiseShape, seed: null })];
    },
  });
}

/** SpatialDropout2D/3D's arguments; SpatialDropout1D, channels_last only in Keras, takes `rate` alone. */
const spatialDropoutSchema = defineSchema({ rate: rateArg(), data_format: arg.dataFormat() });

/** `SpatialDropout1D(rate)`: (batch, steps, features), one mask value per feature. */
export const SpatialDropout1D = defineSpatialDropout(
  1,
  defineSchema({ rate: rateArg() }),
  () => "channels_last",
);
/** `SpatialDropout2D(rate, data_format=None)`: (batch, rows, cols, channels), one mask value per channel. */
export const SpatialDropout2D = defineSpatialDropout(2, spatialDropoutSchema, (args) => args.data_format);
/** `SpatialDropout3D(rate, data_format=None)`: (batch, dim1, dim2, dim3, channels), one per channel. */
export const SpatialDropout3D = defineSpatialDropout(3, spatialDropoutSchema, (args) => args.data_format);

/** The noise layers, in the reference's order, for the registry. */
export const noiseLayers: readonly LayerDef[] = [
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
];
