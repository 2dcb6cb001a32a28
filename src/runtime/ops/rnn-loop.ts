// What the `rnn` and `convLstm` ops share: Keras 2's K.rnn time loop (masks carry states forward,
// go_backwards, return_sequences / return_state, stateful states held in the model) and the training-mode
// dropout masks of Keras 2's cells (_generate_dropout_mask).
import type { Tensor } from "@tensorflow/tfjs-core";
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

/** The (batch, timesteps) mask as one float32 (batch, 1, ...) tensor per timestep, of rank `rank`. */
export function timeMasks(
  mask: Tensor,
  batch: number,
  timesteps: number,
  rank: number,
  ops: TfOps,
): Tensor[] {
  const float = mask.dtype === "float32" ? mask : ops.cast(mask, "float32");
  return ops
    .unstack(ops.reshape(float, [batch, timesteps]), 1)
    .map((m) => ops.reshape(m, [batch, ...Array<number>(rank - 1).fill(1)]));
}

/**
 * Keras's K.rnn: `step` over the timesteps' projected inputs (backwards with goBackwards) from `initial`
 * (states in Keras order, the first one the output); a masked timestep keeps every state, so the output
 * is carried forward too. Stateful loops hand their final states to `held`.
 */
export function timeLoop(
  flags: LoopFlags,
  steps: readonly Tensor[],
  masks: readonly Tensor[] | undefined,
  initial: readonly Tensor[],
  held: HeldLike,
  ops: TfOps,
  step: (input: Tensor, states: readonly Tensor[]) => Tensor[],
): Tensor[] {
  const order = [...steps.keys()];
  if (flags.goBackwards) order.reverse();
  let states = initial;
  const outputs: Tensor[] = [];
  for (const t of order) {
    const updated = step(steps[t]!, states);
    const mask = masks?.[t];
    states = mask ? updated.map((s, j) => blend(mask, s, states[j]!, ops)) : updated;
    outputs.push(states[0]!);
  }
  if (flags.stateful) held.set(states.map((s) => ops.keep(ops.clone(s))));
  const output = flags.returnSequences ? ops.stack(outputs, 1) : outputs[outputs.length - 1]!;
  return flags.returnState ? [output, ...states] : [output];
}
