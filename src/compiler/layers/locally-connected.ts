// The locally-connected family of the Keras 2 reference (局部连接层 LocallyConnected): LocallyConnected1D/2D,
// convolutions whose weights are not shared — one kernel per output position, so every spatial dim must be
// known, and padding is "valid" only (as in Keras 2).
import type { Dim, TensorType } from "../../ir/graph.js";
import { emitWithActivation } from "../5-lower/activation.js";
import { arg } from "./arg.js";
import {
  axisWindows,
  convOutputDim,
  kernelSizeArg,
  kernelVolume,
  paddingArg,
  stridesArg,
} from "./conv-arithmetic.js";
import {
  biasWeights,
  type ConvolutionArgs,
  checkInputLength,
  convolvedSpatial,
  filtersArg,
  imageOutput,
  inputChannels,
  inputLengthArg,
  kernelAndBiasArgs,
  kernelWeights,
  knownChannels,
  knownSpatial,
  ONE_INPUT,
  readImageInput,
  temporalDeclaredInputShape,
  windowDotProductFlops,
} from "./convolutional-common.js";
import { spatialDims } from "./data-format.js";
import { defineLayer, weight } from "./define-layer.js";
import type { LayerDef, LowerContext, ShapeContext } from "./layer.js";
import { separateKernelSizes } from "./legacy-positional.js";
import { type ArgProblems, defineSchema } from "./schema.js";
import { isKnownDim, knownProduct } from "./shape-utils.js";

/** The output positions of a locally-connected layer (valid windows, no dilation). */
function outputSpatial(args: ConvolutionArgs, input: TensorType | undefined): Dim[] {
  const spatial = input ? spatialDims(input.shape, args.data_format) : args.kernel_size.map(() => null);
  const windows = axisWindows(args);
  return spatial.map((dim, i) => convOutputDim(dim, windows[i]!, args.padding));
}

/**
 * Keras 2's LocallyConnected1D/2D: the rule of a valid convolution, on an input whose spatial dims are all
 * known. Weights: kernel (output positions, kernel taps * in, filters), bias (output dims..., filters).
 */
function locallyConnectedRules(rank: 1 | 2) {
  return {
    inputArity: ONE_INPUT,
    supportsMasking: false,
    inferOutputs(args: ConvolutionArgs, [input]: readonly TensorType[], ctx: ShapeContext) {
      const image = readImageInput(input, rank, args.data_format, ctx);
      if (!image || knownChannels(image, args.data_format, ctx) === null) return null;
      if (!knownSpatial(image, rank, args.data_format, ctx)) return null;
      const spatial = convolvedSpatial(image.spatial, args, args.data_format, ctx);
      return spatial && imageOutput(image, args.data_format, spatial, args.filters);
    },
    weights(args: ConvolutionArgs, [input]: readonly TensorType[]) {
      const channels = inputChannels(input, args.data_format);
      const spatial = outputSpatial(args, input);
      const taps = isKnownDim(channels) ? kernelVolume(args.kernel_size) * channels : null;
      return [
        weight("kernel", [knownProduct(spatial), taps, args.filters], args.kernel_initializer),
        ...biasWeights(args, [...spatial, args.filters]),
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
      // Patches in the input's own layout (Keras's local_conv flattens them so), so no transposes.
      return [
        emitWithActivation(ctx, args.activation, (activation) =>
          ctx.emit(
            "localConv",
            [ctx.inputs[0]!],
            {
              kernelSize: args.kernel_size,
              strides: args.strides,
              channelsFirst: args.data_format === "channels_first",
              activation,
            },
            kernelWeights(args, "kernel"),
          ),
        ),
      ];
    },
  };
}

/** LocallyConnected1D/2D's arguments: the reference's signature (no dilation_rate, as in Keras 2). */
function locallyConnectedArgs(rank: 1 | 2) {
  const padding = paddingArg(["valid"], {
    refuse: (mode) => ({
      message: `LocallyConnected${rank}D supports only padding "valid" (as Keras 2), not "${mode}"`,
      hint: `pad the input with ZeroPadding${rank}D first to keep its size`,
    }),
  });
  return {
    filters: filtersArg(),
    kernel_size: kernelSizeArg(rank),
    strides: stridesArg(rank),
    padding,
    data_format: arg.dataFormat(),
    ...kernelAndBiasArgs(),
    // Not in the reference: later Keras 2.x writes it into every saved config (1 is the reference's layout).
    implementation: arg.int({
      default: 1,
      min: 1,
      max: 3,
      keywordOnly: true,
      doc: "Keras 2.x's weight layout; only 1, one kernel per output position, is supported",
    }),
  };
}

/** Implementations 2 and 3 store a dense, masked kernel: other weight shapes and counts than the reference's. */
function checkImplementation(args: { readonly implementation: number }, problems: ArgProblems): void {
  if (args.implementation !== 1) {
    problems.report(
      "implementation",
      `implementation ${args.implementation} is not supported: kerasc has the reference's layout, implementation 1 (one kernel per output position)`,
      "drop implementation, or write implementation=1",
    );
  }
}

/**
 * `LocallyConnected1D(filters, kernel_size)`: (batch, steps, channels) → (batch, new_steps, filters) with a
 * kernel per output step. Like Conv1D, a first layer may declare its input with input_dim/input_length.
 */
export const LocallyConnected1D = defineLayer({
  name: "LocallyConnected1D",
  family: "locally-connected",
  summary: "1D convolution with unshared weights: a different filter bank at each output step.",
  schema: defineSchema(
    { ...locallyConnectedArgs(1), input_length: inputLengthArg() },
    {
      check(a, problems) {
        checkImplementation(a, problems);
        checkInputLength(a, problems);
      },
    },
  ),
  ...locallyConnectedRules(1),
  declaredInputShape: temporalDeclaredInputShape,
});

/**
 * `LocallyConnected2D(filters, kernel_size)`: a 2D convolution with a kernel per output position; the
 * reference's example, 64 filters (3, 3) on (32, 32, 3), gives (None, 30, 30, 64) and
 * (30*30)*(3*3*3*64) + (30*30)*64 parameters.
 */
export const LocallyConnected2D = defineLayer({
  name: "LocallyConnected2D",
  family: "locally-connected",
  summary: "2D convolution with unshared weights: a different filter bank at each output position.",
  schema: defineSchema(locallyConnectedArgs(2), {
    check: checkImplementation,
    legacyPositional: separateKernelSizes(2),
  }),
  ...locallyConnectedRules(2),
});

/** The locally-connected layers, in the reference's order, for the registry. */
export const locallyConnectedLayers: readonly LayerDef[] = [LocallyConnected1D, LocallyConnected2D];
