// The convolutional family of the Keras 2 reference (卷积层 Convolutional): Conv1D/2D/3D and the transposed
// Conv2DTranspose/Conv3DTranspose here; the separable and depthwise convolutions in convolutional-separable.ts;
// Cropping, UpSampling and ZeroPadding in convolutional-resizing.ts. Window arithmetic: conv-arithmetic.ts.
import type { TensorType } from "../../ir/graph.js";
import { emitWithActivation } from "../5-lower/activation.js";
import { arg, type DataFormat } from "./arg.js";
import {
  axisWindows,
  type ConvPadding,
  dilationRateArg,
  kernelSizeArg,
  kernelVolume,
  outputPaddingArg,
  paddingArg,
  stridesArg,
  transposedConvOutputDim,
} from "./conv-arithmetic.js";
import {
  biasWeights,
  type ConvolutionArgs,
  checkInputLength,
  checkStridesWithDilation,
  convolvedSpatial,
  filtersArg,
  imageOutput,
  inputChannels,
  inputLengthArg,
  kernelAndBiasArgs,
  kernelLayerFlops,
  kernelWeights,
  knownChannels,
  lowerChannelsLast,
  ONE_INPUT,
  readImageInput,
  refuseCausal,
  SPATIAL_NAMES,
  type SpatialRank,
  temporalDeclaredInputShape,
  valuesPerSample,
  windowDotProductFlops,
  windowPadding,
} from "./convolutional-common.js";
import { convolutionalResizingLayers } from "./convolutional-resizing.js";
import { separableLayers } from "./convolutional-separable.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef, LowerContext, ShapeContext } from "./layer.js";
import { separateKernelSizes } from "./legacy-positional.js";
import { type ArgProblems, defineSchema } from "./schema.js";
import { isKnownDim } from "./shape-utils.js";

/**
 * Keras 2's `_Conv` over `rank` spatial axes: a known channel count, every spatial axis through
 * conv_output_length, `filters` output channels. No mask support (`_Conv` leaves supports_masking False).
 */
function convolutionRules(rank: SpatialRank) {
  return {
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs(args: ConvolutionArgs, [input]: readonly TensorType[], ctx: ShapeContext) {
      const image = readImageInput(input, rank, args.data_format, ctx);
      if (!image || knownChannels(image, args.data_format, ctx) === null) return null;
      const spatial = convolvedSpatial(image.spatial, args, args.data_format, ctx);
      return spatial && imageOutput(image, args.data_format, spatial, args.filters);
    },
    weights(args: ConvolutionArgs, [input]: readonly TensorType[]) {
      const channels = inputChannels(input, args.data_format);
      return [
        weight("kernel", [...args.kernel_size, channels, args.filters], args.kernel_initializer),
        ...biasWeights(args, [args.filters]),
      ];
    },
    flops(args: ConvolutionArgs, [input]: readonly TensorType[], [output]: readonly TensorType[]) {
      return windowDotProductFlops(args, input, output);
    },
    lower(
      args: ConvolutionArgs,
      _inputs: readonly TensorType[],
      _outputs: readonly TensorType[],
      ctx: LowerContext,
    ) {
      const dilations = args.dilation_rate ?? args.kernel_size.map(() => 1);
      // An unfused activation follows the layout's restoring transpose (softmax is on the output's last axis).
      return [
        emitWithActivation(ctx, args.activation, (activation) =>
          lowerChannelsLast(ctx, rank + 2, args.data_format, (x) => {
            // Causal (Conv1D): (kernel - 1) * dilation zeros before the first step, then a valid convolution.
            const input =
              args.padding === "causal"
                ? ctx.emit("pad", [x], {
                    paddings: [
                      [0, 0],
                      [(args.kernel_size[0]! - 1) * dilations[0]!, 0],
                      [0, 0],
                    ],
                  })
                : x;
            return ctx.emit(
              "conv",
              [input],
              { strides: args.strides, dilations, padding: windowPadding(args.padding), activation },
              kernelWeights(args, "kernel"),
            );
          }),
        ),
      ];
    },
  };
}

/** Conv2D and Conv3D: the reference's signature, the same but for the rank. */
function convolutionSchema(rank: 2 | 3, owner: string) {
  return defineSchema(
    {
      filters: filtersArg(),
      kernel_size: kernelSizeArg(rank),
      strides: stridesArg(rank),
      padding: paddingArg(["valid", "same"], { refuse: refuseCausal(owner) }),
      data_format: arg.dataFormat(),
      dilation_rate: dilationRateArg(rank),
      ...kernelAndBiasArgs(),
    },
    { check: checkStridesWithDilation, legacyPositional: separateKernelSizes(rank) },
  );
}

/**
 * `Conv1D(filters, kernel_size)`: temporal convolution, (batch, steps, channels) → (batch, new_steps,
 * filters). Padding "causal" pads on the left only, so output[t] sees no input after t; the length is that
 * of "same". The reference's signature has no data_format; Keras 2.x takes one (keyword here).
 */
export const Conv1D = defineLayer({
  name: "Conv1D",
  family: "convolutional",
  summary: "1D (temporal) convolution: filters of kernel_size steps slid over the sequence.",
  schema: defineSchema(
    {
      filters: filtersArg(),
      kernel_size: kernelSizeArg(1),
      strides: stridesArg(1),
      padding: paddingArg(["valid", "same", "causal"]),
      dilation_rate: dilationRateArg(1),
      ...kernelAndBiasArgs(),
      data_format: { ...arg.dataFormat(), keywordOnly: true },
      input_length: inputLengthArg(),
    },
    {
      check(a, problems) {
        checkStridesWithDilation(a, problems);
        checkCausalLayout(a, problems);
        checkInputLength(a, problems);
      },
    },
  ),
  ...convolutionRules(1),
  declaredInputShape: temporalDeclaredInputShape,
});

/** Keras 2.x: "When using causal padding in `Conv1D`, `data_format` must be "channels_last"". */
function checkCausalLayout(
  args: { readonly padding: ConvPadding; readonly data_format: DataFormat },
  problems: ArgProblems,
): void {
  if (args.padding === "causal" && args.data_format === "channels_first") {
    problems.report(
      "data_format",
      'causal padding needs data_format="channels_last" (steps before features), as in Keras 2',
      "drop data_format, or permute the input to (steps, features)",
    );
  }
}

/** `Conv2D(filters, kernel_size)`: spatial convolution over images, (batch, rows, cols, channels) in. */
export const Conv2D = defineLayer({
  name: "Conv2D",
  family: "convolutional",
  summary: "2D convolution over images: filters of kernel_size slid over rows and cols.",
  schema: convolutionSchema(2, "Conv2D"),
  ...convolutionRules(2),
});

/** `Conv3D(filters, kernel_size)`: convolution over volumes, (batch, dim1, dim2, dim3, channels) in. */
export const Conv3D = defineLayer({
  name: "Conv3D",
  family: "convolutional",
  summary: "3D convolution over volumes (e.g. frames of images).",
  schema: convolutionSchema(3, "Conv3D"),
  ...convolutionRules(3),
});

/** The bound arguments of a transposed convolution. */
interface TransposedConvolutionArgs extends ConvolutionArgs {
  readonly output_padding: readonly number[] | null;
}

/**
 * Keras 2.x: "The amount of output padding along a given dimension must be lower than the stride along that
 * same dimension" (otherwise it raises "Stride ... must be greater than output padding").
 */
function checkOutputPadding(
  args: { readonly strides: readonly number[]; readonly output_padding: readonly number[] | null },
  problems: ArgProblems,
): void {
  const padding = args.output_padding;
  if (padding?.some((p, i) => p >= args.strides[i]!)) {
    problems.report(
      "output_padding",
      `output_padding (${padding.join(", ")}) must be smaller than strides (${args.strides.join(", ")}) on every axis`,
      "output_padding only picks one of the `stride` output lengths a convolution could have come from",
    );
  }
}

/**
 * Keras 2.x's Conv2DTranspose/Conv3DTranspose: each axis through deconv_length, `filters` output channels,
 * and a kernel of shape kernel_size + (filters, in) — transposed with respect to a convolution's.
 */
function transposedConvolutionRules(rank: 2 | 3) {
  return {
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs(args: TransposedConvolutionArgs, [input]: readonly TensorType[], ctx: ShapeContext) {
      const image = readImageInput(input, rank, args.data_format, ctx);
      if (!image || knownChannels(image, args.data_format, ctx) === null) return null;
      const windows = axisWindows(args);
      const spatial = image.spatial.map((dim, i) =>
        transposedConvOutputDim(dim, windows[i]!, args.padding, args.output_padding?.[i] ?? null),
      );
      // Only an exact output_padding with "same" on a kernel of even size can reach 0 (from a length of 1).
      const empty = spatial.findIndex((d) => isKnownDim(d) && d < 1);
      if (empty >= 0) {
        ctx.argumentMismatch(
          "output_padding",
          `the output length of ${SPATIAL_NAMES[rank][empty]} would be ${spatial[empty]}`,
          "raise output_padding or use padding='valid'",
        );
        return null;
      }
      return imageOutput(image, args.data_format, spatial, args.filters);
    },
    weights(args: TransposedConvolutionArgs, [input]: readonly TensorType[]) {
      const channels = inputChannels(input, args.data_format);
      return [
        weight("kernel", [...args.kernel_size, args.filters, channels], args.kernel_initializer),
        ...biasWeights(args, [args.filters]),
      ];
    },
    lower(
      args: TransposedConvolutionArgs,
      _inputs: readonly TensorType[],
      _outputs: readonly TensorType[],
      ctx: LowerContext,
    ) {
      // A dilation (Conv2DTranspose only) is named only when it spreads the kernel: plans stay as they were.
      const dilated = args.dilation_rate?.some((d) => d !== 1) ? { dilations: args.dilation_rate! } : {};
      return [
        emitWithActivation(ctx, args.activation, (activation) =>
          lowerChannelsLast(ctx, rank + 2, args.data_format, (x) =>
            ctx.emit(
              "convTranspose",
              [x],
              {
                strides: args.strides,
                ...dilated,
                padding: windowPadding(args.padding),
                outputPadding: args.output_padding,
                activation,
              },
              kernelWeights(args, "kernel"),
            ),
          ),
        ),
      ];
    },
    flops(args: TransposedConvolutionArgs, [input]: readonly TensorType[], [output]: readonly TensorType[]) {
      // Every input value is scattered through the whole kernel into every output channel.
      const values = valuesPerSample(input);
      return kernelLayerFlops(
        values === null ? null : values * kernelVolume(args.kernel_size) * args.filters,
        output,
        args,
      );
    },
  };
}

/**
 * `Conv2DTranspose(filters, kernel_size)`: the transposed convolution ("deconvolution"). The reference's
 * signature is kept positionally; Keras 2.x's output_padding and dilation_rate (the reference lists
 * dilation_rate among its arguments) are keywords.
 */
export const Conv2DTranspose = defineLayer({
  name: "Conv2DTranspose",
  family: "convolutional",
  summary: "Transposed 2D convolution: maps a convolution's output shape back to its input shape.",
  schema: defineSchema(
    {
      filters: filtersArg(),
      kernel_size: kernelSizeArg(2),
      strides: stridesArg(2),
      padding: paddingArg(["valid", "same"], { refuse: refuseCausal("Conv2DTranspose") }),
      data_format: arg.dataFormat(),
      ...kernelAndBiasArgs(),
      output_padding: outputPaddingArg(2, { keywordOnly: true }),
      dilation_rate: dilationRateArg(2, { keywordOnly: true }),
    },
    {
      check(a, problems) {
        checkStridesWithDilation(a, problems);
        checkOutputPadding(a, problems);
      },
    },
  ),
  ...transposedConvolutionRules(2),
});

/** `Conv3DTranspose(filters, kernel_size)`: Keras 2.x's signature (not in the reference); no dilation. */
export const Conv3DTranspose = defineLayer({
  name: "Conv3DTranspose",
  family: "convolutional",
  summary: "Transposed 3D convolution over volumes.",
  schema: defineSchema(
    {
      filters: filtersArg(),
      kernel_size: kernelSizeArg(3),
      strides: stridesArg(3),
      padding: paddingArg(["valid", "same"], { refuse: refuseCausal("Conv3DTranspose") }),
      output_padding: outputPaddingArg(3),
      data_format: arg.dataFormat(),
      ...kernelAndBiasArgs(),
    },
    { check: checkOutputPadding },
  ),
  ...transposedConvolutionRules(3),
});

/** The convolutional layers, in the reference's order, for the registry. */
export const convolutionalLayers: readonly LayerDef[] = [
  Conv1D,
  Conv2D,
  ...separableLayers,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  ...convolutionalResizingLayers,
];
