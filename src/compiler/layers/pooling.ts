// The pooling family of the Keras 2 reference (池化层 Pooling): Max/AveragePooling1D/2D/3D and the global
// poolings GlobalMax/GlobalAveragePooling1D/2D/3D, in both data formats (and under the Keras 1 keywords
// Keras 2 still accepts: dim_ordering, border_mode, pool_length, stride). None has weights.
import { arg } from "./arg.js";
import { type AxisWindow, convOutputDim } from "./conv-arithmetic.js";
import { lowerChannelsLast, readImageInput } from "./convolutional-common.js";
import { channelsAxis, spatialAxes, withSpatialDims } from "./data-format.js";
import { defineLayer, type LayerArgs } from "./define-layer.js";
import type { LayerDef } from "./layer.js";
import { LEGACY_BORDER_MODE, LEGACY_DIM_ORDERING, type LegacyKeywords } from "./legacy-keywords.js";
import { defineSchema } from "./schema.js";
import { formatShape, isKnownDim, knownProduct, rankName } from "./shape-utils.js";

const ONE_INPUT = { min: 1, max: 1 } as const;

/** Keras 2's `legacy_pooling1d_support`: the Keras 1 names of MaxPooling1D's and AveragePooling1D's arguments. */
const LEGACY_POOLING_1D: LegacyKeywords = {
  pool_length: { replacedBy: "pool_size" },
  stride: { replacedBy: "strides" },
  ...LEGACY_BORDER_MODE,
};

const PADDINGS = ["valid", "same"] as const;
type PoolMode = "max" | "average";

/** Max/AveragePoolingND: a window of `pool_size` moved by `strides` (None: pool_size) over the spatial axes. */
function defineWindowPooling(mode: PoolMode, rank: 1 | 2 | 3): LayerDef {
  const kind = mode === "max" ? "Max" : "Average";
  const name = `${kind}Pooling${rank}D`;
  const schema = defineSchema(
    {
      pool_size: arg.intTuple(rank, {
        min: 1,
        default: Array.from({ length: rank }, () => 2),
        doc:
          rank === 1
            ? "integer, the size of the pooling window"
            : `integer or tuple of ${rank} integers, the downscaling factor per spatial axis`,
      }),
      strides: arg.optional(arg.intTuple(rank, { min: 1 }), {
        doc: "integer, tuple or None: the step of the window; None means pool_size",
      }),
      padding: arg.enumOf(PADDINGS, {
        caseInsensitive: true,
        default: "valid",
        doc: '"valid" (only full windows) or "same" (pad so that the length is ⌈n / strides⌉)',
      }),
      data_format: arg.dataFormat(),
    },
    { legacy: rank === 1 ? LEGACY_POOLING_1D : { ...LEGACY_BORDER_MODE, ...LEGACY_DIM_ORDERING } },
  );
  type Args = LayerArgs<typeof schema.args>;
  // A pooling window is an undilated kernel of pool_size, moved by strides (None: pool_size).
  const windowsOf = (args: Args): AxisWindow[] =>
    args.pool_size.map((kernel, i) => ({
      kernel,
      stride: (args.strides ?? args.pool_size)[i]!,
      dilation: 1,
    }));

  return defineLayer({
    name,
    family: "pooling",
    summary: `${kind} pooling over ${rank === 1 ? "the steps of a temporal" : `the ${rank} spatial axes of a ${rankName(rank + 2)}`} input.`,
    schema,
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs(args, [input], ctx) {
      const image = readImageInput(input, rank, args.data_format, ctx);
      if (!image) return null;
      const windows = windowsOf(args);
      const pooled = image.spatial.map((d, i) => convOutputDim(d, windows[i]!, args.padding));
      if (pooled.some((d) => isKnownDim(d) && d < 1)) {
        ctx.argumentMismatch(
          "pool_size",
          `pool_size (${args.pool_size.join(", ")}) does not fit in the spatial size ${formatShape(image.spatial)} with padding="valid": no window is complete`,
          'use a smaller pool_size, or padding="same"',
        );
        return null;
      }
      return [
        {
          shape: withSpatialDims(image.input.shape, args.data_format, pooled),
          dtype: image.input.dtype,
          masked: false,
        },
      ];
    },
    lower(args, _inputs, _outputs, ctx) {
      const windows = windowsOf(args);
      return [
        lowerChannelsLast(ctx, rank + 2, args.data_format, (x) =>
          ctx.emit("pool", [x], {
            mode: mode === "max" ? "max" : "avg",
            poolSize: args.pool_size,
            strides: windows.map((w) => w.stride),
            padding: args.padding,
          }),
        ),
      ];
    },
    flops(args, _inputs, [output]) {
      const elements = output ? knownProduct(output.shape.slice(1)) : null;
      const window = args.pool_size.reduce((a, b) => a * b, 1);
      // Per output value: window − 1 comparisons, or window − 1 additions and one division. Windows cut by
      // "same" padding are counted whole (an upper bound).
      return elements === null ? null : elements * (mode === "max" ? window - 1 : window);
    },
  });
}

/** GlobalMax/GlobalAveragePoolingND: (batch, spatial..., channels) → (batch, channels). */
function defineGlobalPooling(mode: PoolMode, rank: 1 | 2 | 3): LayerDef {
  const name = `Global${mode === "max" ? "Max" : "Average"}Pooling${rank}D`;
  // Keras 2.x's GlobalAveragePooling1D averages over the unmasked steps only, and the mask ends there.
  const takesMask = mode === "average" && rank === 1;
  return defineLayer({
    name,
    family: "pooling",
    summary: `Global ${mode} pooling: the ${mode} over every ${rank === 1 ? "step" : "spatial position"} of each ${rank === 1 ? "feature" : "channel"}.`,
    schema: defineSchema(
      { data_format: arg.dataFormat() },
      rank === 1 ? {} : { legacy: LEGACY_DIM_ORDERING },
    ),
    inputArity: ONE_INPUT,
    supportsMasking: takesMask,
    inferOutputs(args, [input], ctx) {
      const image = readImageInput(input, rank, args.data_format, ctx);
      if (!image) return null;
      return [{ shape: [image.input.shape[0]!, image.channels], dtype: image.input.dtype, masked: false }];
    },
    // Masks (GlobalAveragePooling1D over the unmasked steps) are lowered elsewhere; this is the plain mean.
    lower: (args, [input], _outputs, ctx) => [
      ctx.emit("reduce", [ctx.inputs[0]!], {
        mode: mode === "max" ? "max" : "mean",
        axes: spatialAxes(input?.shape.length ?? rank + 2, args.data_format),
      }),
    ],
    flops(args, [input]) {
      if (!input) return null;
      const spatial = knownProduct(
        spatialAxes(input.shape.length, args.data_format).map((a) => input.shape[a]!),
      );
      const channels = input.shape[channelsAxis(input.shape.length, args.data_format)]!;
      if (spatial === null || !isKnownDim(channels)) return null;
      return channels * (mode === "max" ? spatial - 1 : spatial);
    },
  });
}

/** `MaxPooling1D(pool_size=2)`: (batch, steps, features) → (batch, ⌊steps / 2⌋, features). */
export const MaxPooling1D = defineWindowPooling("max", 1);
/** `MaxPooling2D(pool_size=(2, 2))`: (batch, rows, cols, channels) → (batch, ⌊rows / 2⌋, ⌊cols / 2⌋, channels). */
export const MaxPooling2D = defineWindowPooling("max", 2);
/** `MaxPooling3D(pool_size=(2, 2, 2))`: each of the three spatial axes pooled. */
export const MaxPooling3D = defineWindowPooling("max", 3);
/** `AveragePooling1D(pool_size=2)`: as MaxPooling1D, with the mean of each window. */
export const AveragePooling1D = defineWindowPooling("average", 1);
/** `AveragePooling2D(pool_size=(2, 2))`: as MaxPooling2D, with the mean of each window. */
export const AveragePooling2D = defineWindowPooling("average", 2);
/** `AveragePooling3D(pool_size=(2, 2, 2))`: as MaxPooling3D, with the mean of each window. */
export const AveragePooling3D = defineWindowPooling("average", 3);
/** `GlobalMaxPooling1D()`: (batch, steps, features) → (batch, features). */
export const GlobalMaxPooling1D = defineGlobalPooling("max", 1);
/** `GlobalAveragePooling1D()`: (batch, steps, features) → (batch, features); takes a mask. */
export const GlobalAveragePooling1D = defineGlobalPooling("average", 1);
/** `GlobalMaxPooling2D()`: (batch, rows, cols, channels) → (batch, channels). */
export const GlobalMaxPooling2D = defineGlobalPooling("max", 2);
/** `GlobalAveragePooling2D()`: (batch, rows, cols, channels) → (batch, channels). */
export const GlobalAveragePooling2D = defineGlobalPooling("average", 2);
/** `GlobalMaxPooling3D()`: (batch, dim1, dim2, dim3, channels) → (batch, channels). */
export const GlobalMaxPooling3D = defineGlobalPooling("max", 3);
/** `GlobalAveragePooling3D()`: (batch, dim1, dim2, dim3, channels) → (batch, channels). */
export const GlobalAveragePooling3D = defineGlobalPooling("average", 3);

/** The pooling layers, in the reference's order, for the registry. */
export const poolingLayers: readonly LayerDef[] = [
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalMaxPooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling2D,
  GlobalAveragePooling2D,
  GlobalMaxPooling3D,
  GlobalAveragePooling3D,
];
