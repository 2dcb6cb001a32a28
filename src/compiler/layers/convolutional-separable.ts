// The depthwise convolutions of the convolutional family: SeparableConv1D/2D (a depthwise step of
// depth_multiplier channels per input channel, then a 1×1 pointwise mix into `filters`) and
// DepthwiseConv2D (the depthwise step alone), with Keras's depthwise_kernel / pointwise_kernel weights.
import type { ConfigObject, TensorType } from "../../ir/graph.js";
import type { FusedActivation } from "../../runtime/program.js";
import { emitWithActivation } from "../5-lower/activation.js";
import { arg, type DataFormat } from "./arg.js";
import {
  type ConvPadding,
  dilationRateArg,
  kernelSizeArg,
  kernelVolume,
  paddingArg,
  stridesArg,
  type WindowArgs,
} from "./conv-arithmetic.js";
import {
  biasWeights,
  checkStridesWithDilation,
  convolvedSpatial,
  filtersArg,
  imageOutput,
  inputChannels,
  kernelLayerFlops,
  kernelWeights,
  knownChannels,
  lowerChannelsLast,
  ONE_INPUT,
  readImageInput,
  refuseCausal,
  type SpatialRank,
  valuesPerSample,
  windowPadding,
} from "./convolutional-common.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef, LowerContext, LowerValue, ShapeContext } from "./layer.js";
import { separateKernelSizes } from "./legacy-positional.js";
import type { ActivationName } from "./objects/activations.js";
import { defineSchema } from "./schema.js";
import { isKnownDim } from "./shape-utils.js";

/** The bound arguments of the depthwise step every layer here begins with. */
interface DepthwiseArgs extends WindowArgs {
  readonly padding: ConvPadding;
  readonly data_format: DataFormat;
  readonly depth_multiplier: number;
  readonly activation: ActivationName;
  readonly use_bias: boolean;
  readonly depthwise_initializer: ConfigObject;
  readonly bias_initializer: ConfigObject;
}

interface SeparableArgs extends DepthwiseArgs {
  readonly filters: number;
  readonly pointwise_initializer: ConfigObject;
}

const depthMultiplierArg = () =>
  arg.int({
    default: 1,
    min: 1,
    doc: "how many output channels the depthwise step makes of each input channel",
  });

/** The depthwise step's kernel: kernel_size + (in, depth_multiplier), one filter stack per input channel. */
function depthwiseKernel(args: DepthwiseArgs, input: TensorType | undefined) {
  const channels = inputChannels(input, args.data_format);
  return weight(
    "depthwise_kernel",
    [...args.kernel_size, channels, args.depth_multiplier],
    args.depthwise_initializer,
  );
}

/** The per-sample spatial positions of an output (its values divided by its channels), or null. */
function outputPositions(output: TensorType | undefined, channels: number): number | null {
  const values = valuesPerSample(output);
  return values === null ? null : values / channels;
}

/**
 * The shape rule shared by the depthwise layers: a known channel count, every spatial axis through
 * conv_output_length, then `outChannels(in)` channels. No mask support, as in Keras 2.
 */
function inferDepthwise(
  rank: SpatialRank,
  args: DepthwiseArgs,
  input: TensorType | undefined,
  ctx: ShapeContext,
  outChannels: (inChannels: number) => number,
): TensorType[] | null {
  const image = readImageInput(input, rank, args.data_format, ctx);
  const channels = image && knownChannels(image, args.data_format, ctx);
  if (!image || channels === null) return null;
  const spatial = convolvedSpatial(image.spatial, args, args.data_format, ctx);
  return spatial && imageOutput(image, args.data_format, spatial, outChannels(channels));
}

/** The depthwise step: `depthwiseConv` with the layer's window, the activation fused when `weights` has the bias. */
function emitDepthwise(
  ctx: LowerContext,
  x: LowerValue,
  args: DepthwiseArgs,
  activation: FusedActivation,
  weights: readonly string[],
): LowerValue {
  return ctx.emit(
    "depthwiseConv",
    [x],
    {
      strides: args.strides,
      dilations: args.dilation_rate ?? args.kernel_size.map(() => 1),
      padding: windowPadding(args.padding),
      activation,
    },
    weights,
  );
}

/**
 * Keras's separable convolution (tf.nn.separable_conv2d): the depthwise step alone, then a 1×1 pointwise
 * convolution with the bias and activation.
 */
function lowerSeparable(rank: SpatialRank, args: SeparableArgs, ctx: LowerContext): LowerValue[] {
  const ones = args.kernel_size.map(() => 1);
  return [
    emitWithActivation(ctx, args.activation, (activation) =>
      lowerChannelsLast(ctx, rank + 2, args.data_format, (x) =>
        ctx.emit(
          "conv",
          [emitDepthwise(ctx, x, args, "linear", ["depthwise_kernel"])],
          { strides: ones, dilations: ones, padding: "valid", activation },
          kernelWeights(args, "pointwise_kernel"),
        ),
      ),
    ),
  ];
}

/** Keras 2.x's `_SeparableConv` over `rank` spatial axes. */
function separableRules(rank: 1 | 2) {
  return {
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs: (args: SeparableArgs, [input]: readonly TensorType[], ctx: ShapeContext) =>
      inferDepthwise(rank, args, input, ctx, () => args.filters),
    lower: (
      args: SeparableArgs,
      _inputs: readonly TensorType[],
      _outputs: readonly TensorType[],
      ctx: LowerContext,
    ) => lowerSeparable(rank, args, ctx),
    weights(args: SeparableArgs, [input]: readonly TensorType[]) {
      const channels = inputChannels(input, args.data_format);
      const depthwiseChannels = isKnownDim(channels) ? channels * args.depth_multiplier : null;
      const pointwiseKernel = [...args.kernel_size.map(() => 1), depthwiseChannels, args.filters];
      return [
        depthwiseKernel(args, input),
        weight("pointwise_kernel", pointwiseKernel, args.pointwise_initializer),
        ...biasWeights(args, [args.filters]),
      ];
    },
    flops(args: SeparableArgs, [input]: readonly TensorType[], [output]: readonly TensorType[]) {
      const channels = inputChannels(input, args.data_format);
      const positions = outputPositions(output, args.filters);
      if (positions === null || !isKnownDim(channels)) return null;
      // Depthwise: each of in*multiplier channels over the window; pointwise: a dot product over them.
      const depthwiseChannels = channels * args.depth_multiplier;
      const multiplyAdds = positions * depthwiseChannels * (kernelVolume(args.kernel_size) + args.filters);
      return kernelLayerFlops(multiplyAdds, output, args);
    },
  };
}

/**
 * SeparableConv1D/2D's arguments. SeparableConv2D keeps the reference's positional order, where Keras 2.x's
 * dilation_rate is missing (a keyword here); SeparableConv1D (Keras 2.x only) has it in place. The
 * kernel_* arguments the reference lists are accepted as Keras accepts them (passed on to its base
 * class) but set nothing: the depthwise_* and pointwise_* arguments set the two kernels.
 */
function separableSchema(rank: 1 | 2, owner: string) {
  return defineSchema(
    {
      filters: filtersArg(),
      kernel_size: kernelSizeArg(rank),
      strides: stridesArg(rank),
      padding: paddingArg(["valid", "same"], { refuse: refuseCausal(owner) }),
      data_format: arg.dataFormat(),
      dilation_rate: dilationRateArg(rank, { keywordOnly: rank === 2 }),
      depth_multiplier: depthMultiplierArg(),
      activation: arg.activation({ default: "linear", doc: "activation function (None: linear)" }),
      use_bias: arg.bool({ default: true, doc: "whether the layer adds a bias vector" }),
      depthwise_initializer: arg.initializer({
        default: "glorot_uniform",
        doc: "initializer of the depthwise kernel",
      }),
      pointwise_initializer: arg.initializer({
        default: "glorot_uniform",
        doc: "initializer of the pointwise kernel",
      }),
      bias_initializer: arg.initializer({ default: "zeros", doc: "initializer of the bias" }),
      depthwise_regularizer: arg.regularizer({ doc: "regularizer of the depthwise kernel" }),
      pointwise_regularizer: arg.regularizer({ doc: "regularizer of the pointwise kernel" }),
      bias_regularizer: arg.regularizer({ doc: "regularizer of the bias" }),
      activity_regularizer: arg.regularizer({ doc: "regularizer of the output" }),
      depthwise_constraint: arg.constraint({ doc: "constraint on the depthwise kernel" }),
      pointwise_constraint: arg.constraint({ doc: "constraint on the pointwise kernel" }),
      bias_constraint: arg.constraint({ doc: "constraint on the bias" }),
      kernel_initializer: {
        ...arg.initializer({ default: "glorot_uniform", doc: "accepted as in Keras; sets nothing" }),
        keywordOnly: true,
      },
      kernel_regularizer: {
        ...arg.regularizer({ doc: "accepted as in Keras; sets nothing" }),
        keywordOnly: true,
      },
      kernel_constraint: {
        ...arg.constraint({ doc: "accepted as in Keras; sets nothing" }),
        keywordOnly: true,
      },
    },
    rank === 2
      ? { check: checkStridesWithDilation, legacyPositional: separateKernelSizes(2) }
      : { check: checkStridesWithDilation },
  );
}

/** `SeparableConv1D(filters, kernel_size)`: depthwise separable temporal convolution (Keras 2.x). */
export const SeparableConv1D = defineLayer({
  name: "SeparableConv1D",
  family: "convolutional",
  summary: "Depthwise separable 1D convolution: a per-channel convolution, then a pointwise mix.",
  schema: separableSchema(1, "SeparableConv1D"),
  ...separableRules(1),
});

/** `SeparableConv2D(filters, kernel_size, depth_multiplier=1)`: depthwise separable 2D convolution. */
export const SeparableConv2D = defineLayer({
  name: "SeparableConv2D",
  family: "convolutional",
  summary: "Depthwise separable 2D convolution: a per-channel convolution, then a pointwise mix.",
  schema: separableSchema(2, "SeparableConv2D"),
  ...separableRules(2),
});

/**
 * `DepthwiseConv2D(kernel_size, depth_multiplier=1)`: the depthwise step alone, in*depth_multiplier output
 * channels and a bias of that size (Keras 2.x's signature; dilation_rate, added in later 2.x, a keyword).
 */
export const DepthwiseConv2D = defineLayer({
  name: "DepthwiseConv2D",
  family: "convolutional",
  summary: "Depthwise 2D convolution: each input channel convolved on its own, depth_multiplier times.",
  schema: defineSchema(
    {
      kernel_size: kernelSizeArg(2),
      strides: stridesArg(2),
      padding: paddingArg(["valid", "same"], { refuse: refuseCausal("DepthwiseConv2D") }),
      depth_multiplier: depthMultiplierArg(),
      data_format: arg.dataFormat(),
      activation: arg.activation({ default: "linear", doc: "activation function (None: linear)" }),
      use_bias: arg.bool({ default: true, doc: "whether the layer adds a bias vector" }),
      depthwise_initializer: arg.initializer({
        default: "glorot_uniform",
        doc: "initializer of the depthwise kernel",
      }),
      bias_initializer: arg.initializer({ default: "zeros", doc: "initializer of the bias" }),
      depthwise_regularizer: arg.regularizer({ doc: "regularizer of the depthwise kernel" }),
      bias_regularizer: arg.regularizer({ doc: "regularizer of the bias" }),
      activity_regularizer: arg.regularizer({ doc: "regularizer of the output" }),
      depthwise_constraint: arg.constraint({ doc: "constraint on the depthwise kernel" }),
      bias_constraint: arg.constraint({ doc: "constraint on the bias" }),
      dilation_rate: dilationRateArg(2, { keywordOnly: true }),
    },
    { check: checkStridesWithDilation },
  ),
  inputArity: ONE_INPUT,
  supportsMasking: false,
  inferOutputs: (args, [input], ctx) =>
    inferDepthwise(2, args, input, ctx, (channels) => channels * args.depth_multiplier),
  weights(args, [input]) {
    const channels = inputChannels(input, args.data_format);
    const outChannels = isKnownDim(channels) ? channels * args.depth_multiplier : null;
    return [depthwiseKernel(args, input), ...biasWeights(args, [outChannels])];
  },
  lower: (args, _inputs, _outputs, ctx) => [
    emitWithActivation(ctx, args.activation, (activation) =>
      lowerChannelsLast(ctx, 4, args.data_format, (x) =>
        emitDepthwise(ctx, x, args, activation, kernelWeights(args, "depthwise_kernel")),
      ),
    ),
  ],
  flops(args, _inputs, [output]) {
    // Each output value reads one input channel over the window.
    const values = valuesPerSample(output);
    return kernelLayerFlops(values === null ? null : values * kernelVolume(args.kernel_size), output, args);
  },
});

/** The separable and depthwise layers, in the reference's order, for convolutionalLayers. */
export const separableLayers: readonly LayerDef[] = [SeparableConv1D, SeparableConv2D, DepthwiseConv2D];
