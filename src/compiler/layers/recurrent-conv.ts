// ConvLSTM2D: an LSTM whose input and recurrent transformations are convolutions, over sequences of
// images (batch, time, rows, cols, channels). The window arithmetic is conv-arithmetic.ts's; the
// recurrent flags, states and masks are the shared recurrent rule's (Keras 2's ConvRNN2D is an RNN).
import type { Dim, TensorType } from "../../ir/graph.js";
import type { ConvLstmAttrs } from "../../runtime/program.js";
import { runtimeActivation } from "../5-lower/activation.js";
import { arg, type DataFormat } from "./arg.js";
import {
  axisWindows,
  convOutputDim,
  dilatedKernelSize,
  dilationRateArg,
  kernelSizeArg,
  kernelVolume,
  paddingArg,
  stridesArg,
} from "./conv-arithmetic.js";
import { checkStridesWithDilation, refuseCausal } from "./convolutional-common.js";
import { defineLayer, type LayerArgs, weight } from "./define-layer.js";
import type { LowerValue, ShapeContext } from "./layer.js";
import {
  activityRegularizer,
  biasRegularizer,
  constraintArgs,
  dropoutArgs,
  goBackwards,
  initializerArgs,
  kernelRegularizer,
  recurrentActivation,
  recurrentRegularizer,
  returnSequences,
  returnState,
  stateful,
  tanhActivation,
  unitForgetBias,
  useBias,
} from "./recurrent-args.js";
import { LSTM_ELEMENTWISE_OPS } from "./recurrent-cells.js";
import {
  checkInitialStates,
  checkSequenceFlags,
  overTimesteps,
  type RecurrentFlags,
  recurrentOutputs,
  type StateSpec,
} from "./recurrent-rule.js";
import { defineSchema } from "./schema.js";
import { formatDim, isKnownDim, knownProduct } from "./shape-utils.js";

const schema = defineSchema(
  {
    filters: arg.int({ min: 1, doc: "positive integer, the number of output filters (output channels)" }),
    kernel_size: kernelSizeArg(2),
    strides: stridesArg(2),
    padding: paddingArg(["valid", "same"], { refuse: refuseCausal("ConvLSTM2D") }),
    data_format: arg.dataFormat({
      doc: "channels_last (default): (batch, time, rows, cols, channels); channels_first: (batch, time, channels, rows, cols)",
    }),
    dilation_rate: dilationRateArg(2),
    activation: tanhActivation,
    recurrent_activation: recurrentActivation,
    use_bias: useBias,
    ...initializerArgs,
    unit_forget_bias: unitForgetBias,
    kernel_regularizer: kernelRegularizer,
    recurrent_regularizer: recurrentRegularizer,
    bias_regularizer: biasRegularizer,
    activity_regularizer: activityRegularizer,
    ...constraintArgs,
    return_sequences: returnSequences,
    go_backwards: goBackwards(),
    stateful,
    ...dropoutArgs,
    // Keras 2's ConvRNN2D takes these through **kwargs.
    return_state: returnState(true),
    unroll: arg.bool({
      default: false,
      keywordOnly: true,
      doc: "must be False: a convolutional RNN cannot be unrolled",
    }),
  },
  {
    check: (a, problems) => {
      checkStridesWithDilation(a, problems);
      if (a.unroll)
        problems.report("unroll", "unrolling is not possible with convolutional RNNs", "remove unroll=True");
    },
  },
);

type ConvLstmArgs = LayerArgs<typeof schema.args>;

/** Axes (batch = 0) of the 5D input: channels, then rows and cols. */
function axesOf(format: DataFormat): { channels: number; rows: number; cols: number } {
  return format === "channels_first" ? { channels: 2, rows: 3, cols: 4 } : { channels: 4, rows: 2, cols: 3 };
}

/** "a 5D input (batch, time, rows, cols, channels)", or channels_first's order. */
function layout(format: DataFormat): string {
  return format === "channels_first"
    ? "a 5D input (batch, time, channels, rows, cols)"
    : "a 5D input (batch, time, rows, cols, channels)";
}

function rankHint(rank: number): string | undefined {
  if (rank === 4)
    return "one image per sample has no time axis: give it one, e.g. input_shape=(timesteps, rows, cols, channels)";
  if (rank === 3) return "a sequence of vectors takes LSTM, GRU or SimpleRNN";
  return undefined;
}

/** The states h and c, each an image of the output's size with `filters` channels. */
function states(a: ConvLstmArgs, rows: Dim, cols: Dim): StateSpec[] {
  const channelsFirst = a.data_format === "channels_first";
  const shape = channelsFirst ? [a.filters, rows, cols] : [rows, cols, a.filters];
  const sizeAxis = channelsFirst ? 0 : 2;
  return [
    { name: "h", shape, sizeAxis },
    { name: "c", shape, sizeAxis },
  ];
}

/** The output rows and cols (conv_output_length), or null after reporting a kernel that does not fit. */
function outputSpatial(a: ConvLstmArgs, input: TensorType, ctx: ShapeContext): [Dim, Dim] | null {
  const axes = axesOf(a.data_format);
  const windows = axisWindows(a);
  const spatial = [input.shape[axes.rows] ?? null, input.shape[axes.cols] ?? null];
  const output = spatial.map((dim, i) => convOutputDim(dim, windows[i]!, a.padding));
  const misfit = output.findIndex((d) => isKnownDim(d) && d < 1);
  if (misfit >= 0) {
    const window = windows[misfit]!;
    const span = dilatedKernelSize(window.kernel, window.dilation);
    ctx.argumentMismatch(
      "kernel_size",
      `kernel ${window.kernel}${span === window.kernel ? "" : ` dilated by ${window.dilation} (spanning ${span})`} is larger than the input's ${misfit === 0 ? "rows" : "cols"}, ${formatDim(spatial[misfit]!)}, with padding='${a.padding}'`,
      "use a smaller kernel_size (or dilation_rate), padding='same', or larger images",
    );
    return null;
  }
  return [output[0]!, output[1]!];
}

/** The flags of ConvLSTM2D (never unrolled). */
const flagsOf = (a: ConvLstmArgs): RecurrentFlags => ({ ...a, unroll: false });

/** The input's channels, the kernel's third axis. */
function channelsOf(a: ConvLstmArgs, input: TensorType | undefined): Dim {
  return input?.shape[axesOf(a.data_format).channels] ?? null;
}

/**
 * `ConvLSTM2D(filters, kernel_size)`: (batch, time, rows, cols, channels) → (batch, rows', cols', filters),
 * or the whole sequence (batch, time, rows', cols', filters) with return_sequences (channels_first: the
 * filters before rows and cols). Weights: kernel (kh, kw, channels, 4*filters), recurrent_kernel (kh, kw,
 * filters, 4*filters), bias (4*filters).
 */
export const ConvLSTM2D = defineLayer({
  name: "ConvLSTM2D",
  family: "recurrent",
  summary: "Convolutional LSTM: the input and recurrent transformations are convolutions.",
  schema,
  inputArity: { min: 1, max: 3 },
  supportsMasking: true,
  inferOutputs(a, inputs, ctx) {
    const [input, ...initial] = inputs;
    if (!input) return null;
    if (input.shape.length !== 5) {
      ctx.inputMismatch(0, layout(a.data_format), rankHint(input.shape.length));
      return null;
    }
    const channels = channelsOf(a, input);
    if (!isKnownDim(channels)) {
      ctx.inputMismatch(
        0,
        `a known number of channels on axis ${axesOf(a.data_format).channels}, not ${formatDim(channels)}`,
        "the kernel's shape depends on the channel count: give the input a fixed size on that axis",
      );
      return null;
    }
    const spatial = outputSpatial(a, input, ctx);
    if (!spatial) return null;
    const flags = flagsOf(a);
    const stateSpecs = states(a, ...spatial);
    if (!checkSequenceFlags(input, flags, ctx)) return null;
    if (!checkInitialStates(input, initial, stateSpecs, ctx)) return null;
    return recurrentOutputs(input, stateSpecs[0]!.shape, stateSpecs, flags);
  },
  weights(a, [input]) {
    const [kh, kw] = a.kernel_size as [number, number];
    const gates = 4 * a.filters;
    return [
      weight("kernel", [kh, kw, channelsOf(a, input), gates], a.kernel_initializer),
      weight("recurrent_kernel", [kh, kw, a.filters, gates], a.recurrent_initializer),
      ...(a.use_bias ? [weight("bias", [gates], a.bias_initializer)] : []),
    ];
  },
  /**
   * Per timestep and output position: the input convolution (kernel window × channels × 4·filters
   * multiply-adds), the recurrent one (window × filters × 4·filters) and LSTM's gate arithmetic.
   */
  flops(a, [input], [output]) {
    const channels = channelsOf(a, input);
    const axes = axesOf(a.data_format);
    // The output's rows and cols sit where the input's are, one axis earlier without return_sequences.
    const shift = a.return_sequences ? 0 : 1;
    const positions = output
      ? knownProduct([output.shape[axes.rows - shift] ?? null, output.shape[axes.cols - shift] ?? null])
      : null;
    if (!isKnownDim(channels) || positions === null) return null;
    const window = kernelVolume(a.kernel_size);
    const gates = 4 * a.filters;
    const perPosition =
      2 * window * channels * gates +
      2 * window * a.filters * gates +
      (a.use_bias ? gates : 0) +
      LSTM_ELEMENTWISE_OPS * a.filters;
    return overTimesteps(input?.shape[1], positions * perPosition);
  },
  // One `convLstm` step on channels-last images; channels_first is transposed to it and back.
  lower(a, _inputs, outputs, ctx) {
    const channelsFirst = a.data_format === "channels_first";
    const [x, ...initial] = ctx.inputs;
    const mask = ctx.inputMasks[0] ?? null;
    const toLast = (v: LowerValue, rank: 4 | 5) =>
      channelsFirst ? ctx.emit("transpose", [v], { perm: rank === 5 ? [0, 1, 3, 4, 2] : [0, 2, 3, 1] }) : v;
    const attrs: ConvLstmAttrs = {
      filters: a.filters,
      strides: [...(a.strides as readonly number[])],
      padding: a.padding as "valid" | "same",
      dilation: [...(a.dilation_rate as readonly number[])],
      activation: runtimeActivation(a.activation),
      recurrentActivation: runtimeActivation(a.recurrent_activation),
      useBias: a.use_bias,
      goBackwards: a.go_backwards,
      returnSequences: a.return_sequences,
      returnState: a.return_state,
      stateful: a.stateful,
      masked: mask !== null,
      initialState: initial.length > 0,
      dropout: a.dropout,
      recurrentDropout: a.recurrent_dropout,
    };
    const results = ctx.emitMany(
      "convLstm",
      [toLast(x!, 5), ...(mask ? [mask] : []), ...initial.map((s) => toLast(s, 4))],
      attrs,
      a.use_bias ? ["kernel", "recurrent_kernel", "bias"] : ["kernel", "recurrent_kernel"],
      outputs.length,
    );
    if (!channelsFirst) return results;
    return results.map((v, i) =>
      ctx.emit("transpose", [v], {
        perm: i === 0 && a.return_sequences ? [0, 1, 4, 2, 3] : [0, 3, 1, 2],
      }),
    );
  },
});
