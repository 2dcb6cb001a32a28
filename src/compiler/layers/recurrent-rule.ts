// The shape rule every recurrent layer shares (Keras 2's RNN.compute_output_shape / compute_mask and the
// checks of RNN.build / call / reset_states): a fixed batch size for stateful layers, known timesteps
// for unroll, initial states that match the cell's states, return_sequences and return_state.
import { unifyDims } from "../../ir/dims.js";
import type { Dim, Shape, TensorType } from "../../ir/graph.js";
import type { ShapeContext } from "./layer.js";
import { formatDim, formatShape, isKnownDim } from "./shape-utils.js";

/** One state a recurrent layer carries: `h`, `c`. */
export interface StateSpec {
  /** The name messages use: "h", "c". */
  readonly name: string;
  /** The state's shape without the batch dimension: (units,), or (rows, cols, filters) for ConvLSTM2D. */
  readonly shape: readonly Dim[];
  /** The axis of `shape` (0-based, batch excluded) that must match exactly: the units or the filters. */
  readonly sizeAxis: number;
}

/** The flags of Keras 2's RNN base class that the shape rule reads. */
export interface RecurrentFlags {
  readonly return_sequences: boolean;
  readonly return_state: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
}

/**
 * The checks every recurrent layer makes of its input sequence (already known to have the right rank):
 * stateful=True needs a fixed batch size (Keras 2's reset_states), unroll=True a known number of
 * timesteps other than 1 (RNN.call). False after reporting.
 */
export function checkSequenceFlags(input: TensorType, flags: RecurrentFlags, ctx: ShapeContext): boolean {
  if (flags.stateful && !isKnownDim(input.shape[0] ?? null)) {
    ctx.inputMismatch(
      0,
      "a fixed batch size, since it is stateful (stateful=True keeps one state per sample of a batch)",
      "fix the batch size: batch_input_shape=(32, ...) or batch_size=32 on the first layer of a sequential model, batch_shape=(32, ...) on an Input",
    );
    return false;
  }
  const timesteps = input.shape[1] ?? null;
  if (flags.unroll && (!isKnownDim(timesteps) || timesteps === 1)) {
    ctx.inputMismatch(
      0,
      `a known number of timesteps greater than 1, since unroll=True, not ${formatDim(timesteps)}`,
      "give the input a fixed length (input_shape=(timesteps, features)), or drop unroll=True",
    );
    return false;
  }
  return true;
}

/**
 * Checks the initial states passed with `initial_state=` (inputs 1.. of the node, after the sequence):
 * as many as the layer has states, each of the state's shape with the input's batch size. An empty list
 * means none were passed. False after reporting.
 */
export function checkInitialStates(
  input: TensorType,
  given: readonly TensorType[],
  states: readonly StateSpec[],
  ctx: ShapeContext,
  firstIndex = 1,
): boolean {
  if (given.length === 0) return true;
  const batch = input.shape[0] ?? null;
  const expectedShape = (s: StateSpec) => formatShape([batch === null ? "batch" : batch, ...s.shape]);
  if (given.length !== states.length) {
    const names = states.map((s) => s.name).join(", ");
    const shapes = [...new Set(states.map(expectedShape))].join(" / ");
    const fewer = given.length < states.length;
    ctx.inputMismatch(
      firstIndex + (fewer ? given.length - 1 : states.length),
      `initial_state=[${names}], ${states.length} tensor${states.length === 1 ? "" : "s"} of shape ${shapes}; it has ${given.length}, the ${fewer ? "last" : "first extra"}`,
      "pass one initial tensor per state of the layer, in the order Keras returns them with return_state=True",
    );
    return false;
  }
  for (const [i, state] of states.entries()) {
    const actual = given[i]!.shape;
    if (!stateFits(actual, batch, state)) {
      ctx.inputMismatch(
        firstIndex + i,
        `an initial state ${state.name} of shape ${expectedShape(state)}`,
        batch !== null && !isBatchCompatible(actual[0] ?? null, batch)
          ? "initial states have the batch size of the input sequence"
          : undefined,
      );
      return false;
    }
  }
  return true;
}

function isBatchCompatible(a: Dim, b: Dim): boolean {
  return unifyDims(a, b) !== undefined;
}

/** Keras 2 requires the state's size (units / filters) exactly; the other dims need only agree. */
function stateFits(actual: Shape, batch: Dim, state: StateSpec): boolean {
  if (actual.length !== state.shape.length + 1) return false;
  if (!isBatchCompatible(actual[0] ?? null, batch)) return false;
  return state.shape.every((want, axis) => {
    const got = actual[axis + 1] ?? null;
    return axis === state.sizeAxis ? got === want : unifyDims(got, want) !== undefined;
  });
}

/**
 * The outputs of a recurrent layer whose per-step output is `step` (batch and time excluded): the last
 * output, or the whole sequence with return_sequences (which keeps the input's mask, as Keras 2's
 * RNN.compute_mask does), followed with return_state by one unmasked tensor per state.
 */
export function recurrentOutputs(
  input: TensorType,
  step: readonly Dim[],
  states: readonly StateSpec[],
  flags: RecurrentFlags,
): readonly TensorType[] {
  const batch = input.shape[0] ?? null;
  const output: TensorType = flags.return_sequences
    ? { shape: [batch, input.shape[1] ?? null, ...step], dtype: "float32", masked: input.masked }
    : { shape: [batch, ...step], dtype: "float32", masked: false };
  if (!flags.return_state) return [output];
  return [
    output,
    ...states.map((s): TensorType => ({ shape: [batch, ...s.shape], dtype: "float32", masked: false })),
  ];
}

/** Per-timestep FLOPs times the number of timesteps; null when either is unknown. */
export function overTimesteps(timesteps: Dim | undefined, perStep: number | null): number | null {
  return perStep !== null && isKnownDim(timesteps ?? null) ? (timesteps as number) * perStep : null;
}
