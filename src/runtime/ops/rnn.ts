// The `rnn` op: a whole Keras 2 recurrent layer (SimpleRNN, GRU, LSTM, RNN over stacked cells, the CuDNN
// layers) as one step, its time loop run on tfjs functions (K.rnn's semantics, rnn-loop.ts). The first
// cell's input projection (x · kernel + input bias) is one matrix product over all timesteps ahead of the
// loop — or, with `projected`, a matMul step before this one did it (the hoist-rnn-input-projection pass).
// (The `convLstm` op, ConvLSTM2D, lives in rnn-conv-lstm.ts.)
//
// Inputs: the sequence x (batch, timesteps, features) — with `projected`, x · kernel of the first cell
// instead, (batch, timesteps, gates·units), without the bias; with `masked` a (batch, timesteps) mask
// (nonzero: kept); with `initialState` the initial states in Keras's order. Weights: per cell, first to
// last, kernel (in, gates·units), recurrent_kernel (units, gates·units) and, with useBias, the bias
// (gates·units, or 2·gates·units with doubleBias: the input bias, then the recurrent bias); with
// `projected` the first cell has no kernel (its bias stays here: the loop adds the input bias to each
// step's recurrent product, a fused bias, instead of a second (batch, timesteps, gates·units) tensor).
// Outputs: the last output, or
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
  _FusedMatMul,
  Add,
  BatchMatMul,
  Cast,
  Concat,
  engine,
  Floor,
  GatherNd,
  gatherND,
  getBackend,
  Identity,
  Multiply,
  Pack,
  RealDiv,
  Reshape,
  SplitV,
  Sub,
  Tile,
  Transpose,
  tensor2d,
  tidy,
  Unpack,
} from "@tensorflow/tfjs-core";
import { cpuSubstitute } from "../cpu/kernels.js";
import type { OpAttrs, RnnAttrs, RnnCellAttrs } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import type { KernelContext, OpGroup } from "./op-def.js";
import { convLstmOp } from "./rnn-conv-lstm.js";
import {
  batchMaskShape,
  dropoutActs,
  dropoutMasks,
  type HeldLike,
  heldOf,
  type StateLayout,
  TIME_READER_KERNELS,
  timeLoop,
  timeMasks,
  timeReader,
} from "./rnn-loop.js";
import type { TfOps } from "./tf-ops.js";

/** States per cell kind: h, or h and c. */
const STATE_COUNT: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 1, lstm: 2 };

/** Gates per cell kind: its kernels hold gates · units columns. */
const GATES: { readonly [K in RnnCellAttrs["kind"]]: number } = { simple: 1, gru: 3, lstm: 4 };

/** One cell's weights, the bias already split into its input and recurrent parts. */
interface CellWeights {
  readonly attrs: RnnCellAttrs;
  /** Absent for the first cell of a `projected` step. */
  readonly kernel: Tensor | undefined;
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

/** Whether cell `index` of the step has its kernel (not the first cell of a `projected` step). */
const hasKernel = (attrs: RnnAttrs, index: number) => !(attrs.projected === true && index === 0);

/** How many weights each cell takes, summed: what the step must name. */
export function rnnWeightCount(attrs: RnnAttrs): number {
  return attrs.cells.reduce(
    (sum, cell, i) => sum + (hasKernel(attrs, i) ? 1 : 0) + (cell.useBias ? 2 : 1),
    0,
  );
}

/** How many states an `rnn` step carries (and returns with returnState). */
export function rnnStateCount(attrs: RnnAttrs): number {
  return attrs.cells.reduce((sum, cell) => sum + STATE_COUNT[cell.kind], 0);
}

function splitWeights(attrs: RnnAttrs, weights: readonly Tensor[], ops: TfOps): CellWeights[] {
  let at = 0;
  return attrs.cells.map((cell, index) => {
    const kernel = hasKernel(attrs, index) ? weights[at++]! : undefined;
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
  const product = maskedProduct(x, cell.kernel!, cell.inputMasks, ops, maskOf);
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
    // A projected step's first cell takes no input masks: its input is already projected.
    hasKernel(attrs, i)
      ? withMasks(cell, i === 0 ? features : all[i - 1]!.attrs.units, batch, ops, ctx)
      : withMasks({ ...cell, attrs: { ...cell.attrs, dropout: 0 } }, 0, batch, ops, ctx),
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
  const start =
    initial ??
    heldStates ??
    kerasOrder(
      cells.map((c) =>
        Array.from({ length: STATE_COUNT[c.attrs.kind] }, () => ops.zeros([batch, c.attrs.units])),
      ),
    );

  // The first cell's input projection for every timestep at once (unless a matMul step did it).
  const first = cells[0]!;
  // With dropout, each sample's masks are the same at every timestep (broadcast over time).
  // Without dropout masks the input bias waits for the loop (added to each step's (batch, gates·units)
  // rather than to the whole sequence): x · kernel is then a single product, with no second copy.
  // The product stays (batch·timesteps, gates·units), read as such (wasm's matMul of a 3D x broadcasts
  // slowly, and a reshape back would count the sequence twice in tf.memory()).
  const masked = first.kernel && first.inputMasks;
  const projected = masked
    ? project(x, first, ops, (mask) => ops.reshape(mask, [batch, 1, features]))
    : first.kernel
      ? tidy(() => ops.matMul(ops.reshape(x, [-1, features]), first.kernel!))
      : x;
  const read = timeReader(projected, ops, first.kernel ? { batch, timesteps } : undefined);
  const inputBias = masked ? undefined : first.inputBias;
  if (cells.length === 1 && first.attrs.kind === "lstm" && !first.stateMasks)
    return lstmLoop(attrs, first, inputBias, read, [batch, timesteps], maskInput, start, held, ops);
  const stepMasks = maskInput && timeMasks(maskInput, batch, timesteps, batchMaskShape(batch, 2), ops);
  return timeLoop(attrs, timesteps, read, stepMasks, start, held, ops, (input, flat) => {
    let carried = input;
    const perCell = fromKerasOrder(flat);
    const updated = cells.map((cell, i) => {
      const xp = i > 0 ? project(carried, cell, ops) : inputBias ? ops.add(carried, inputBias) : carried;
      const result = cellStep(cell, xp, perCell[i]!, ops);
      carried = result[0]!;
      return result;
    });
    return kerasOrder(updated);
  });
}

/**
 * Row `g` of every sample of a (batch, count, ...) tensor, as (batch, ...): GatherNd with (b, g) indices,
 * one index tensor per row made once (tfjs-core's gatherND and tensor2d: TfOps does not list them).
 */
function rowPicker(batch: number, count: number): (x: Tensor, g: number) => Tensor {
  const indices = Array.from({ length: count }, (_, g) =>
    tensor2d(
      Int32Array.from({ length: 2 * batch }, (_, k) => (k % 2 === 0 ? k / 2 : g)),
      [batch, 2],
      "int32",
    ),
  );
  return (x, g) => gatherND(x, indices[g]!);
}

/**
 * One LSTM cell without recurrent dropout over its projected sequence (batch, timesteps, 4·units): per
 * step one product with its bias, the gate activation once over all gates i, f, c, o and the cell
 * activation over c's block. On cpu the loop is feature-major: the sequence is read as (4·units, batch)
 * blocks, the recurrent product is recurrent_kernelᵀ · h (one _FusedMatMul kernel), and states are
 * (units, batch) until the end; at batch 1 both layouts are the same data, so the swaps are reshapes.
 */
function lstmLoop(
  attrs: RnnAttrs,
  cell: CellWeights,
  inputBias: Tensor | undefined,
  rows: (t: number) => Tensor,
  [batch, timesteps]: readonly [number, number],
  maskInput: Tensor | undefined,
  start: readonly Tensor[],
  held: HeldLike,
  ops: TfOps,
): Tensor[] {
  const units = cell.attrs.units;
  const width = 4 * units;
  const act = (t: Tensor) => applyActivation(t, ops, { fn: cell.attrs.activation });
  const gate = (t: Tensor) => applyActivation(t, ops, { fn: cell.attrs.recurrentActivation });
  const u = cell.recurrentKernel;
  // The step's input bias and recurrent bias, added together to the recurrent product.
  const biases = [inputBias, cell.recurrentBias].filter((b) => b !== undefined);
  const bias = biases.length === 2 ? ops.add(biases[0]!, biases[1]!) : biases[0];
  const featureMajor = getBackend() === "cpu";
  // cpu's BatchMatMul sums along rows of a and columns of b: recurrent_kernelᵀ stored as such (one
  // transpose per call, ~5 ms) walks contiguous rows instead of 4·units-strided columns (~11 against ~15 ms
  // per product at batch 32, the same sums in the same order); at small batches the transpose costs more.
  // kerasc's cpu product (../cpu/kernels.ts) stands in for _FusedMatMul when the backend has it: it wants
  // the transposed kernel at every batch.
  const product = featureMajor ? (cpuSubstitute(_FusedMatMul) ?? _FusedMatMul) : _FusedMatMul;
  const transposed = featureMajor && (batch >= 4 || product !== _FusedMatMul);
  const ut = transposed ? ops.transpose(u, [1, 0]) : u;
  // The bias as a (4·units, batch) column block: cpu's Add broadcasts a (4·units, 1) one element by
  // element through index arithmetic (~10× a same-shape add), so it is tiled once per call.
  const columnBias =
    featureMajor && bias
      ? batch === 1
        ? ops.reshape(bias, [width, 1])
        : ops.tile(ops.reshape(bias, [width, 1]), [1, batch])
      : undefined;
  // (a, b) ↔ (b, a) for the states and the sequence's steps: a reshape when one of them is 1.
  const swap = (t: Tensor) =>
    t.shape[0] === 1 || t.shape[1] === 1
      ? ops.reshape(t, [t.shape[1]!, t.shape[0]!])
      : ops.transpose(t, [1, 0]);
  // The gates i, f, c, o of z (batch, 4·units) or, feature-major, (4·units, batch).
  const gates: (z: Tensor) => Tensor[] = featureMajor
    ? // Row blocks: views. The gate activation runs once over all of z (c's rows unused: fewer kernel calls
      // than one over i and f and one over o), the cell activation over c's rows.
      (z) => {
        const [i, f, , o] = ops.split(gate(z), 4, 0);
        return [i!, f!, act(ops.slice(z, [2 * units, 0], [units, batch])), o!];
      }
    : // wasm: SplitV copies z to JavaScript per output, GatherNd picks (batch, gate) rows natively; the
      // gate activation runs once over all of z (c's part unused), the cell activation over c's rows.
      (() => {
        const pick = rowPicker(batch, 4);
        return (z) => {
          const z3 = ops.reshape(z, [batch, 4, units]);
          const g = gate(z3);
          return [pick(g, 0), pick(g, 1), act(pick(z3, 2)), pick(g, 3)];
        };
      })();
  const step = (xp: Tensor, [h, c]: readonly Tensor[]): Tensor[] => {
    const recurrent = featureMajor
      ? // cpu's _FusedMatMul kernel on the 2D operands: BatchMatMul then Add, as one kernel call.
        engine().runKernel<Tensor>(
          product,
          { a: ut, b: h!, ...(columnBias ? { bias: columnBias } : {}) },
          { transposeA: !transposed, transposeB: false, activation: "linear", leakyreluAlpha: 0.2 },
        )
      : ops.fusedMatMul({ a: h!, b: u, ...(bias ? { bias } : {}) });
    const [i, f, g, o] = gates(ops.add(xp, recurrent));
    const cNext = ops.add(ops.mul(f!, c!), ops.mul(i!, g!));
    return [ops.mul(o!, act(cNext)), cNext];
  };
  const maskShape = featureMajor ? [1, batch] : [batch, 1];
  const stepMasks = maskInput && timeMasks(maskInput, batch, timesteps, maskShape, ops);
  if (!featureMajor) return timeLoop(attrs, timesteps, rows, stepMasks, start, held, ops, step);
  // Each step's (batch, 4·units) rows turned to (4·units, batch): the same work as turning the whole
  // sequence once, without a second copy of it.
  const read = (t: number) => swap(rows(t));
  const layout: StateLayout = {
    toKeras: swap,
    // (timesteps, units, batch) → (batch, timesteps, units).
    stack: (outputs) =>
      batch === 1
        ? ops.reshape(ops.stack([...outputs], 0), [1, outputs.length, units])
        : ops.transpose(ops.stack([...outputs], 0), [2, 0, 1]),
  };
  return timeLoop(attrs, timesteps, read, stepMasks, start.map(swap), held, ops, step, layout);
}

/** The kernels an `rnn` step may run. */
function rnnKernels(attrs: OpAttrs["rnn"]): readonly string[] {
  const kernels = new Set<string>([
    Reshape,
    BatchMatMul,
    Add,
    Sub,
    Multiply,
    SplitV,
    Unpack,
    Pack,
    Cast,
    Tile,
    Transpose,
    _FusedMatMul,
    GatherNd,
    ...TIME_READER_KERNELS,
  ]);
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
    weights: { min: 1, max: Number.POSITIVE_INFINITY },
    kernels: rnnKernels,
    run: (inputs, attrs, weights, ops, ctx) =>
      runRnn(inputs, attrs, weights, ops, heldOf(ctx, weights[0]!), ctx),
  },
  convLstm: convLstmOp,
};
