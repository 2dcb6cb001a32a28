// The recurrent family of the Keras 2 reference (循环层 Recurrent): SimpleRNN, GRU, LSTM, RNN(cell),
// CuDNNGRU/CuDNNLSTM and ConvLSTM2D, plus the cells (recurrent-cells.ts). Each layer is its cell's maths
// run over the timesteps by one shared shape rule (recurrent-rule.ts), as Keras 2's RNN runs a cell.
import type { ArgValue, Dim, TensorType } from "../../ir/graph.js";
import type { RnnCellAttrs } from "../../runtime/program.js";
import { arg } from "./arg.js";
import { defineLayer, type LayerArgs } from "./define-layer.js";
import type { LayerDef } from "./layer.js";
import {
  activityRegularizer,
  biasRegularizer,
  checkSequenceInputArgs,
  constraintArgs,
  dropoutArgs,
  goBackwards,
  implementation,
  initializerArgs,
  kernelRegularizer,
  recurrentActivation,
  recurrentRegularizer,
  returnSequences,
  returnState,
  sequenceDeclaredInputShape,
  sequenceInputArgs,
  stateful,
  tanhActivation,
  unitForgetBias,
  units,
  unroll,
  useBias,
} from "./recurrent-args.js";
import {
  acceptCell,
  type CellSpec,
  cellLayers,
  cellSpecOf,
  cudnnCell,
  gruCell,
  isCellName,
  lstmCell,
  simpleRnnCell,
} from "./recurrent-cells.js";
import { ConvLSTM2D } from "./recurrent-conv.js";
import {
  cudnnRuntime,
  gruRuntime,
  lowerSequence,
  lstmRuntime,
  runtimeCellsOf,
  simpleRnnRuntime,
} from "./recurrent-lower.js";
import {
  checkInitialStates,
  checkSequenceFlags,
  overTimesteps,
  type RecurrentFlags,
  recurrentOutputs,
} from "./recurrent-rule.js";
import { type ArgSchema, type ArgSpecs, defineSchema } from "./schema.js";
import { formatDim, isKnownDim } from "./shape-utils.js";

/** Why a sequence of the wrong rank cannot feed a recurrent layer, by the rank it has. */
function rankHint(rank: number): string | undefined {
  if (rank === 2)
    return "(batch, features) has no time axis: a recurrent layer feeding another needs return_sequences=True, and RepeatVector repeats a vector over timesteps";
  if (rank > 3)
    return "for sequences of images use ConvLSTM2D, or wrap the per-timestep layers in TimeDistributed, or Reshape to (timesteps, features)";
  return undefined;
}

/**
 * Keras 2's RNN shape rule for a cell over a 3D sequence: (batch, timesteps, features) with known
 * features; the flags' checks; initial states (inputs 1..) shaped like the cell's states.
 */
function inferSequence(
  cell: CellSpec | undefined,
  flags: RecurrentFlags,
  inputs: readonly TensorType[],
  ctx: Parameters<LayerDef["inferOutputs"]>[2],
): readonly TensorType[] | null {
  const [input, ...initial] = inputs;
  if (!input || !cell) return null;
  if (input.shape.length !== 3) {
    ctx.inputMismatch(0, "a 3D input (batch, timesteps, features)", rankHint(input.shape.length));
    return null;
  }
  const features = input.shape[2] ?? null;
  if (!isKnownDim(features)) {
    ctx.inputMismatch(
      0,
      `a known number of features (the last axis), not ${formatDim(features)}`,
      "give the input a fixed size on its last axis",
    );
    return null;
  }
  if (!checkSequenceFlags(input, flags, ctx)) return null;
  if (!checkInitialStates(input, initial, cell.states, ctx)) return null;
  return recurrentOutputs(input, [cell.outputSize], cell.states, flags);
}

/** The last axis of the sequence: the features each timestep has. */
function featuresOf(inputs: readonly TensorType[]): Dim {
  const input = inputs[0];
  return input?.shape[input.shape.length - 1] ?? null;
}

interface SequenceLayerOptions<A extends ArgSpecs> {
  readonly name: string;
  readonly summary: string;
  readonly schema: ArgSchema<A>;
  /** CuDNN layers reject masks (Keras 2: "Masking is not supported for CuDNN RNNs"). */
  readonly supportsMasking: boolean;
  /** How many states the cell has at most, for the node's input count (the sequence plus initial states). */
  readonly maxStates: number;
  cell(args: LayerArgs<A>): CellSpec | undefined;
  flags(args: LayerArgs<A>): RecurrentFlags;
  /** The cells' runtime attributes (recurrent-lower.ts), first to last. */
  runtime(args: LayerArgs<A>): RnnCellAttrs[] | undefined;
}

/** A recurrent layer over 3D sequences: its cell's maths under the shared shape rule. */
function defineSequenceLayer<A extends ArgSpecs>(o: SequenceLayerOptions<A>): LayerDef {
  return defineLayer({
    name: o.name,
    family: "recurrent",
    summary: o.summary,
    schema: o.schema,
    inputArity: { min: 1, max: 1 + o.maxStates },
    supportsMasking: o.supportsMasking,
    declaredInputShape: sequenceDeclaredInputShape,
    inferOutputs: (args, inputs, ctx) => inferSequence(o.cell(args), o.flags(args), inputs, ctx),
    weights: (args, inputs) => o.cell(args)?.weights(featuresOf(inputs)) ?? [],
    flops(args, inputs) {
      const features = featuresOf(inputs);
      const cell = o.cell(args);
      return overTimesteps(
        inputs[0]?.shape[1],
        cell && isKnownDim(features) ? cell.stepFlops(features) : null,
      );
    },
    lower: (args, inputs, outputs, ctx) =>
      lowerSequence({ cell: (a) => o.cell(a as LayerArgs<A>), runtime: (a) => o.runtime(a as LayerArgs<A>) })(
        args as unknown as Readonly<Record<string, ArgValue>>,
        inputs,
        outputs,
        ctx,
      ),
  });
}

/** The flags of layers that have all of RNN's arguments. */
const rnnFlags = (a: RecurrentFlags): RecurrentFlags => a;

/** RNN's own arguments, in Keras 2's order, after the cell's. */
const rnnArgs = {
  return_sequences: returnSequences,
  return_state: returnState(),
  go_backwards: goBackwards(),
  stateful,
  unroll,
} as const;

/** `SimpleRNN(units)`: a fully connected RNN whose output is fed back as its state. */
export const SimpleRNN = defineSequenceLayer({
  name: "SimpleRNN",
  summary: "Fully connected RNN whose output is fed back to its input.",
  // The reference prints GRU's signature under SimpleRNN (recurrent_activation included); Keras 2's
  // SimpleRNN has no recurrent_activation, and takes `implementation` only to warn that it is deprecated.
  schema: defineSchema(
    {
      units,
      activation: tanhActivation,
      use_bias: useBias,
      ...initializerArgs,
      kernel_regularizer: kernelRegularizer,
      recurrent_regularizer: recurrentRegularizer,
      bias_regularizer: biasRegularizer,
      activity_regularizer: activityRegularizer,
      ...constraintArgs,
      ...dropoutArgs,
      ...rnnArgs,
      implementation: implementation(true),
      ...sequenceInputArgs,
    },
    { check: checkSequenceInputArgs },
  ),
  supportsMasking: true,
  maxStates: 1,
  cell: simpleRnnCell,
  flags: rnnFlags,
  runtime: simpleRnnRuntime,
});

export const GRU = defineSequenceLayer({
  name: "GRU",
  summary: "Gated recurrent unit (Cho et al. 2014).",
  schema: defineSchema(
    {
      units,
      activation: tanhActivation,
      recurrent_activation: recurrentActivation,
      use_bias: useBias,
      ...initializerArgs,
      kernel_regularizer: kernelRegularizer,
      recurrent_regularizer: recurrentRegularizer,
      bias_regularizer: biasRegularizer,
      activity_regularizer: activityRegularizer,
      ...constraintArgs,
      ...dropoutArgs,
      implementation: implementation(),
      ...rnnArgs,
      // Keras 2.1.5+; the reference's GRU has no reset_after, which is reset_after=False.
      reset_after: arg.bool({
        default: false,
        doc: "apply the reset gate after the matrix product (the CuDNN-compatible variant)",
      }),
      ...sequenceInputArgs,
    },
    { check: checkSequenceInputArgs },
  ),
  supportsMasking: true,
  maxStates: 1,
  cell: gruCell,
  flags: rnnFlags,
  runtime: gruRuntime,
});

export const LSTM = defineSequenceLayer({
  name: "LSTM",
  summary: "Long short-term memory layer (Hochreiter 1997).",
  schema: defineSchema(
    {
      units,
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
      ...dropoutArgs,
      implementation: implementation(),
      ...rnnArgs,
      ...sequenceInputArgs,
    },
    { check: checkSequenceInputArgs },
  ),
  supportsMasking: true,
  maxStates: 2,
  cell: lstmCell,
  flags: rnnFlags,
  runtime: lstmRuntime,
});

/** `RNN(cell)`: runs a cell — or a list of cells, stacked — over the timesteps. */
export const RNN = defineSequenceLayer({
  name: "RNN",
  summary: "Runs a recurrent cell (or a list of cells, stacked) over a sequence.",
  schema: defineSchema(
    {
      cell: arg.oneOf([
        arg.layer({ expected: "a cell such as LSTMCell(32)", accept: acceptCell("RNN") }),
        arg.listOf(arg.layer({ expected: "a cell such as LSTMCell(32)", accept: acceptCell("RNN") })),
      ]),
      ...rnnArgs,
      ...sequenceInputArgs,
    },
    { check: checkSequenceInputArgs },
  ),
  supportsMasking: true,
  maxStates: Number.POSITIVE_INFINITY,
  cell: (args) => cellSpecOf(args.cell),
  flags: rnnFlags,
  runtime: (args) => runtimeCellsOf(args.cell),
});

/** The arguments of the CuDNN layers after their initializers, in Keras 2's order. */
const cudnnTail = {
  kernel_regularizer: kernelRegularizer,
  recurrent_regularizer: recurrentRegularizer,
  bias_regularizer: biasRegularizer,
  activity_regularizer: activityRegularizer,
  ...constraintArgs,
  return_sequences: returnSequences,
  return_state: returnState(),
  stateful,
  // Keras 2.2 takes go_backwards through **kwargs (Bidirectional needs it).
  go_backwards: goBackwards(true),
} as const;

/** The CuDNN layers' flags: they cannot unroll. */
const cudnnFlags = (a: Omit<RecurrentFlags, "unroll">): RecurrentFlags => ({ ...a, unroll: false });

/**
 * CuDNNGRU: GRU's maths with reset_after and a sigmoid, always with CuDNN's double bias (6*units).
 * Keras runs it on GPU only; kerasc compiles it for any backend.
 */
export const CuDNNGRU = defineSequenceLayer({
  name: "CuDNNGRU",
  summary: "Fast GRU as implemented by CuDNN (GRU with reset_after and separate biases).",
  schema: defineSchema({ units, ...initializerArgs, ...cudnnTail }),
  supportsMasking: false,
  maxStates: 1,
  cell: (a) => cudnnCell(a, 3),
  flags: cudnnFlags,
  runtime: (a) => cudnnRuntime(a, 3),
});

/** CuDNNLSTM: LSTM's maths with a sigmoid, always with CuDNN's double bias (8*units). */
export const CuDNNLSTM = defineSequenceLayer({
  name: "CuDNNLSTM",
  summary: "Fast LSTM as implemented by CuDNN (separate input and recurrent biases).",
  schema: defineSchema({ units, ...initializerArgs, unit_forget_bias: unitForgetBias, ...cudnnTail }),
  supportsMasking: false,
  maxStates: 2,
  cell: (a) => cudnnCell(a, 4),
  flags: cudnnFlags,
  runtime: (a) => cudnnRuntime(a, 4),
});

/** Whether a layer is a recurrent layer (what Bidirectional wraps): the family without the cells. */
export function isRecurrentLayer(def: LayerDef): boolean {
  return def.family === "recurrent" && !isCellName(def.name);
}

/** The recurrent layers, in the reference's order, for the registry. */
export const recurrentLayers: readonly LayerDef[] = [
  SimpleRNN,
  GRU,
  LSTM,
  ConvLSTM2D,
  ...cellLayers,
  RNN,
  CuDNNGRU,
  CuDNNLSTM,
];
