// The `rnn` op: a whole Keras 2 recurrent layer (SimpleRNN, GRU, LSTM, RNN over stacked cells, the CuDNN
// layers) as one step, its time loop run on tfjs functions (K.rnn's semantics, rnn-loop.ts). The first
// cell's input projection (x · kernel + input bias) is one matrix product over all timesteps ahead of the
// loop. (The `convLstm` op, ConvLSTM2D, lives in rnn-conv-lstm.ts.)
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
//
// Training with dropout / recurrent_dropout (0 < rate < 1; Keras 2's cells): per cell, first to last, its
// `gates` input masks (batch, in) are drawn, then its `gates` state masks (batch, units) — this order is
// the draw order of `ops.dropout` — once per call and the same at every timestep. Implementation 1 (the
// default): gate g's kernel columns multiply x · m_g and its recurrent columns h · r_g. Implementation 2
// (LSTMCell / GRUCell.call's fused branch): only m_0 and r_0 act — x · m_0 and h · r_0 enter the whole
// kernel and recurrent kernel; a GRU's update h = z·h' + (1 − z)·h̃ then mixes the dropped h' = h · r_0
// too, as Keras 2 computes it. At inference dropout is the identity and both implementations agree.
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  Add,
  BatchMatMul,
  Cast,
  Concat,
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
import type { OpAttrs, RnnAttrs, RnnCellAttrs } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import type { KernelContext, OpGroup } from "./op-def.js";
import { convLstmOp } from "./rnn-conv-lstm.js";
import { dropoutActs, dropoutMasks, type HeldLike, heldOf, timeLoop, timeMasks } from "./rnn-loop.js";
import type { TfOps } from "./tf-ops.js";

/** States per cell kind: h, or h and c. */
const STATE_COUNT: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 1, lstm: 2 };

/** Gates per cell kind: its kernels hold gates · units columns. */
const GATES: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 3, lstm: 4 };

/** One cell's weights, the bias already split into its input and recurrent parts. */
interface CellWeights {
  readonly attrs: RnnCellAttrs;
  readonly kernel: Tensor;
  readonly recurrentKernel: Tensor;
  readonly inputBias: Tensor | undefined;
  readonly recurrentBias: Tensor | undefined;
  /**
   * Training with dropout: the input masks (batch, in) the kernel products use, the same at every
   * timestep — one per gate (implementation 1), or the first alone for the whole kernel (implementation 2).
   */
  readonly inputMasks?: readonly Tensor[];
  /** Training with recurrent_dropout: likewise the state masks (batch, units). */
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

/**
 * A cell's training-mode masks: `gates` input masks then `gates` state masks are drawn (Keras draws one
 * per gate whatever the implementation); implementation 2 keeps the first of each.
 */
function withMasks(cell: CellWeights, inputDepth: number, batch: number, ops: TfOps, ctx: KernelContext) {
  const gates = GATES[cell.attrs.kind];
  const used = (masks: Tensor[] | undefined) =>
    masks && cell.attrs.implementation === 2 ? masks.slice(0, 1) : masks;
  const inputMasks = used(dropoutMasks(cell.attrs.dropout, gates, [batch, inputDepth], ops, ctx));
  const stateMasks = used(
    dropoutMasks(cell.attrs.recurrentDropout, gates, [batch, cell.attrs.units], ops, ctx),
  );
  return { ...cell, ...(inputMasks ? { inputMasks } : {}), ...(stateMasks ? { stateMasks } : {}) };
}

/**
 * x · kernel with dropout masks: with one mask per gate, gate g's columns take x times its own mask,
 * concat_g((x · m_g) · kernel_g); with a single mask, (x · m) · kernel. `maskOf` shapes a mask for x (a 3D
 * x broadcasts it over time). Rank > 2 is flattened to 2D around the products.
 */
function maskedProduct(
  x: Tensor,
  kernel: Tensor,
  masks: readonly Tensor[] | undefined,
  ops: TfOps,
  maskOf: (mask: Tensor) => Tensor = (mask) => mask,
): Tensor {
  const depth = x.shape[x.rank - 1]!;
  const flat = (t: Tensor) => (t.rank > 2 ? ops.reshape(t, [-1, depth]) : t);
  if (!masks) return ops.matMul(flat(x), kernel);
  if (masks.length === 1) return ops.matMul(flat(ops.mul(x, maskOf(masks[0]!))), kernel);
  const columns = ops.split(kernel, masks.length, 1);
  const products = masks.map((mask, g) => ops.matMul(flat(ops.mul(x, maskOf(mask))), columns[g]!));
  return ops.concat(products, 1);
}

/** x · kernel + input bias, 2D (`maskOf` as in maskedProduct). */
function project(x: Tensor, cell: CellWeights, ops: TfOps, maskOf?: (mask: Tensor) => Tensor): Tensor {
  const product = maskedProduct(x, cell.kernel, cell.inputMasks, ops, maskOf);
  return cell.inputBias ? ops.add(product, cell.inputBias) : product;
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
  const masks = cell.stateMasks;
  const recurrent = () => {
    const product = maskedProduct(h, cell.recurrentKernel, masks, ops);
    return cell.recurrentBias ? ops.add(product, cell.recurrentBias) : product;
  };
  // The state as gate g sees it: times its recurrent dropout mask in training (implementation 2: the one
  // mask every gate shares).
  const hFor = (g: number) => (masks ? ops.mul(h, masks[masks.length === 1 ? 0 : g]!) : h);
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
      // Implementation 2 mixes the dropped state (Keras 2: `h_tm1 *= rec_dp_mask[0]` before the update).
      const previous = a.implementation === 2 ? hFor(0) : h;
      // h = z·h + (1 − z)·h̃, written h̃ + z·(h − h̃).
      return [ops.add(candidate, ops.mul(z, ops.sub(previous, candidate)))];
    }
  }
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
  const cells = splitWeights(attrs, weights, ops).map((cell, i, all) =>
    withMasks(cell, i === 0 ? features : all[i - 1]!.attrs.units, batch, ops, ctx),
  );

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

/** The kernels an `rnn` step may run. */
function rnnKernels(attrs: OpAttrs["rnn"]): readonly string[] {
  const kernels = new Set<string>([Reshape, BatchMatMul, Add, Sub, Multiply, SplitV, Unpack, Pack, Cast]);
  if (attrs.stateful) kernels.add(Identity);
  // Training-mode dropout masks (tf.dropout) and the per-gate products they need.
  if (attrs.cells.some((c) => dropoutActs(c.dropout) || dropoutActs(c.recurrentDropout)))
    for (const k of [Floor, RealDiv, Concat]) kernels.add(k);
  for (const cell of attrs.cells) {
    for (const fn of [cell.activation, cell.recurrentActivation])
      for (const k of activationKernels({ fn })) kernels.add(k);
  }
  return [...kernels];
}

/** The `rnn` and `convLstm` ops. */
export const rnnOps: OpGroup<"rnn" | "convLstm"> = {
  rnn: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: { min: 2, max: Number.POSITIVE_INFINITY },
    kernels: rnnKernels,
    run: (inputs, attrs, weights, ops, ctx) =>
      runRnn(inputs, attrs, weights, ops, heldOf(ctx, weights[0]!), ctx),
  },
  convLstm: convLstmOp,
};
