// The recurrent cells of the Keras 2 reference — SimpleRNNCell, GRUCell, LSTMCell, StackedRNNCells — each
// declared once with its maths (states, weights, FLOPs per timestep), which the matching layers (SimpleRNN,
// GRU, LSTM) and RNN(cell) reuse. A cell is not applied to tensors itself: RNN runs it over the timesteps.
import type { ArgValue, ConfigObject, Dim } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { defineLayer, type LayerArgs, weight } from "./define-layer.js";
import type { LayerDef, ShapeContext, WeightSpec } from "./layer.js";
import {
  biasRegularizer,
  constraintArgs,
  dropoutArgs,
  implementation,
  initializerArgs,
  kernelRegularizer,
  recurrentActivation,
  recurrentRegularizer,
  tanhActivation,
  unitForgetBias,
  units,
  useBias,
} from "./recurrent-args.js";
import type { StateSpec } from "./recurrent-rule.js";
import { type ArgSpecs, defineSchema } from "./schema.js";

/** What RNN needs of a cell: its states, its output size, its weights and its cost per timestep. */
export interface CellSpec {
  /** The states in Keras's order (LSTM: h, c), each (units,). */
  readonly states: readonly StateSpec[];
  readonly outputSize: number;
  /** The weights for `inputDim` features per timestep (null: unknown, so the count is unknown). */
  weights(inputDim: Dim): readonly WeightSpec[];
  /** FLOPs of one timestep for one sample (a multiply-add counts 2). */
  stepFlops(inputDim: number): number;
}

/** A state of `size` units named `name`. */
export function vectorState(name: string, size: number): StateSpec {
  return { name, shape: [size], sizeAxis: 0 };
}

/** The arguments a gated cell's weights depend on. */
interface GatedArgs {
  readonly units: number;
  readonly use_bias: boolean;
  readonly kernel_initializer: ConfigObject;
  readonly recurrent_initializer: ConfigObject;
  readonly bias_initializer: ConfigObject;
}

/** kernel (input_dim, units*gates), recurrent_kernel (units, units*gates) and, with use_bias, `bias`. */
function gatedWeights(a: GatedArgs, gates: number, inputDim: Dim, biasShape: readonly Dim[]): WeightSpec[] {
  return [
    weight("kernel", [inputDim, a.units * gates], a.kernel_initializer),
    weight("recurrent_kernel", [a.units, a.units * gates], a.recurrent_initializer),
    ...(a.use_bias ? [weight("bias", biasShape, a.bias_initializer)] : []),
  ];
}

/**
 * FLOPs of one timestep: the input and recurrent matrix products (2·in·units·gates and
 * 2·units·units·gates), the bias additions, and `elementwisePerUnit` operations per unit for the gates
 * (each add, multiply and activation counts 1).
 */
export function gatedStepFlops(
  inputDim: number,
  unitCount: number,
  gates: number,
  biasValues: number,
  elementwisePerUnit: number,
): number {
  return (
    2 * inputDim * unitCount * gates +
    2 * unitCount * unitCount * gates +
    biasValues +
    elementwisePerUnit * unitCount
  );
}

// Elementwise operations per unit and timestep, bias additions excluded:
// SimpleRNN: h = act(x·W + b + h·U) — one add, one activation.
const SIMPLE_RNN_ELEMENTWISE_OPS = 2;
// GRU: z and r gates (add + activation each), the reset product r·h (before or after the matmul), the
// candidate (add + activation) and h = z·h + (1 − z)·hh (two products, a subtraction, an addition).
const GRU_ELEMENTWISE_OPS = 11;
// LSTM: i, f, o gates and the candidate (add + activation each), c = f·c + i·c̃ (two products, an
// addition) and h = o·act(c) (an activation and a product).
export const LSTM_ELEMENTWISE_OPS = 13;

/** SimpleRNN's maths: one gate, one state h. */
export function simpleRnnCell(a: GatedArgs): CellSpec {
  return {
    states: [vectorState("h", a.units)],
    outputSize: a.units,
    weights: (inputDim) => gatedWeights(a, 1, inputDim, [a.units]),
    stepFlops: (inputDim) =>
      gatedStepFlops(inputDim, a.units, 1, a.use_bias ? a.units : 0, SIMPLE_RNN_ELEMENTWISE_OPS),
  };
}

/**
 * GRU's maths: three gates (update, reset, candidate), one state h. With reset_after (Keras 2.1.5+, the
 * CuDNN-compatible variant) the input and recurrent products have separate biases: bias (2, 3*units).
 */
export function gruCell(a: GatedArgs & { readonly reset_after: boolean }): CellSpec {
  const biasShape = a.reset_after ? [2, 3 * a.units] : [3 * a.units];
  const biasValues = a.use_bias ? (a.reset_after ? 6 : 3) * a.units : 0;
  return {
    states: [vectorState("h", a.units)],
    outputSize: a.units,
    weights: (inputDim) => gatedWeights(a, 3, inputDim, biasShape),
    stepFlops: (inputDim) => gatedStepFlops(inputDim, a.units, 3, biasValues, GRU_ELEMENTWISE_OPS),
  };
}

/** LSTM's maths: four gates (input, forget, cell, output), two states h and c. */
export function lstmCell(a: GatedArgs): CellSpec {
  return {
    states: [vectorState("h", a.units), vectorState("c", a.units)],
    outputSize: a.units,
    weights: (inputDim) => gatedWeights(a, 4, inputDim, [4 * a.units]),
    stepFlops: (inputDim) =>
      gatedStepFlops(inputDim, a.units, 4, a.use_bias ? 4 * a.units : 0, LSTM_ELEMENTWISE_OPS),
  };
}

/**
 * The CuDNN layers' maths (cudnn_recurrent.py): GRU with reset_after (3 gates) or LSTM (4 gates), always
 * with separate input and recurrent biases in one flat bias of 2*gates*units.
 */
export function cudnnCell(
  a: Omit<GatedArgs, "use_bias"> & { readonly bias_initializer: ConfigObject },
  gates: 3 | 4,
): CellSpec {
  const base =
    gates === 3 ? gruCell({ ...a, use_bias: true, reset_after: true }) : lstmCell({ ...a, use_bias: true });
  const biasValues = 2 * gates * a.units;
  return {
    ...base,
    weights: (inputDim) => [
      weight("kernel", [inputDim, a.units * gates], a.kernel_initializer),
      weight("recurrent_kernel", [a.units, a.units * gates], a.recurrent_initializer),
      weight("bias", [biasValues], a.bias_initializer),
    ],
    stepFlops: (inputDim) =>
      gatedStepFlops(
        inputDim,
        a.units,
        gates,
        biasValues,
        gates === 3 ? GRU_ELEMENTWISE_OPS : LSTM_ELEMENTWISE_OPS,
      ),
  };
}

/** How each cell class turns its bound config into its maths (filled in as the cells are declared). */
const cellSpecs = new Map<string, (config: Readonly<Record<string, ArgValue>>) => CellSpec | undefined>();

/** The maths of a cell given as a nested layer ({className, config}), or of a list of cells (stacked). */
export function cellSpecOf(cell: ArgValue): CellSpec | undefined {
  if (Array.isArray(cell)) return stackedCells(cell as readonly ArgValue[]);
  if (cell === null || typeof cell !== "object" || !("className" in cell)) return undefined;
  return cellSpecs.get(cell.className)?.(cell.config);
}

/** Whether a layer class is a cell (what RNN and StackedRNNCells take). */
export function isCellName(name: string): boolean {
  return cellSpecs.has(name);
}

/** The `accept` rule of cell-valued arguments. */
export function acceptCell(owner: string): (def: LayerDef) => string | undefined {
  return (def) => {
    if (isCellName(def.name)) return undefined;
    const whole =
      def.family === "recurrent" ? `; ${def.name} is a whole recurrent layer: apply it directly` : "";
    return `${owner} takes a cell such as LSTMCell(32), not ${def.name}${whole}`;
  };
}

/**
 * Keras 2.1–2.2.4's StackedRNNCells (and TF.js's): the cells feed one another, the output is the last
 * cell's, and the states are listed in reverse cell order — last cell's first — so that the first state
 * has the output's size. (Keras 2.2.5 switched to the cells' own order; the reference predates it.)
 * Stacked weights are named by cell: cell_1/kernel, cell_2/kernel, ...
 */
function stackedCells(cells: readonly ArgValue[]): CellSpec | undefined {
  const specs = cells.map(cellSpecOf);
  if (specs.length === 0 || specs.some((s) => s === undefined)) return undefined;
  const stack = specs as CellSpec[];
  // A cell's input features are the output size of the cell below it.
  const inputOf = (i: number, inputDim: Dim): Dim => (i === 0 ? inputDim : stack[i - 1]!.outputSize);
  return {
    states: [...stack].reverse().flatMap((s) => s.states),
    outputSize: stack[stack.length - 1]!.outputSize,
    weights: (inputDim) =>
      stack.flatMap((s, i) =>
        s.weights(inputOf(i, inputDim)).map((w) => ({ ...w, name: `cell_${i + 1}/${w.name}` })),
      ),
    stepFlops: (inputDim) =>
      stack.reduce((sum, s, i) => sum + s.stepFlops(inputOf(i, inputDim) as number), 0),
  };
}

/** A cell applied to a tensor: Keras 2 needs RNN to run it over the timesteps. */
function cellAppliedDirectly(name: string, ctx: ShapeContext): null {
  ctx.inputMismatch(
    0,
    "to run inside RNN, not to be applied to a tensor itself (a cell computes one timestep)",
    `wrap it: \`RNN(${name}(...))(x)\`${name === "StackedRNNCells" ? "" : ", or use the matching recurrent layer"}`,
  );
  return null;
}

/**
 * Declares a cell layer whose maths is `spec` (its arguments are the cell's Keras 2 signature) and
 * registers that maths for RNN(cell). Its shape rule explains that cells run inside RNN.
 */
function cell<A extends ArgSpecs>(
  name: string,
  summary: string,
  specArgs: A,
  spec: (args: LayerArgs<A>) => CellSpec | undefined,
): LayerDef {
  cellSpecs.set(name, (config) => spec(config as unknown as LayerArgs<A>));
  return defineLayer({
    name,
    family: "recurrent",
    summary,
    schema: defineSchema(specArgs),
    inputArity: { min: 1, max: 1 },
    // A masked input gets the "wrap it in RNN" message rather than a mask error.
    supportsMasking: true,
    inferOutputs: (_args, _inputs, ctx) => cellAppliedDirectly(name, ctx),
    weights: (args, [input]) => spec(args)?.weights(input?.shape[input.shape.length - 1] ?? null) ?? [],
  });
}

/** The SimpleRNNCell signature (also SimpleRNN's, before its activity_regularizer and RNN flags). */
export const simpleRnnCellArgs = {
  units,
  activation: tanhActivation,
  use_bias: useBias,
  ...initializerArgs,
  kernel_regularizer: kernelRegularizer,
  recurrent_regularizer: recurrentRegularizer,
  bias_regularizer: biasRegularizer,
  ...constraintArgs,
  ...dropoutArgs,
} as const;

export const SimpleRNNCell = cell(
  "SimpleRNNCell",
  "The cell of SimpleRNN: one timestep of a fully connected recurrent layer.",
  simpleRnnCellArgs,
  simpleRnnCell,
);

export const GRUCell = cell(
  "GRUCell",
  "The cell of GRU: one timestep of a gated recurrent unit.",
  {
    units,
    activation: tanhActivation,
    recurrent_activation: recurrentActivation,
    use_bias: useBias,
    ...initializerArgs,
    kernel_regularizer: kernelRegularizer,
    recurrent_regularizer: recurrentRegularizer,
    bias_regularizer: biasRegularizer,
    ...constraintArgs,
    ...dropoutArgs,
    implementation: implementation(),
    reset_after: arg.bool({
      default: false,
      doc: "apply the reset gate after the matrix product (the CuDNN-compatible variant)",
    }),
  },
  gruCell,
);

export const LSTMCell = cell(
  "LSTMCell",
  "The cell of LSTM: one timestep of a long short-term memory layer.",
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
    ...constraintArgs,
    ...dropoutArgs,
    implementation: implementation(),
  },
  lstmCell,
);

export const StackedRNNCells = cell(
  "StackedRNNCells",
  "Stacks cells into one cell: each feeds the next within a timestep (an efficient stacked RNN).",
  {
    cells: arg.listOf(
      arg.layer({ expected: "a cell such as LSTMCell(32)", accept: acceptCell("StackedRNNCells") }),
      {
        doc: "the cells, first to last",
      },
    ),
  },
  (args) => cellSpecOf(args.cells),
);

/** The cells, in the reference's order. */
export const cellLayers: readonly LayerDef[] = [SimpleRNNCell, GRUCell, LSTMCell, StackedRNNCells];
