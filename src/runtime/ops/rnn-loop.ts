// What the `rnn` and `convLstm` ops share: Keras 2's K.rnn time loop (masks carry states forward,
// go_backwards, return_sequences / return_state, stateful states held in the model) and the training-mode
// dropout masks of Keras 2's cells (_generate_dropout_mask), and reading one timestep of a sequence.
//
// Memory: each timestep runs in its own tf.tidy that keeps only the new states, and the states it replaces
// are disposed at once (unless they are the initial ones, or outputs kept for returnSequences), so a loop
// holds O(1) timesteps of intermediates instead of all of them until the step's tidy ends.
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  Concat,
  GatherNd,
  gatherND,
  getBackend,
  Reshape,
  Slice,
  tensor2d,
  tidy,
} from "@tensorflow/tfjs-core";
import type { KernelContext } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** A step's states kept between predicts (stateful layers). */
export interface HeldLike {
  get(): readonly Tensor[] | undefined;
  set(tensors: readonly Tensor[]): void;
}

/** A step's held states, keyed by its first weight (one state per layer, as in Keras). */
export function heldOf(ctx: KernelContext, key: object): HeldLike {
  return {
    get: () => ctx.heldStates?.get(key),
    set: (tensors) => {
      if (ctx.heldStates) ctx.heldStates.set(key, tensors);
      else for (const t of tensors) t.dispose();
    },
  };
}

/** The flags the time loop reads. */
export interface LoopFlags {
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
}

/** Whether a dropout rate acts: Keras 2's cells apply dropout only for 0 < rate < 1. */
export function dropoutActs(rate: number | undefined): rate is number {
  return rate !== undefined && rate > 0 && rate < 1;
}

/**
 * Training-mode dropout masks (Keras 2's _generate_dropout_mask(ones_like(x), rate, count)): `count`
 * tensors of `shape`, each element 0 or 1/(1 − rate), drawn by tf.dropout from `ctx.nextSeed()` in order
 * (the mask source is the injectable `ops.dropout`). Undefined at inference or when the rate does not act.
 */
export function dropoutMasks(
  rate: number | undefined,
  count: number,
  shape: readonly number[],
  ops: TfOps,
  ctx: KernelContext,
): Tensor[] | undefined {
  if (!ctx.training || !dropoutActs(rate)) return undefined;
  const ones = ops.add(ops.zeros([...shape]), 1);
  return Array.from({ length: count }, () => ops.dropout(ones, rate, undefined, ctx.nextSeed()));
}

/** prev + m · (next − prev): next where the (batch, 1, ...) mask is 1, prev where it is 0. */
function blend(mask: Tensor, next: Tensor, prev: Tensor, ops: TfOps): Tensor {
  return ops.add(prev, ops.mul(mask, ops.sub(next, prev)));
}

/**
 * The (batch, timesteps) mask as one float32 tensor per timestep, shaped `shape` (batch and ones: (batch, 1,
 * ...) for batch-major states, (1, batch) for feature-major ones).
 */
export function timeMasks(
  mask: Tensor,
  batch: number,
  timesteps: number,
  shape: readonly number[],
  ops: TfOps,
): Tensor[] {
  const float = mask.dtype === "float32" ? mask : ops.cast(mask, "float32");
  return ops.unstack(ops.reshape(float, [batch, timesteps]), 1).map((m) => ops.reshape(m, [...shape]));
}

/** The (batch, 1, ...) shape of a rank-`rank` state's mask. */
export const batchMaskShape = (batch: number, rank: number): number[] => [
  batch,
  ...Array<number>(rank - 1).fill(1),
];

/** The tfjs kernels `timeReader` may run. */
export const TIME_READER_KERNELS: readonly string[] = [GatherNd, Slice, Concat, Reshape];

/**
 * Timestep t of a (batch, timesteps, ...) sequence as a (batch, ...) tensor, copying only that timestep.
 * tfjs's slicing kernels cost more than their output, each backend differently: wasm's Slice (and Unpack,
 * SplitV, built on it) copies its whole input to JavaScript per call, O(timesteps · sequence) over a loop,
 * and its GatherV2 walks elements one by one (~1 ms per (32, 512) step), while GatherNd copies each
 * (batch, t) row natively (~0.03 ms). cpu slices a non-contiguous region (and gathers) element by element,
 * ~2 µs each, but a contiguous slice is a view: each sample's row is one, and concat joins them with
 * whole-row copies. (gatherND and the index tensor are tfjs-core's own: TfOps does not list them.)
 */
export function timeReader(
  seq: Tensor,
  ops: TfOps,
  flat?: { readonly batch: number; readonly timesteps: number },
): (t: number) => Tensor {
  // `flat`: the sequence is (batch·timesteps, ...), sample b's timestep t at row b·timesteps + t.
  const batch = flat ? flat.batch : seq.shape[0]!;
  const rest = seq.shape.slice(flat ? 1 : 2);
  const lead = flat ? 1 : 2;
  const at = (b: number, t: number) => (flat ? [b * flat.timesteps + t] : [b, t]);
  if (getBackend() !== "cpu") {
    // The rows of every sample b at t: the index tensor's values, refilled per step.
    const indices = new Int32Array(lead * batch);
    return (t) => {
      for (let b = 0; b < batch; b++) indices.set(at(b, t), lead * b);
      return gatherND(seq, tensor2d(indices, [batch, lead], "int32"));
    };
  }
  const zeros = Array<number>(rest.length).fill(0);
  const ones = Array<number>(lead).fill(1);
  const row = (b: number, t: number) => ops.slice(seq, [...at(b, t), ...zeros], [...ones, ...rest]);
  // A flat sequence's rows are already (1, ...): one sample's needs no reshape.
  if (batch === 1 && flat) return (t) => row(0, t);
  return (t) =>
    ops.reshape(
      batch === 1
        ? row(0, t)
        : ops.concat(
            Array.from({ length: batch }, (_, b) => row(b, t)),
            0,
          ),
      [batch, ...rest],
    );
}

/** How a loop's states are laid out, when not as Keras's (batch, ...): feature-major LSTM on cpu. */
export interface StateLayout {
  /** A state in the loop's layout → Keras's (outputs, returned and held states). */
  toKeras(state: Tensor): Tensor;
  /** The per-step outputs (in the loop's layout) stacked as Keras's (batch, timesteps, ...). */
  stack(outputs: readonly Tensor[]): Tensor;
}

/**
 * Keras's K.rnn: `step` over the timesteps (backwards with goBackwards), `read(t)` giving timestep t's
 * input, from `initial` (states in Keras order, the first one the output); a masked timestep keeps every
 * state, so the output is carried forward too. Stateful loops hand their final states to `held`. Each
 * timestep runs in its own tidy; `layout` converts states kept in another layout at the end.
 */
export function timeLoop(
  flags: LoopFlags,
  timesteps: number,
  read: (t: number) => Tensor,
  masks: readonly Tensor[] | undefined,
  initial: readonly Tensor[],
  held: HeldLike,
  ops: TfOps,
  step: (input: Tensor, states: readonly Tensor[]) => Tensor[],
  layout?: StateLayout,
): Tensor[] {
  const order = [...Array(timesteps).keys()];
  if (flags.goBackwards) order.reverse();
  const keep = new Set<Tensor>(initial);
  let states = initial;
  const outputs: Tensor[] = [];
  for (const t of order) {
    const previous = states;
    states = tidy(() => {
      const updated = step(read(t), previous);
      const mask = masks?.[t];
      return mask ? updated.map((s, j) => blend(mask, s, previous[j]!, ops)) : updated;
    });
    if (flags.returnSequences) {
      outputs.push(states[0]!);
      keep.add(states[0]!);
    }
    // The states just replaced are garbage unless kept (a step may also hand a state back unchanged).
    for (const s of previous) if (!keep.has(s) && !states.includes(s)) s.dispose();
  }
  const final = layout ? states.map(layout.toKeras) : states;
  if (flags.stateful) held.set(final.map((s) => ops.keep(ops.clone(s))));
  const sequence = () => (layout ? layout.stack(outputs) : ops.stack(outputs, 1));
  const output = flags.returnSequences ? sequence() : final[0]!;
  return flags.returnState ? [output, ...final] : [output];
}
