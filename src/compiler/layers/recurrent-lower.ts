// How the recurrent layers lower: one `rnn` step (src/runtime/ops/rnn.ts) running the layer's cells over
// the timesteps, its inputs the sequence, the incoming mask (if any) and the initial states (if given),
// its weights the cells' in order (kernel, recurrent_kernel, bias per cell).
import type { ArgValue, ConfigObject, TensorType } from "../../ir/graph.js";
import type { RnnAttrs, RnnCellAttrs } from "../../runtime/program.js";
import { runtimeActivation } from "../5-lower/activation.js";
import type { LayerDef, LowerContext, LowerValue } from "./layer.js";
import type { ActivationName } from "./objects/activations.js";
import type { CellSpec } from "./recurrent-cells.js";

type Args = Readonly<Record<string, ArgValue>>;

const activationOf = (value: ArgValue | undefined): ActivationName | null =>
  typeof value === "string" ? (value as ActivationName) : null;

/** A Keras 2 cell's runtime attributes from its (bound) arguments. */
function gatedCell(kind: RnnCellAttrs["kind"], a: Args): RnnCellAttrs {
  const resetAfter = kind === "gru" && a.reset_after === true;
  return {
    kind,
    units: a.units as number,
    activation: runtimeActivation(activationOf(a.activation)),
    recurrentActivation: runtimeActivation(kind === "simple" ? null : activationOf(a.recurrent_activation)),
    useBias: a.use_bias !== false,
    resetAfter,
    doubleBias: resetAfter,
    dropout: typeof a.dropout === "number" ? a.dropout : 0,
    recurrentDropout: typeof a.recurrent_dropout === "number" ? a.recurrent_dropout : 0,
    // 0, Keras 2.0's spelling, is implementation 1 (the deprecation warning's "now defaults to 1").
    implementation: kind !== "simple" && a.implementation === 2 ? 2 : 1,
  };
}

export const simpleRnnRuntime = (a: Args): RnnCellAttrs[] => [gatedCell("simple", a)];
export const gruRuntime = (a: Args): RnnCellAttrs[] => [gatedCell("gru", a)];
export const lstmRuntime = (a: Args): RnnCellAttrs[] => [gatedCell("lstm", a)];

/** CuDNNGRU / CuDNNLSTM: sigmoid gates, tanh, the input and recurrent biases in one flat bias. */
export function cudnnRuntime(a: Args, gates: 3 | 4): RnnCellAttrs[] {
  return [
    {
      kind: gates === 3 ? "gru" : "lstm",
      units: a.units as number,
      activation: "tanh",
      recurrentActivation: "sigmoid",
      useBias: true,
      resetAfter: gates === 3,
      doubleBias: true,
      dropout: 0,
      recurrentDropout: 0,
      implementation: 1,
    },
  ];
}

/** The runtime cells of RNN's `cell` argument: a cell, StackedRNNCells, or a list (stacked, first to last). */
export function runtimeCellsOf(cell: ArgValue): RnnCellAttrs[] | undefined {
  if (Array.isArray(cell)) {
    const parts = (cell as readonly ArgValue[]).map(runtimeCellsOf);
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
  }
  if (cell === null || typeof cell !== "object" || !("className" in cell)) return undefined;
  const { className, config } = cell as ConfigObject;
  switch (className) {
    case "SimpleRNNCell":
      return simpleRnnRuntime(config);
    case "GRUCell":
      return gruRuntime(config);
    case "LSTMCell":
      return lstmRuntime(config);
    case "StackedRNNCells":
      return runtimeCellsOf(config.cells ?? null);
    default:
      return undefined;
  }
}

/** What the recurrent `lower` hook needs of its layer. */
export interface SequenceLowering {
  cell(args: Args): CellSpec | undefined;
  runtime(args: Args): RnnCellAttrs[] | undefined;
}

/** The `lower` hook of a recurrent layer over 3D sequences: one `rnn` step. */
export function lowerSequence(o: SequenceLowering): NonNullable<LayerDef["lower"]> {
  return (args, inputs, outputs, ctx) => {
    const spec = o.cell(args);
    const cells = o.runtime(args);
    if (!spec || !cells) {
      ctx.cannotLower("its cell has no runtime form");
      return null;
    }
    return emitRnn(ctx, args, inputs, outputs.length, spec, cells);
  };
}

function emitRnn(
  ctx: LowerContext,
  args: Args,
  inputs: readonly TensorType[],
  outputCount: number,
  spec: CellSpec,
  cells: readonly RnnCellAttrs[],
): LowerValue[] {
  const [x, ...initial] = ctx.inputs;
  const mask = ctx.inputMasks[0] ?? null;
  const input = inputs[0]!;
  const features = input.shape[input.shape.length - 1] ?? null;
  const attrs: RnnAttrs = {
    cells,
    goBackwards: args.go_backwards === true,
    returnSequences: args.return_sequences === true,
    returnState: args.return_state === true,
    stateful: args.stateful === true,
    masked: mask !== null,
    initialState: initial.length > 0,
  };
  const weights = spec.weights(features).map((w) => w.name);
  return ctx.emitMany("rnn", [x!, ...(mask ? [mask] : []), ...initial], attrs, weights, outputCount);
}
