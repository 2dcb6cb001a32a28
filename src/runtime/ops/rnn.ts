// The `rnn` op: a whole Keras 2 recurrent layer (SimpleRNN, GRU, LSTM, RNN over stacked cells, the CuDNN
// layers) as one step, its time loop run on tfjs functions (K.rnn's semantics). The first cell's input
// projection (x · kernel + input bias) is one matrix product over all timesteps ahead of the loop.
//
// Inputs: the sequence x (batch, timesteps, features); with `masked` a (batch, timesteps) mask (nonzero:
// kept); with `initialState` the initial states in Keras's order. Weights: per cell, first to last,
// kernel (in, gates·units), recurrent_kernel (units, gates·units) and, with useBias, the bias (gates·units,
// or 2·gates·units with doubleBias: the input bias, then the recurrent bias). Outputs: the last output, or
// with returnSequences all outputs (batch, timesteps, units) in processing order (reversed with
// goBackwards, as Keras returns them); with returnState then the final states.
//
// States in Keras 2.1–2.2.4's order: the last cell's first (LSTM: h, c), so the first state is the
// output. A masked timestep carries every state and the output forward unchanged.
import type { Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import {
  Add,
  BatchMatMul,
  Cast,
  Concat,
  Conv2D,
  Floor,
  Identity,
  Multiply,
  Pack,
  RealDiv,
  Reshape,
  SplitV,
  Sub,
  Unpack,
} from "@tensorflow/tfjs-core";
import type { ConvLstmAttrs, OpAttrs, RnnAttrs, RnnCellAttrs } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import type { KernelContext, OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** States per cell kind: h, or h and c. */
const STATE_COUNT: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 1, lstm: 2 };

/** One cell's weights, the bias already split into its input and recurrent parts. */
interface CellWeights {
  readonly attrs: RnnCellAttrs;
  readonly kernel: Tensor;
  readonly recurrentKernel: Tensor;
  readonly inputBias: Tensor | undefined;
  readonly recurrentBias: Tensor | undefined;
  /** Training with dropout: one input mask per gate, (batch, in); the same at every timestep. */
  readonly inputMasks?: readonly Tensor[];
  /** Training with recurrent_dropout: one state mask per gate, (batch, units). */
  readonly stateMasks?: readonly Tensor[];
}

/** How many weights each cell takes, summed: what the step must name. */
export function rnnWeightCount(attrs: RnnAttrs): number {
  return attrs.cells.reduce((sum, cell) => sum + (cell.useBias ? 3 : 2), 0);
}

/** How many states an `rnn` step carries (and returns with returnState). */
export function rnnStateCount(attrs: RnnAttrs): number {
  return attrs.cells.reduce((sum, cell) => sum + STATE_COUNT[cell.kind], 0);
}

function splitWeights(attrs: RnnAttrs, weights: readonly Tensor[], ops: TfOps): CellWeights[] {
  let at = 0;
  return attrs.cells.map((cell) => {
    const kernel = weights[at++]!;
    const recurrentKernel = weights[at++]!;
    const bias = cell.useBias ? weights[at++]! : undefined;
    if (!bias)
      return { attrs: cell, kernel, recurrentKernel, inputBias: undefined, recurrentBias: undefined };
    if (!cell.doubleBias)
      return { attrs: cell, kernel, recurrentKernel, inputBias: bias, recurrentBias: undefined };
    const [inputBias, recurrentBias] = ops.split(ops.reshape(bias, [-1]), 2);
    return { attrs: cell, kernel, recurrentKernel, inputBias, recurrentBias };
  });
}

/** Gates per cell kind: its kernels hold gates · units columns. */
const GATES: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 3, lstm: 4 };

/**
 * x · kernel; with dropout masks (Keras 2's implementation 1), each gate's columns take x times its own
 * mask: concat_g((x · m_g) · kernel_g). `maskOf` shapes a mask for x (a 3D x broadcasts it over time).
 */
function gateProduct(
  x: Tensor,
  kernel: Tensor,
  masks: readonly Tensor[] | undefined,
  ops: TfOps,
  maskOf: (mask: Tensor) => Tensor = (mask) => mask,
): Tensor {
  if (!masks) return ops.matMul(x, kernel);
  const depth = x.shape[x.rank - 1]!;
  const columns = ops.split(kernel, masks.length, 1);
  const products = masks.map((mask, g) =>
    ops.matMul(ops.reshape(ops.mul(x, maskOf(mask)), [-1, depth]), columns[g]!),
  );
  return ops.concat(products, 1);
}

/** x · kernel + input bias for a 2D x (`maskOf` as in gateProduct). */
function project(x: Tensor, cell: CellWeights, ops: TfOps, maskOf?: (mask: Tensor) => Tensor): Tensor {
  const flat = x.rank > 2 ? ops.reshape(x, [-1, x.shape[x.rank - 1]!]) : x;
  const product = cell.inputMasks
    ? gateProduct(x, cell.kernel, cell.inputMasks, ops, maskOf)
    : ops.matMul(flat, cell.kernel);
  return cell.inputBias ? ops.add(product, cell.inputBias) : product;
}

/**
 * Training-mode dropout masks (Keras's _generate_dropout_mask): per gate, ones of `shape` through
 * tf.dropout (0 or 1/(1 − rate)), seeded from the model's seed; undefined when the rate is 0.
 */
function dropoutMasks(
  rate: number | undefined,
  gates: number,
  shape: number[],
  ops: TfOps,
  ctx: KernelContext,
): Tensor[] | undefined {
  if (!ctx.training || !rate) return undefined;
  const ones = ops.add(ops.zeros(shape), 1);
  return Array.from({ length: gates }, () => ops.dropout(ones, rate, undefined, ctx.nextSeed()));
}

/**
 * One timestep of one cell: `xp` is its input already projected (x · kernel + input bias); `states` its
 * own states (h, or h and c). Returns the new states; the output is the new h.
 */
function cellStep(cell: CellWeights, xp: Tensor, states: readonly Tensor[], ops: TfOps): Tensor[] {
  const a = cell.attrs;
  const act = (t: Tensor) => applyActivation(t, ops, { fn: a.activation });
  const gate = (t: Tensor) => applyActivation(t, ops, { fn: a.recurrentActivation });
  const h = states[0]!;
  const recurrent = () => {
    const product = gateProduct(h, cell.recurrentKernel, cell.stateMasks, ops);
    return cell.recurrentBias ? ops.add(product, cell.recurrentBias) : product;
  };
  // The state as gate g sees it (times its recurrent dropout mask in training).
  const hFor = (g: number) => (cell.stateMasks ? ops.mul(h, cell.stateMasks[g]!) : h);
  switch (a.kind) {
    case "simple":
      return [act(ops.add(xp, recurrent()))];
    case "lstm": {
      const [i, f, g, o] = ops.split(ops.add(xp, recurrent()), 4, 1);
      const c = ops.add(ops.mul(gate(f!), states[1]!), ops.mul(gate(i!), act(g!)));
      return [ops.mul(gate(o!), act(c)), c];
    }
    case "gru": {
      const [xz, xr, xh] = ops.split(xp, 3, 1);
      let z: Tensor;
      let candidate: Tensor;
      if (a.resetAfter) {
        const [rz, rr, rh] = ops.split(recurrent(), 3, 1);
        z = gate(ops.add(xz!, rz!));
        const r = gate(ops.add(xr!, rr!));
        candidate = act(ops.add(xh!, ops.mul(r, rh!)));
      } else {
        const [uz, ur, uh] = ops.split(cell.recurrentKernel, 3, 1);
        z = gate(ops.add(xz!, ops.matMul(hFor(0), uz!)));
        const r = gate(ops.add(xr!, ops.matMul(hFor(1), ur!)));
        candidate = act(ops.add(xh!, ops.matMul(ops.mul(r, hFor(2)), uh!)));
      }
      // h = z·h + (1 − z)·h̃, written h̃ + z·(h − h̃).
      return [ops.add(candidate, ops.mul(z, ops.sub(h, candidate)))];
    }
  }
}

/** prev + m · (next − prev): next where the (batch, 1) mask is 1, prev where it is 0. */
function blend(mask: Tensor, next: Tensor, prev: Tensor, ops: TfOps): Tensor {
  return ops.add(prev, ops.mul(mask, ops.sub(next, prev)));
}

function runRnn(
  inputs: readonly Tensor[],
  attrs: RnnAttrs,
  weights: readonly Tensor[],
  ops: TfOps,
  held: HeldLike,
  ctx: KernelContext,
) {
  const x = inputs[0]!;
  let next = 1;
  const maskInput = attrs.masked ? inputs[next++] : undefined;
  const initial = attrs.initialState ? inputs.slice(next) : undefined;
  const [batch, timesteps, features] = x.shape as [number, number, number];
  const cells = splitWeights(attrs, weights, ops).map((cell, i, all) => {
    const gates = GATES[cell.attrs.kind];
    const inputDepth = i === 0 ? features : all[i - 1]!.attrs.units;
    const inputMasks = dropoutMasks(cell.attrs.dropout, gates, [batch, inputDepth], ops, ctx);
    const stateMasks = dropoutMasks(cell.attrs.recurrentDropout, gates, [batch, cell.attrs.units], ops, ctx);
    return { ...cell, ...(inputMasks ? { inputMasks } : {}), ...(stateMasks ? { stateMasks } : {}) };
  });

  // Per cell, its states; the flat Keras order lists the last cell's first.
  const kerasOrder = (perCell: readonly (readonly Tensor[])[]) => [...perCell].reverse().flat();
  const fromKerasOrder = (flat: readonly Tensor[]): Tensor[][] => {
    const perCell: Tensor[][] = [];
    let at = 0;
    for (let i = cells.length - 1; i >= 0; i--) {
      const count = STATE_COUNT[cells[i]!.attrs.kind];
      perCell[i] = flat.slice(at, at + count);
      at += count;
    }
    return perCell;
  };
  const heldStates = attrs.stateful ? held.get() : undefined;
  const states: Tensor[][] = initial
    ? fromKerasOrder(initial)
    : heldStates
      ? fromKerasOrder(heldStates)
      : cells.map((c) =>
          Array.from({ length: STATE_COUNT[c.attrs.kind] }, () => ops.zeros([batch, c.attrs.units])),
        );

  // The first cell's input projection for every timestep at once.
  const first = cells[0]!;
  // With dropout, each sample's masks are the same at every timestep (broadcast over time).
  const projected = ops.reshape(
    project(x, first, ops, (mask) => ops.reshape(mask, [batch, 1, features])),
    [batch, timesteps, -1],
  );
  const stepMasks = maskInput && timeMasks(maskInput, batch, timesteps, 2, ops);
  return timeLoop(
    attrs,
    ops.unstack(projected, 1),
    stepMasks,
    kerasOrder(states),
    held,
    ops,
    (input, flat) => {
      let carried = input;
      const perCell = fromKerasOrder(flat);
      const updated = cells.map((cell, i) => {
        const xp = i === 0 ? carried : project(carried, cell, ops);
        const result = cellStep(cell, xp, perCell[i]!, ops);
        carried = result[0]!;
        return result;
      });
      return kerasOrder(updated);
    },
  );
}

/** The flags the time loop reads. */
interface LoopFlags {
  readonly goBackwards: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
}

/** The (batch, timesteps) mask as one float32 (batch, 1, ...) tensor per timestep, of rank `rank`. */
function timeMasks(mask: Tensor, batch: number, timesteps: number, rank: number, ops: TfOps): Tensor[] {
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
function timeLoop(
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

interface HeldLike {
  get(): readonly Tensor[] | undefined;
  set(tensors: readonly Tensor[]): void;
}

/** The kernels an `rnn` step may run. */
function rnnKernels(attrs: OpAttrs["rnn"]): readonly string[] {
  const kernels = new Set<string>([Reshape, BatchMatMul, Add, Sub, Multiply, SplitV, Unpack, Pack, Cast]);
  if (attrs.stateful) kernels.add(Identity);
  // Training-mode dropout masks (tf.dropout) and the per-gate products they need.
  if (attrs.cells.some((c) => c.dropout || c.recurrentDropout))
    for (const k of [Floor, RealDiv, Concat]) kernels.add(k);
  for (const cell of attrs.cells) {
    for (const fn of [cell.activation, cell.recurrentActivation])
      for (const k of activationKernels({ fn })) kernels.add(k);
  }
  return [...kernels];
}

/** ConvLSTM2D: the input convolution of every timestep at once, then the LSTM over images. */
function runConvLstm(
  inputs: readonly Tensor[],
  attrs: ConvLstmAttrs,
  [kernel, recurrentKernel, bias]: readonly Tensor[],
  ops: TfOps,
  held: HeldLike,
): Tensor[] {
  const x = inputs[0]!;
  let next = 1;
  const maskInput = attrs.masked ? inputs[next++] : undefined;
  const initial = attrs.initialState ? inputs.slice(next) : undefined;
  const [batch, timesteps, rows, cols, channels] = x.shape as [number, number, number, number, number];
  const conv = ops.conv2d(
    ops.reshape(x, [batch * timesteps, rows, cols, channels]) as Tensor4D,
    kernel! as Tensor4D,
    attrs.strides as [number, number],
    attrs.padding,
    "NHWC",
    attrs.dilation as [number, number],
  );
  const biased = bias ? ops.add(conv, bias) : conv;
  const [, outRows, outCols] = biased.shape;
  const projected = ops.reshape(biased, [batch, timesteps, outRows!, outCols!, 4 * attrs.filters]);
  const stateShape = [batch, outRows!, outCols!, attrs.filters];
  const start = initial ??
    (attrs.stateful ? held.get() : undefined) ?? [ops.zeros(stateShape), ops.zeros(stateShape)];
  const act = (t: Tensor) => applyActivation(t, ops, { fn: attrs.activation });
  const gate = (t: Tensor) => applyActivation(t, ops, { fn: attrs.recurrentActivation });
  const stepMasks = maskInput && timeMasks(maskInput, batch, timesteps, 4, ops);
  return timeLoop(attrs, ops.unstack(projected, 1), stepMasks, start, held, ops, (xp, [h, c]) => {
    const recurrent = ops.conv2d(h! as Tensor4D, recurrentKernel! as Tensor4D, 1, "same");
    const [i, f, g, o] = ops.split(ops.add(xp, recurrent), 4, 3);
    const cNext = ops.add(ops.mul(gate(f!), c!), ops.mul(gate(i!), act(g!)));
    return [ops.mul(gate(o!), act(cNext)), cNext];
  });
}

/** The kernels a `convLstm` step may run. */
function convLstmKernels(attrs: OpAttrs["convLstm"]): readonly string[] {
  const kernels = new Set<string>([Conv2D, Reshape, Add, Sub, Multiply, SplitV, Unpack, Pack, Cast]);
  if (attrs.stateful) kernels.add(Identity);
  for (const fn of [attrs.activation, attrs.recurrentActivation])
    for (const k of activationKernels({ fn })) kernels.add(k);
  return [...kernels];
}

/** A step's held states, keyed by its first weight (one state per layer, as in Keras). */
function heldOf(ctx: KernelContext, key: object): HeldLike {
  return {
    get: () => ctx.heldStates?.get(key),
    set: (tensors) => {
      if (ctx.heldStates) ctx.heldStates.set(key, tensors);
      else for (const t of tensors) t.dispose();
    },
  };
}

/** The `rnn` op. */
export const rnnOps: OpGroup<"rnn" | "convLstm"> = {
  rnn: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: { min: 2, max: Number.POSITIVE_INFINITY },
    kernels: rnnKernels,
    run: (inputs, attrs, weights, ops, ctx) =>
      runRnn(inputs, attrs, weights, ops, heldOf(ctx, weights[0]!), ctx),
  },
  convLstm: {
    inputs: { min: 1, max: 4 },
    weights: { min: 2, max: 3 },
    kernels: convLstmKernels,
    run: (inputs, attrs, weights, ops, ctx) =>
      runConvLstm(inputs, attrs, weights, ops, heldOf(ctx, weights[0]!)),
  },
};
