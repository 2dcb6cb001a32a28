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
import type { Tensor } from "@tensorflow/tfjs-core";
import {
  Add,
  BatchMatMul,
  Cast,
  Identity,
  Multiply,
  Pack,
  Reshape,
  SplitV,
  Sub,
  Unpack,
} from "@tensorflow/tfjs-core";
import type { OpAttrs, RnnAttrs, RnnCellAttrs } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import type { OpGroup } from "./op-def.js";
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

/** x · kernel + input bias for a 2D x. */
function project(x: Tensor, cell: CellWeights, ops: TfOps): Tensor {
  const product = ops.matMul(x, cell.kernel);
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
  const recurrent = () => {
    const product = ops.matMul(h, cell.recurrentKernel);
    return cell.recurrentBias ? ops.add(product, cell.recurrentBias) : product;
  };
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
        z = gate(ops.add(xz!, ops.matMul(h, uz!)));
        const r = gate(ops.add(xr!, ops.matMul(h, ur!)));
        candidate = act(ops.add(xh!, ops.matMul(ops.mul(r, h), uh!)));
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
) {
  const x = inputs[0]!;
  let next = 1;
  const maskInput = attrs.masked ? inputs[next++] : undefined;
  const initial = attrs.initialState ? inputs.slice(next) : undefined;
  const [batch, timesteps, features] = x.shape as [number, number, number];
  const cells = splitWeights(attrs, weights, ops);

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
  let states: Tensor[][] = initial
    ? fromKerasOrder(initial)
    : heldStates
      ? fromKerasOrder(heldStates)
      : cells.map((c) =>
          Array.from({ length: STATE_COUNT[c.attrs.kind] }, () => ops.zeros([batch, c.attrs.units])),
        );

  // The first cell's input projection for every timestep at once.
  const first = cells[0]!;
  const projected = ops.reshape(project(ops.reshape(x, [batch * timesteps, features]), first, ops), [
    batch,
    timesteps,
    -1,
  ]);
  const steps = ops.unstack(projected, 1);
  const masks = maskInput
    ? ops
        .unstack(
          ops.reshape(maskInput.dtype === "float32" ? maskInput : ops.cast(maskInput, "float32"), [
            batch,
            timesteps,
          ]),
          1,
        )
        .map((m) => ops.reshape(m, [batch, 1]))
    : undefined;

  const order = [...steps.keys()];
  if (attrs.goBackwards) order.reverse();
  const outputs: Tensor[] = [];
  for (const t of order) {
    let input = steps[t]!;
    const updated = cells.map((cell, i) => {
      const xp = i === 0 ? input : project(input, cell, ops);
      const result = cellStep(cell, xp, states[i]!, ops);
      input = result[0]!;
      return result;
    });
    const mask = masks?.[t];
    states = mask
      ? updated.map((cellStates, i) => cellStates.map((s, j) => blend(mask, s, states[i]![j]!, ops)))
      : updated;
    // The output is the last cell's h: under a mask it is carried forward like the states.
    outputs.push(states[states.length - 1]![0]!);
  }

  const finalStates = kerasOrder(states);
  if (attrs.stateful) held.set(finalStates.map((s) => ops.keep(ops.clone(s))));
  const output = attrs.returnSequences ? ops.stack(outputs, 1) : outputs[outputs.length - 1]!;
  return attrs.returnState ? [output, ...finalStates] : [output];
}

interface HeldLike {
  get(): readonly Tensor[] | undefined;
  set(tensors: readonly Tensor[]): void;
}

/** The kernels an `rnn` step may run. */
function rnnKernels(attrs: OpAttrs["rnn"]): readonly string[] {
  const kernels = new Set<string>([Reshape, BatchMatMul, Add, Sub, Multiply, SplitV, Unpack, Pack, Cast]);
  if (attrs.stateful) kernels.add(Identity);
  for (const cell of attrs.cells) {
    for (const fn of [cell.activation, cell.recurrentActivation])
      for (const k of activationKernels({ fn })) kernels.add(k);
  }
  return [...kernels];
}

/** The `rnn` op. */
export const rnnOps: OpGroup<"rnn"> = {
  rnn: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: { min: 2, max: Number.POSITIVE_INFINITY },
    kernels: rnnKernels,
    run(inputs, attrs, weights, ops, ctx) {
      const key = weights[0]!;
      const held: HeldLike = {
        get: () => ctx.heldStates?.get(key),
        set: (tensors) => {
          if (ctx.heldStates) ctx.heldStates.set(key, tensors);
          else for (const t of tensors) t.dispose();
        },
      };
      return runRnn(inputs, attrs, weights, ops, held);
    },
  },
};
