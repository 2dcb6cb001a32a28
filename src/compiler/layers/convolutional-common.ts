// What the convolutional and locally-connected layers share: the argument groups of their schemas, the
// checks on their image-like inputs (rank, a known channel count), the windowed output shape with its
// "kernel is larger than the input" report, and FLOP counting.
import type { ArgValue, ConfigObject, Dim, Shape, TensorType } from "../../ir/graph.js";
import { arg, type DataFormat } from "./arg.js";
import { batchSizeOf } from "./base-args.js";
import {
  type AxisWindow,
  axisWindows,
  type ConvPadding,
  convOutputDim,
  dilatedKernelSize,
  kernelVolume,
  type PaddingRefusal,
  type WindowArgs,
} from "./conv-arithmetic.js";
import { channelsAxis, describeLayout, spatialAxes, spatialDims, withSpatialDims } from "./data-format.js";
import { weight } from "./define-layer.js";
import type { LowerContext, LowerValue, ShapeContext, WeightSpec } from "./layer.js";
import type { ActivationName } from "./objects/activations.js";
import type { ArgProblems } from "./schema.js";
import { formatDim, isKnownDim, knownProduct } from "./shape-utils.js";

/** How many spatial axes a layer works on: 1 (steps), 2 (rows, cols) or 3. */
export type SpatialRank = 1 | 2 | 3;

/** Every layer of these families takes exactly one input tensor. */
export const ONE_INPUT = { min: 1, max: 1 } as const;

/** What the spatial axes are called, as the reference names them (pooling.ts uses the same words). */
export const SPATIAL_NAMES: Readonly<Record<SpatialRank, readonly string[]>> = {
  1: ["steps"],
  2: ["rows", "cols"],
  3: ["dim1", "dim2", "dim3"],
};

/** Temporal layers speak of (steps, features), the image layers of rows, cols and channels. */
export function layoutOf(rank: SpatialRank, format: DataFormat): string {
  return describeLayout(SPATIAL_NAMES[rank], format, rank === 1 ? "features" : "channels");
}

/** A spatial axis as messages name it, "cols (axis 2)"; the number counts the batch as axis 0. */
function axisLabel(rank: SpatialRank, format: DataFormat, spatialIndex: number): string {
  const axis = spatialAxes(rank + 2, format)[spatialIndex]!;
  return `${SPATIAL_NAMES[rank][spatialIndex]} (axis ${axis})`;
}

/** The usual way to be one rank short: an image without its channels axis. */
function missingChannelsHint(input: TensorType, rank: SpatialRank): string | undefined {
  if (input.shape.length !== rank + 1) return undefined;
  const example = [...SPATIAL_NAMES[rank], "1"].join(", ");
  return `the input has no ${rank === 1 ? "features" : "channels"} axis: give it one, e.g. input_shape=(${example})`;
}

/** The bound arguments every layer with a kernel over a window shares (Conv, LocallyConnected). */
export interface ConvolutionArgs extends WindowArgs {
  readonly filters: number;
  readonly padding: ConvPadding;
  readonly data_format: DataFormat;
  readonly activation: ActivationName;
  readonly use_bias: boolean;
  readonly kernel_initializer: ConfigObject;
  readonly bias_initializer: ConfigObject;
}

/** An image-like input after its rank was checked: the parts a convolution's rule needs. */
export interface ImageInput {
  readonly input: TensorType;
  readonly spatial: readonly Dim[];
  readonly channels: Dim;
}

/**
 * Checks that `input` has `rank` spatial axes plus batch and channels ("Conv2D expects a 4D input (batch,
 * rows, cols, channels)"), and reads its parts under `format`. Null after reporting.
 */
export function readImageInput(
  input: TensorType | undefined,
  rank: SpatialRank,
  format: DataFormat,
  ctx: ShapeContext,
): ImageInput | null {
  if (!input) return null;
  if (input.shape.length !== rank + 2) {
    ctx.inputMismatch(0, layoutOf(rank, format), missingChannelsHint(input, rank));
    return null;
  }
  const channels = input.shape[channelsAxis(input.shape.length, format)]!;
  return { input, spatial: spatialDims(input.shape, format), channels };
}

/**
 * The channel count, which must be known because the weights' shapes depend on it (Keras: "The channel
 * dimension of the inputs should be defined"). Null after reporting.
 */
export function knownChannels(image: ImageInput, format: DataFormat, ctx: ShapeContext): number | null {
  if (isKnownDim(image.channels)) return image.channels;
  const axis = channelsAxis(image.input.shape.length, format);
  ctx.inputMismatch(
    0,
    `a known number of channels on axis ${axis}, not ${formatDim(image.channels)}`,
    "the kernel's shape depends on the channel count: give the input a fixed size on that axis",
  );
  return null;
}

/**
 * Every spatial dim known, as layers with unshared weights need (LocallyConnected: one kernel per output
 * position). Null after reporting the first unknown one.
 */
export function knownSpatial(
  image: ImageInput,
  rank: SpatialRank,
  format: DataFormat,
  ctx: ShapeContext,
): number[] | null {
  const unknown = image.spatial.findIndex((d) => !isKnownDim(d));
  if (unknown < 0) return image.spatial as number[];
  ctx.inputMismatch(
    0,
    `every spatial dimension to be known, but ${axisLabel(rank, format, unknown)} is ${formatDim(image.spatial[unknown]!)}`,
    "it has one kernel per output position: give the input a complete input_shape",
  );
  return null;
}

/**
 * The output dims of a window sliding over `spatial` (Keras's conv_output_length per axis), or null after
 * reporting the first axis the window does not fit: "kernel 5 is larger than the input length 3 with
 * padding='valid'".
 */
export function convolvedSpatial(
  spatial: readonly Dim[],
  window: WindowArgs & { readonly padding: ConvPadding },
  format: DataFormat,
  ctx: ShapeContext,
): Dim[] | null {
  const rank = spatial.length as SpatialRank;
  const windows = axisWindows(window);
  const output = spatial.map((dim, i) => convOutputDim(dim, windows[i]!, window.padding));
  const misfit = output.findIndex((d) => isKnownDim(d) && d < 1);
  if (misfit < 0) return output;
  const where = rank === 1 ? "" : ` of ${axisLabel(rank, format, misfit)}`;
  ctx.argumentMismatch(
    "kernel_size",
    `${describeKernel(windows[misfit]!)} is larger than the input length ${formatDim(spatial[misfit]!)}${where} with padding='${window.padding}'`,
    "use a smaller kernel_size (or dilation_rate), padding='same', or a longer input",
  );
  return null;
}

/** "kernel 5", or with dilation "kernel 3 dilated by 2 (spanning 5)". */
function describeKernel(window: AxisWindow): string {
  return window.dilation === 1
    ? `kernel ${window.kernel}`
    : `kernel ${window.kernel} dilated by ${window.dilation} (spanning ${dilatedKernelSize(window.kernel, window.dilation)})`;
}

/** One output tensor: `spatial` and `channels` placed under `format`, the batch kept; convolutions compute float32 and drop any mask. */
export function imageOutput(
  image: ImageInput,
  format: DataFormat,
  spatial: readonly Dim[],
  channels: Dim,
): TensorType[] {
  const shape: Shape = withSpatialDims(image.input.shape, format, spatial);
  const withChannels = shape.map((d, axis) => (axis === channelsAxis(shape.length, format) ? channels : d));
  return [{ shape: withChannels, dtype: "float32", masked: false }];
}

/**
 * The documented rule (and Keras 2's TensorFlow limitation): "specifying any stride value != 1 is
 * incompatible with specifying any dilation_rate value != 1". Reported at dilation_rate.
 */
export function checkStridesWithDilation(
  args: { readonly strides: readonly number[]; readonly dilation_rate: readonly number[] },
  problems: ArgProblems,
): void {
  const strided = args.strides.some((s) => s !== 1);
  const dilated = args.dilation_rate.some((d) => d !== 1);
  if (strided && dilated) {
    problems.report(
      "dilation_rate",
      `dilation_rate (${args.dilation_rate.join(", ")}) cannot be combined with strides (${args.strides.join(", ")}): a stride other than 1 excludes a dilation rate other than 1`,
      "use strides=1 with a dilation_rate, or dilation_rate=1 with strides",
    );
  }
}

/** Why Conv2D/3D and the separable layers refuse padding="causal". */
export function refuseCausal(owner: string): (mode: ConvPadding) => PaddingRefusal | undefined {
  return (mode) =>
    mode === "causal"
      ? {
          message: `padding "causal" is only for Conv1D (temporal data); ${owner} takes "valid" or "same"`,
          hint: 'use padding="same" (or "valid")',
        }
      : undefined;
}

/** The arguments after `activation` that every layer with a kernel and a bias has, in Keras order. */
export function kernelAndBiasArgs() {
  return {
    activation: arg.activation({ default: "linear", doc: "activation function (None: linear)" }),
    use_bias: arg.bool({ default: true, doc: "whether the layer adds a bias vector" }),
    kernel_initializer: arg.initializer({ default: "glorot_uniform", doc: "initializer of the kernel" }),
    bias_initializer: arg.initializer({ default: "zeros", doc: "initializer of the bias" }),
    kernel_regularizer: arg.regularizer({ doc: "regularizer of the kernel" }),
    bias_regularizer: arg.regularizer({ doc: "regularizer of the bias" }),
    activity_regularizer: arg.regularizer({ doc: "regularizer of the output" }),
    kernel_constraint: arg.constraint({ doc: "constraint on the kernel" }),
    bias_constraint: arg.constraint({ doc: "constraint on the bias" }),
  };
}

/** `filters`: the number of output channels. */
export function filtersArg() {
  return arg.int({ min: 1, doc: "positive integer, the number of output filters (output channels)" });
}

/** The values of one sample of `tensor` (the product of its non-batch dims), or null while one is unknown. */
export function valuesPerSample(tensor: TensorType | undefined): number | null {
  return tensor ? knownProduct(tensor.shape.slice(1)) : null;
}

/**
 * FLOPs of one sample: `multiplyAdds` (2 FLOPs each), then per output value the bias (1) and a non-linear
 * activation (1). Null while a count is unknown.
 */
export function kernelLayerFlops(
  multiplyAdds: number | null,
  output: TensorType | undefined,
  args: { readonly use_bias: boolean; readonly activation: ActivationName },
): number | null {
  const values = valuesPerSample(output);
  if (multiplyAdds === null || values === null) return null;
  return 2 * multiplyAdds + values * ((args.use_bias ? 1 : 0) + (args.activation === "linear" ? 0 : 1));
}

/**
 * FLOPs of Conv and LocallyConnected, whose every output value is a dot product over its kernel window and
 * every input channel.
 */
export function windowDotProductFlops(
  args: {
    readonly kernel_size: readonly number[];
    readonly data_format: DataFormat;
    readonly use_bias: boolean;
    readonly activation: ActivationName;
  },
  input: TensorType | undefined,
  output: TensorType | undefined,
): number | null {
  const channels = inputChannels(input, args.data_format);
  const values = valuesPerSample(output);
  const multiplyAdds =
    values === null || !isKnownDim(channels) ? null : values * kernelVolume(args.kernel_size) * channels;
  return kernelLayerFlops(multiplyAdds, output, args);
}

/** The channel count of an input under `format` (null when the input is missing). */
export function inputChannels(input: TensorType | undefined, format: DataFormat): Dim {
  return input ? (input.shape[channelsAxis(input.shape.length, format)] ?? null) : null;
}

/** The bias weight of `size` values, or none with use_bias=False. */
export function biasWeights(
  args: { readonly use_bias: boolean; readonly bias_initializer: ConfigObject },
  shape: readonly Dim[],
): WeightSpec[] {
  return args.use_bias ? [weight("bias", shape, args.bias_initializer)] : [];
}

/** `input_length`: with `input_dim`, the older way for a first temporal layer to declare its input. */
export function inputLengthArg() {
  return arg.optional(arg.int({ min: 1 }), {
    keywordOnly: true,
    doc: "first layer only, with input_dim: the number of steps (older spelling of input_shape)",
  });
}

/**
 * Keras 2's `legacy_conv1d_support`: a first Conv1D or LocallyConnected1D may declare its input with the
 * older `input_dim` (features) and `input_length` (steps, None when absent), meaning
 * input_shape=(input_length, input_dim) — not the (input_dim,) the base keyword means for other layers.
 */
export function temporalDeclaredInputShape(args: Readonly<Record<string, ArgValue>>): Shape | undefined {
  if (args.input_shape != null || args.batch_input_shape != null || typeof args.input_dim !== "number") {
    return undefined;
  }
  const steps = typeof args.input_length === "number" ? args.input_length : null;
  return [batchSizeOf(args), steps, args.input_dim];
}

/** `input_length` means something only beside `input_dim` (Keras passes it on otherwise, and fails). */
export function checkInputLength(args: Readonly<Record<string, ArgValue>>, problems: ArgProblems): void {
  if (args.input_length != null && args.input_dim == null) {
    problems.report(
      "input_length",
      "input_length declares the input only together with input_dim",
      "write input_shape=(steps, features), or add input_dim=features",
    );
  }
}

/**
 * Lowers a computation that runs channels-last (the runtime's convolution and pooling ops) on the layer's
 * input: a channels_first input is transposed to channels-last before `body` and back after it.
 */
export function lowerChannelsLast(
  ctx: LowerContext,
  tensorRank: number,
  format: DataFormat,
  body: (x: LowerValue) => LowerValue,
): LowerValue {
  const x = ctx.inputs[0]!;
  if (format !== "channels_first") return body(x);
  const last = tensorRank - 1;
  const middle = Array.from({ length: tensorRank - 2 }, (_, i) => i + 2);
  const y = body(ctx.emit("transpose", [x], { perm: [0, ...middle, 1] }));
  return ctx.emit("transpose", [y], { perm: [0, last, ...middle.map((a) => a - 1)] });
}

/** The runtime's window padding for Keras "valid" / "same" (causal is lowered as an explicit pad first). */
export function windowPadding(padding: ConvPadding): "valid" | "same" {
  return padding === "same" ? "same" : "valid";
}

/** The layer's weights in the op's order: `kernelNames`, then the bias with use_bias. */
export function kernelWeights(args: { readonly use_bias: boolean }, ...kernelNames: string[]): string[] {
  return args.use_bias ? [...kernelNames, "bias"] : kernelNames;
}
