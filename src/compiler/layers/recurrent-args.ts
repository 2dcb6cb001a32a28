// The argument specs the recurrent layers and cells share (Keras 2's RNN signatures repeat them), and
// the input shape a recurrent first layer declares through the older `input_dim` / `input_length`.
import type { ArgValue, Shape } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { asShapeValue, baseDeclaredInputShape, batchSizeOf } from "./base-args.js";
import type { ArgProblems } from "./schema.js";

/** `units`: the size of the output and of each state. */
export const units = arg.int({ min: 1, doc: "positive integer, the dimensionality of the output space" });

export const tanhActivation = arg.activation({
  default: "tanh",
  doc: "activation function (default tanh; None: linear)",
});

/** Keras 2's recurrent default is hard_sigmoid (the reference), not the later sigmoid. */
export const recurrentActivation = arg.activation({
  default: "hard_sigmoid",
  doc: "activation of the recurrent step's gates (default hard_sigmoid; None: linear)",
});

export const useBias = arg.bool({ default: true, doc: "whether the layer uses a bias vector" });

/** The three initializers, in Keras's order. */
export const initializerArgs = {
  kernel_initializer: arg.initializer({
    default: "glorot_uniform",
    doc: "initializer of the kernel (the inputs' linear transformation)",
  }),
  recurrent_initializer: arg.initializer({
    default: "orthogonal",
    doc: "initializer of the recurrent kernel (the state's linear transformation)",
  }),
  bias_initializer: arg.initializer({ default: "zeros", doc: "initializer of the bias" }),
} as const;

export const unitForgetBias = arg.bool({
  default: true,
  doc: "add 1 to the forget gate's bias at initialization (forces bias_initializer zeros)",
});

export const kernelRegularizer = arg.regularizer({ doc: "regularizer of the kernel" });
export const recurrentRegularizer = arg.regularizer({ doc: "regularizer of the recurrent kernel" });
export const biasRegularizer = arg.regularizer({ doc: "regularizer of the bias" });
export const activityRegularizer = arg.regularizer({ doc: "regularizer of the output" });

/** The three constraints, in Keras's order. */
export const constraintArgs = {
  kernel_constraint: arg.constraint({ doc: "constraint on the kernel" }),
  recurrent_constraint: arg.constraint({ doc: "constraint on the recurrent kernel" }),
  bias_constraint: arg.constraint({ doc: "constraint on the bias" }),
} as const;

/** dropout / recurrent_dropout: fractions in [0, 1] (training only; no effect on shapes or FLOPs). */
export const dropoutArgs = {
  dropout: arg.float({
    default: 0,
    min: 0,
    max: 1,
    doc: "fraction of the units to drop for the inputs' linear transformation",
  }),
  recurrent_dropout: arg.float({
    default: 0,
    min: 0,
    max: 1,
    doc: "fraction of the units to drop for the state's linear transformation",
  }),
} as const;

/**
 * `implementation`: 1 (default since Keras 2.1; the reference's GRU signature shows it) or 2; 0 is the
 * Keras 2.0 default, which later Keras 2 accepts and treats as 1. A speed trade-off, except for training-mode
 * dropout: 1 gives each gate its own masks, 2 shares the first across the gates (Keras 2's cells).
 */
export const implementation = (keywordOnly = false) =>
  arg.int({
    default: 1,
    min: 0,
    max: 2,
    keywordOnly,
    doc: "1: more, smaller matrix products; 2: fewer, larger ones, one dropout mask shared by the gates (0: Keras 2.0's spelling of 1)",
  });

export const returnSequences = arg.bool({
  default: false,
  doc: "return the whole output sequence (batch, timesteps, units) instead of the last output",
});
export const returnState = (keywordOnly = false) =>
  arg.bool({ default: false, keywordOnly, doc: "return the last states as well as the output" });
export const goBackwards = (keywordOnly = false) =>
  arg.bool({ default: false, keywordOnly, doc: "process the input sequence backwards" });
export const stateful = arg.bool({
  default: false,
  doc: "carry each sample's last state over to the next batch (needs a fixed batch size)",
});
export const unroll = arg.bool({
  default: false,
  doc: "unroll the loop over timesteps (needs a known number of timesteps)",
});

/** The older first-layer spellings SimpleRNN/GRU/LSTM/RNN accept: `input_dim` and `input_length`. */
export const sequenceInputArgs = {
  input_dim: arg.optional(arg.int({ min: 1 }), {
    keywordOnly: true,
    doc: "first layer only: the features of each timestep (older spelling of input_shape)",
  }),
  input_length: arg.optional(arg.int({ min: 1 }), {
    keywordOnly: true,
    doc: "first layer only, with input_dim: the number of timesteps",
  }),
} as const;

/** Keras 2's legacy recurrent interface converts `input_length` only together with `input_dim`. */
export function checkSequenceInputArgs(
  a: { readonly input_dim: number | null; readonly input_length: number | null },
  problems: ArgProblems,
): void {
  if (a.input_length !== null && a.input_dim === null) {
    problems.report(
      "input_length",
      "`input_length` goes with `input_dim`",
      "write input_shape=(timesteps, features), or give input_dim as well",
    );
  }
}

/**
 * The input shape a recurrent first layer declares: `batch_input_shape` wins; then `input_dim` (with
 * `input_length`), which Keras 2 turns into input_shape=(input_length, input_dim); then `input_shape`.
 * `input_dim` alone means any number of timesteps: (None, None, input_dim).
 */
export function sequenceDeclaredInputShape(args: Readonly<Record<string, ArgValue>>): Shape | undefined {
  if (asShapeValue(args.batch_input_shape)) return baseDeclaredInputShape(args);
  if (typeof args.input_dim === "number") {
    const length = typeof args.input_length === "number" ? args.input_length : null;
    return [batchSizeOf(args), length, args.input_dim];
  }
  return baseDeclaredInputShape(args);
}
