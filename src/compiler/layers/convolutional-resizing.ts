// The layers of the convolutional family that only resize the spatial axes, without weights: Cropping,
// UpSampling and ZeroPadding in 1D/2D/3D. The 1D layers work on (batch, steps, features) and have no
// data_format, as in Keras 2. None of them takes a mask (Keras 2 leaves supports_masking False).
import type { Dim, TensorType } from "../../ir/graph.js";
import { arg, type DataFormat } from "./arg.js";
import type { SidePairs } from "./arg-shapes.js";
import { mapLength } from "./conv-arithmetic.js";
import {
  lowerChannelsLast,
  ONE_INPUT,
  readImageInput,
  SPATIAL_NAMES,
  type SpatialRank,
} from "./convolutional-common.js";
import { spatialAxes, withSpatialDims } from "./data-format.js";
import { defineLayer } from "./define-layer.js";
import type { LayerDef, LowerContext, ShapeContext } from "./layer.js";
import { defineSchema } from "./schema.js";
import { formatDim, isKnownDim } from "./shape-utils.js";

/** The layout of a resizing layer: its data_format, or channels_last for the 1D ones that have none. */
interface LayoutArgs {
  readonly data_format?: DataFormat;
}

const formatOf = (args: LayoutArgs): DataFormat => args.data_format ?? "channels_last";

/**
 * The shape rule every resizing layer shares: check the rank, resize each spatial axis with `resize`
 * (which may report and return undefined), keep batch, channels, dtype; no mask.
 */
function resizingRules<A extends LayoutArgs>(
  rank: SpatialRank,
  resize: (args: A, dim: Dim, index: number, ctx: ShapeContext, input: TensorType) => Dim | undefined,
) {
  return {
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs(args: A, [input]: readonly TensorType[], ctx: ShapeContext) {
      const format = formatOf(args);
      const image = readImageInput(input, rank, format, ctx);
      if (!image) return null;
      const spatial: Dim[] = [];
      for (const [i, dim] of image.spatial.entries()) {
        const resized = resize(args, dim, i, ctx, image.input);
        if (resized === undefined) return null;
        spatial.push(resized);
      }
      const shape = withSpatialDims(image.input.shape, format, spatial);
      return [{ shape, dtype: image.input.dtype, masked: false }];
    },
  };
}

const dataFormatArg = () => arg.dataFormat();

/**
 * A value per axis of a rank-`rank + 2` tensor: `spatial[i]` on the spatial axes under the layer's layout,
 * `other` on the batch and channels (how the pad, crop and upsample steps take their arguments).
 */
function perAxis<T>(rank: SpatialRank, args: LayoutArgs, spatial: readonly T[], other: T): T[] {
  const axes = spatialAxes(rank + 2, formatOf(args));
  return Array.from({ length: rank + 2 }, (_, axis) => {
    const at = axes.indexOf(axis);
    return at < 0 ? other : spatial[at]!;
  });
}

/** The single input of a resizing layer. */
const onlyInput = (ctx: LowerContext) => ctx.inputs[0]!;

// ---- Cropping ----------------------------------------------------------------------------------------

interface CroppingArgs extends LayoutArgs {
  readonly cropping: SidePairs;
}

/** Removes (before, after) from each spatial axis; cropping everything away is an error. */
function croppingRules(rank: SpatialRank) {
  return resizingRules<CroppingArgs>(rank, (args, dim, i, ctx, input) => {
    const [before, after] = args.cropping[i]!;
    const removed = before + after;
    if (isKnownDim(dim) && removed >= dim) {
      const axis = spatialAxes(input.shape.length, formatOf(args))[i]!;
      ctx.argumentMismatch(
        "cropping",
        `cropping (${before}, ${after}) removes ${removed} of the ${formatDim(dim)} ${SPATIAL_NAMES[rank][i]} on axis ${axis}, leaving nothing`,
        "crop fewer than the input's length on each axis",
      );
      return undefined;
    }
    return mapLength(dim, (length) => length - removed, removed === 0);
  });
}

const croppingDoc = (rank: SpatialRank) =>
  rank === 1
    ? "how many steps to remove at the start and end: an integer or (start, end)"
    : `how many to remove on each side: an integer, ${rank} symmetric integers, or ${rank} (before, after) pairs`;

/** Cropping lowers to one `crop` step, in either layout. */
function lowerCropping(rank: SpatialRank) {
  return (
    args: CroppingArgs,
    _inputs: readonly TensorType[],
    _outputs: readonly TensorType[],
    ctx: LowerContext,
  ) => [
    ctx.emit("crop", [onlyInput(ctx)], {
      cropping: perAxis<readonly [number, number]>(rank, args, args.cropping, [0, 0]),
    }),
  ];
}

/** `Cropping1D(cropping=(1, 1))`: (batch, steps, features) → (batch, steps - start - end, features). */
export const Cropping1D = defineLayer({
  name: "Cropping1D",
  family: "convolutional",
  summary: "Crops steps from the start and end of a temporal input (axis 1).",
  schema: defineSchema({ cropping: arg.sidePairs(1, { default: [[1, 1]], doc: croppingDoc(1) }) }),
  ...croppingRules(1),
  lower: lowerCropping(1),
});

/** `Cropping2D(cropping=((0, 0), (0, 0)))`: ((top, bottom), (left, right)) removed from rows and cols. */
export const Cropping2D = defineLayer({
  name: "Cropping2D",
  family: "convolutional",
  summary: "Crops rows and cols from the sides of an image.",
  schema: defineSchema({
    cropping: arg.sidePairs(2, {
      default: [
        [0, 0],
        [0, 0],
      ],
      doc: croppingDoc(2),
    }),
    data_format: dataFormatArg(),
  }),
  ...croppingRules(2),
  lower: lowerCropping(2),
});

/** `Cropping3D(cropping=((1, 1), (1, 1), (1, 1)))`: crops the three spatial axes of a volume. */
export const Cropping3D = defineLayer({
  name: "Cropping3D",
  family: "convolutional",
  summary: "Crops the sides of the three spatial axes of a volume.",
  schema: defineSchema({
    cropping: arg.sidePairs(3, {
      default: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      doc: croppingDoc(3),
    }),
    data_format: dataFormatArg(),
  }),
  ...croppingRules(3),
  lower: lowerCropping(3),
});

// ---- UpSampling --------------------------------------------------------------------------------------

interface UpSamplingArgs extends LayoutArgs {
  /** UpSampling1D's size is one integer, the others' a tuple. */
  readonly size: number | readonly number[];
}

/** Repeats each step (row, col, ...) `size` times along its axis. */
function upSamplingRules(rank: SpatialRank) {
  return resizingRules<UpSamplingArgs>(rank, (args, dim, i) => {
    const factor = typeof args.size === "number" ? args.size : args.size[i]!;
    return mapLength(dim, (length) => length * factor, factor === 1);
  });
}

/** Nearest upsampling lowers to one `upsample` step (each element repeated), in either layout. */
function lowerUpSampling(rank: SpatialRank) {
  return (
    args: UpSamplingArgs & { readonly interpolation?: "nearest" | "bilinear" },
    _inputs: readonly TensorType[],
    _outputs: readonly TensorType[],
    ctx: LowerContext,
  ) => {
    const factors = typeof args.size === "number" ? [args.size] : args.size;
    if (args.interpolation === "bilinear") {
      const [rows, cols] = factors as readonly [number, number];
      return [
        lowerChannelsLast(ctx, rank + 2, formatOf(args), (x) =>
          ctx.emit("resizeBilinear", [x], { factors: [rows, cols] }),
        ),
      ];
    }
    return [ctx.emit("upsample", [onlyInput(ctx)], { factors: perAxis(rank, args, factors, 1) })];
  };
}

/** `UpSampling1D(size=2)`: (batch, steps, features) → (batch, steps * size, features). */
export const UpSampling1D = defineLayer({
  name: "UpSampling1D",
  family: "convolutional",
  summary: "Repeats each step of a temporal input `size` times.",
  schema: defineSchema({ size: arg.int({ min: 1, default: 2, doc: "integer, the upsampling factor" }) }),
  ...upSamplingRules(1),
  lower: lowerUpSampling(1),
});

/**
 * `UpSampling2D(size=(2, 2))`: rows and cols repeated size[0] and size[1] times. `interpolation` is Keras
 * 2.x's later addition ("nearest" or "bilinear"); the shape does not depend on it.
 */
export const UpSampling2D = defineLayer({
  name: "UpSampling2D",
  family: "convolutional",
  summary: "Repeats the rows and cols of an image size[0] and size[1] times.",
  schema: defineSchema({
    size: arg.intTuple(2, {
      min: 1,
      default: [2, 2],
      doc: "integer or 2 integers, the factors for rows and cols",
    }),
    data_format: dataFormatArg(),
    interpolation: arg.enumOf(["nearest", "bilinear"], {
      default: "nearest",
      doc: '"nearest" (repeat) or "bilinear"',
    }),
  }),
  ...upSamplingRules(2),
  lower: lowerUpSampling(2),
});

/** `UpSampling3D(size=(2, 2, 2))`: the three spatial axes repeated size[0], size[1], size[2] times. */
export const UpSampling3D = defineLayer({
  name: "UpSampling3D",
  family: "convolutional",
  summary: "Repeats the three spatial axes of a volume size[0], size[1] and size[2] times.",
  schema: defineSchema({
    size: arg.intTuple(3, { min: 1, default: [2, 2, 2], doc: "integer or 3 integers, the factors per axis" }),
    data_format: dataFormatArg(),
  }),
  ...upSamplingRules(3),
  lower: lowerUpSampling(3),
});

// ---- ZeroPadding -------------------------------------------------------------------------------------

interface ZeroPaddingArgs extends LayoutArgs {
  readonly padding: SidePairs;
}

/** Adds (before, after) zeros to each spatial axis. */
function zeroPaddingRules(rank: SpatialRank) {
  return resizingRules<ZeroPaddingArgs>(rank, (args, dim, i) => {
    const [before, after] = args.padding[i]!;
    return mapLength(dim, (length) => length + before + after, before + after === 0);
  });
}

const paddingDoc = (rank: SpatialRank) =>
  rank === 1
    ? "how many zeros to add at the start and end: an integer or (start, end)"
    : `how many zeros to add on each side: an integer, ${rank} symmetric integers, or ${rank} (before, after) pairs`;

/** Zero padding lowers to one `pad` step, in either layout. */
function lowerZeroPadding(rank: SpatialRank) {
  return (
    args: ZeroPaddingArgs,
    _inputs: readonly TensorType[],
    _outputs: readonly TensorType[],
    ctx: LowerContext,
  ) => [
    ctx.emit("pad", [onlyInput(ctx)], {
      paddings: perAxis<readonly [number, number]>(rank, args, args.padding, [0, 0]),
    }),
  ];
}

/** `ZeroPadding1D(padding=1)`: (batch, steps, features) → (batch, steps + start + end, features). */
export const ZeroPadding1D = defineLayer({
  name: "ZeroPadding1D",
  family: "convolutional",
  summary: "Pads a temporal input with zeros at the start and end (axis 1).",
  schema: defineSchema({ padding: arg.sidePairs(1, { default: [[1, 1]], doc: paddingDoc(1) }) }),
  ...zeroPaddingRules(1),
  lower: lowerZeroPadding(1),
});

/** `ZeroPadding2D(padding=(1, 1))`: ((top, bottom), (left, right)) rows and cols of zeros added. */
export const ZeroPadding2D = defineLayer({
  name: "ZeroPadding2D",
  family: "convolutional",
  summary: "Pads an image with rows and cols of zeros.",
  schema: defineSchema({
    padding: arg.sidePairs(2, {
      default: [
        [1, 1],
        [1, 1],
      ],
      doc: paddingDoc(2),
    }),
    data_format: dataFormatArg(),
  }),
  ...zeroPaddingRules(2),
  lower: lowerZeroPadding(2),
});

/** `ZeroPadding3D(padding=(1, 1, 1))`: zeros added on each side of the three spatial axes. */
export const ZeroPadding3D = defineLayer({
  name: "ZeroPadding3D",
  family: "convolutional",
  summary: "Pads the three spatial axes of a volume with zeros.",
  schema: defineSchema({
    padding: arg.sidePairs(3, {
      default: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      doc: paddingDoc(3),
    }),
    data_format: dataFormatArg(),
  }),
  ...zeroPaddingRules(3),
  lower: lowerZeroPadding(3),
});

/** The resizing layers, in the reference's order, for convolutionalLayers. */
export const convolutionalResizingLayers: readonly LayerDef[] = [
  Cropping1D,
  Cropping2D,
  Cropping3D,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
];
