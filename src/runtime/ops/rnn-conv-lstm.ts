// The `convLstm` op: Keras 2's ConvLSTM2D (ConvRNN2D over a ConvLSTM2DCell) on channels-last image
// sequences, its time loop the rnn op's (rnn-loop.ts).
//
// Inputs: x (batch, timesteps, rows, cols, channels); with `masked` a (batch, timesteps) mask; with
// `initialState` h and c. Weights: kernel (kh, kw, channels, 4·filters), recurrent_kernel (kh, kw,
// filters, 4·filters), bias (4·filters)? — gates i, f, c, o. The input convolution of every timestep is one
// conv2d ahead of the loop; per step, the recurrent conv2d (stride 1, same) and the LSTM gates.
//
// Training with dropout / recurrent_dropout (0 < rate < 1; Keras 2's ConvLSTM2DCell.call): one mask per
// gate over the whole input image, (batch, rows, cols, channels), and one per gate over h, (batch, rows',
// cols', filters), drawn once per call in that order — the 4 input masks, then the 4 state masks — and
// the same at every timestep; gate g convolves x · m_g with kernel_g and h · r_g with recurrent_kernel_g.
// At inference both are identities.
import type { Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import {
  Add,
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
import type { ConvLstmAttrs } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import type { KernelContext, OpDef } from "./op-def.js";
import {
  batchMaskShape,
  dropoutActs,
  dropoutMasks,
  type HeldLike,
  heldOf,
  TIME_READER_KERNELS,
  timeLoop,
  timeMasks,
  timeReader,
} from "./rnn-loop.js";
import type { TfOps } from "./tf-ops.js";

/** ConvLSTM2D's four gates. */
const GATES = 4;

/** concat_g conv(gate g's masked input, kernel_g) along the channels: the gates' filters in order. */
function gateConvs(
  kernels: readonly Tensor4D[],
  masks: readonly Tensor[],
  ops: TfOps,
  convGate: (mask: Tensor, kernel: Tensor4D) => Tensor,
): Tensor {
  return ops.concat(
    masks.map((mask, g) => convGate(mask, kernels[g]!)),
    3,
  );
}

function runConvLstm(
  inputs: readonly Tensor[],
  attrs: ConvLstmAttrs,
  [kernel, recurrentKernel, bias]: readonly Tensor[],
  ops: TfOps,
  held: HeldLike,
  ctx: KernelContext,
): Tensor[] {
  const x = inputs[0]!;
  let next = 1;
  const maskInput = attrs.masked ? inputs[next++] : undefined;
  const initial = attrs.initialState ? inputs.slice(next) : undefined;
  const [batch, timesteps, rows, cols, channels] = x.shape as [number, number, number, number, number];
  const inputMasks = dropoutMasks(attrs.dropout, GATES, [batch, rows, cols, channels], ops, ctx);
  const inputConv = (input: Tensor4D, k: Tensor4D) =>
    ops.conv2d(
      input,
      k,
      attrs.strides as [number, number],
      attrs.padding,
      "NHWC",
      attrs.dilation as [number, number],
    );
  // Every timestep at once, as (batch·timesteps, rows, cols, channels) frames; a sample's masks
  // broadcast over its timesteps.
  const frames = (t: Tensor) => ops.reshape(t, [batch * timesteps, rows, cols, channels]) as Tensor4D;
  const conv = inputMasks
    ? gateConvs(ops.split(kernel!, GATES, 3) as Tensor4D[], inputMasks, ops, (mask, k) =>
        inputConv(frames(ops.mul(x, ops.reshape(mask, [batch, 1, rows, cols, channels]))), k),
      )
    : inputConv(frames(x), kernel! as Tensor4D);
  const biased = bias ? ops.add(conv, bias) : conv;
  const [, outRows, outCols] = biased.shape;
  const projected = ops.reshape(biased, [batch, timesteps, outRows!, outCols!, GATES * attrs.filters]);
  const stateShape = [batch, outRows!, outCols!, attrs.filters];
  const stateMasks = dropoutMasks(attrs.recurrentDropout, GATES, stateShape, ops, ctx);
  const start = initial ??
    (attrs.stateful ? held.get() : undefined) ?? [ops.zeros(stateShape), ops.zeros(stateShape)];
  const act = (t: Tensor) => applyActivation(t, ops, { fn: attrs.activation });
  const gate = (t: Tensor) => applyActivation(t, ops, { fn: attrs.recurrentActivation });
  const recurrentConv = (input: Tensor, k: Tensor4D) => ops.conv2d(input as Tensor4D, k, 1, "same");
  const recurrentKernels = stateMasks && (ops.split(recurrentKernel!, GATES, 3) as Tensor4D[]);
  const stepMasks = maskInput && timeMasks(maskInput, batch, timesteps, batchMaskShape(batch, 4), ops);
  const read = timeReader(projected, ops);
  return timeLoop(attrs, timesteps, read, stepMasks, start, held, ops, (xp, [h, c]) => {
    const recurrent =
      stateMasks && recurrentKernels
        ? gateConvs(recurrentKernels, stateMasks, ops, (mask, k) => recurrentConv(ops.mul(h!, mask), k))
        : recurrentConv(h!, recurrentKernel! as Tensor4D);
    const [i, f, g, o] = ops.split(ops.add(xp, recurrent), GATES, 3);
    const cNext = ops.add(ops.mul(gate(f!), c!), ops.mul(gate(i!), act(g!)));
    return [ops.mul(gate(o!), act(cNext)), cNext];
  });
}

/** The kernels a `convLstm` step may run. */
function convLstmKernels(attrs: ConvLstmAttrs): readonly string[] {
  const kernels = new Set<string>([
    Conv2D,
    Reshape,
    Add,
    Sub,
    Multiply,
    SplitV,
    Unpack,
    Pack,
    Cast,
    ...TIME_READER_KERNELS,
  ]);
  if (attrs.stateful) kernels.add(Identity);
  // Training-mode dropout masks (tf.dropout) and the per-gate convolutions they need.
  if (dropoutActs(attrs.dropout) || dropoutActs(attrs.recurrentDropout))
    for (const k of [Floor, RealDiv, Concat]) kernels.add(k);
  for (const fn of [attrs.activation, attrs.recurrentActivation])
    for (const k of activationKernels({ fn })) kernels.add(k);
  return [...kernels];
}

/** The `convLstm` op. */
export const convLstmOp: OpDef<"convLstm"> = {
  inputs: { min: 1, max: 4 },
  weights: { min: 2, max: 3 },
  kernels: convLstmKernels,
  run: (inputs, attrs, weights, ops, ctx) =>
    runConvLstm(inputs, attrs, weights, ops, heldOf(ctx, weights[0]!), ctx),
};
