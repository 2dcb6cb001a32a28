// The wrappers family of the Keras 2 reference (包装器 Wrapper): TimeDistributed and Bidirectional. Each
// wraps a layer given as an argument ({className, config}) and reuses that layer's own definition — its
// shape rule, weights and FLOPs — on the slice of the input it sees.
import type { ArgValue, ConfigObject, TensorType } from "../../ir/graph.js";
import { arg } from "./arg.js";
import { weightList } from "./base-args.js";
import { defineLayer } from "./define-layer.js";
import type { LayerDef, LowerContext, LowerValue, ShapeContext, WeightSpec } from "./layer.js";
import { layerLookup } from "./layer-lookup.js";
import { isRecurrentLayer } from "./recurrent.js";
import { isCellName } from "./recurrent-cells.js";
import { defineSchema } from "./schema.js";
import { knownProduct } from "./shape-utils.js";

/** The definition and bound arguments of a wrapped layer. */
interface Wrapped {
  readonly def: LayerDef;
  readonly args: Readonly<Record<string, ArgValue>>;
}

/** The wrapped layer of a bound `layer` argument (always a registered class: binding checked it). */
function wrapped(layer: ConfigObject): Wrapped | undefined {
  const def = layerLookup().get(layer.className);
  return def && { def, args: layer.config };
}

/**
 * A ShapeContext for the wrapped layer: its reports become the wrapper's, saying which layer asked for
 * what (`for its LSTM`) and mapping the wrapped layer's input indices onto the wrapper's.
 */
function innerContext(
  ctx: ShapeContext,
  inner: string,
  describe: (expected: string) => string,
  inputIndex: (index: number) => number = (i) => i,
): ShapeContext {
  return {
    inputMismatch: (index, expected, hint) => ctx.inputMismatch(inputIndex(index), describe(expected), hint),
    argumentMismatch: (_arg, message, hint) =>
      ctx.argumentMismatch("layer", `its ${inner}: ${message}`, hint),
  };
}

/** A ShapeContext that drops every report (to recompute outputs already known to be valid). */
const SILENT: ShapeContext = { inputMismatch: () => undefined, argumentMismatch: () => undefined };

/**
 * A LowerContext for the wrapped layer: its steps go to the wrapper's, its weight names get `prefix`
 * (Bidirectional's forward_ / backward_), and its mask declarations are the wrapper's to make.
 */
function innerLowerContext(
  ctx: LowerContext,
  inputs: readonly LowerValue[],
  inputMasks: readonly (LowerValue | null)[],
  prefix = "",
): LowerContext {
  const named = (weights: readonly string[]) => weights.map((w) => `${prefix}${w}`);
  return {
    inputs,
    inputMasks,
    emit: (op, stepInputs, attrs, weights = []) => ctx.emit(op, stepInputs, attrs, named(weights)),
    emitMany: (op, stepInputs, attrs, weights, count) =>
      ctx.emitMany(op, stepInputs, attrs, named(weights), count),
    cannotLower: (reason) => ctx.cannotLower(reason),
    setOutputMask: () => undefined,
  };
}

/** The sizes of `dims`, or undefined when one is not a known number. */
function knownSizes(dims: readonly unknown[]): number[] | undefined {
  return dims.every((d) => typeof d === "number") ? (dims as number[]) : undefined;
}

// ---------------------------------------------------------------------------------------------------
// TimeDistributed

/** The input one timestep of `input` is for the wrapped layer: (batch, ...) without the time axis. */
function timestepInput(input: TensorType): TensorType {
  return { shape: [input.shape[0] ?? null, ...input.shape.slice(2)], dtype: input.dtype, masked: false };
}

/** Which layers can be applied per timestep: any layer of one input tensor but the cells. */
function acceptPerTimestep(def: LayerDef): string | undefined {
  if (def.inputArity.max === 0) return `${def.name} is a model input, not a layer to apply`;
  if (isCellName(def.name)) return `${def.name} is a cell: wrap it in RNN first, e.g. RNN(${def.name}(...))`;
  if (def.inputArity.min > 1)
    return `TimeDistributed applies a layer of one input to each timestep; ${def.name} merges several`;
  return undefined;
}

/**
 * `TimeDistributed(layer)`: applies `layer` to every timestep of an input of rank 3 or more, axis 1 being
 * time (Keras 2: the child sees (batch,) + input_shape[2:], the output is (batch, timesteps) + the child's).
 */
export const TimeDistributed = defineLayer({
  name: "TimeDistributed",
  family: "wrappers",
  summary: "Applies a layer to every temporal slice (axis 1) of its input.",
  schema: defineSchema({
    layer: arg.layer({
      expected: "a layer such as Dense(8)",
      accept: acceptPerTimestep,
      doc: "the layer to apply",
    }),
  }),
  inputArity: { min: 1, max: 1 },
  // Keras 2's TimeDistributed supports masking and passes the (batch, timesteps) mask on unchanged.
  supportsMasking: true,
  inferOutputs(args, [input], ctx) {
    const inner = wrapped(args.layer);
    if (!input || !inner) return null;
    if (input.shape.length < 3) {
      ctx.inputMismatch(
        0,
        "an input of rank 3 or more (batch, timesteps, ...)",
        "axis 1 is the time axis the layer is applied along",
      );
      return null;
    }
    const innerCtx = innerContext(
      ctx,
      inner.def.name,
      (expected) => `each timestep to be ${expected} for its ${inner.def.name} (axis 1, time, taken out)`,
    );
    const outputs = inner.def.inferOutputs(inner.args, [timestepInput(input)], innerCtx);
    if (!outputs) return null;
    const [output] = outputs;
    if (!output || outputs.length !== 1) {
      ctx.argumentMismatch(
        "layer",
        `TimeDistributed applies a layer with one output to each timestep; ${inner.def.name} here gives ${outputs.length}`,
        "drop return_state from the wrapped layer",
      );
      return null;
    }
    return [
      {
        shape: [output.shape[0] ?? null, input.shape[1] ?? null, ...output.shape.slice(1)],
        dtype: output.dtype,
        masked: input.masked,
      },
    ];
  },
  weights(args, [input]) {
    const inner = wrapped(args.layer);
    return inner && input ? inner.def.weights(inner.args, [timestepInput(input)]) : [];
  },
  flops(args, [input], [output]) {
    const inner = wrapped(args.layer);
    const timesteps = input?.shape[1];
    if (!inner || !input || !output || typeof timesteps !== "number") return null;
    const innerOutput: TensorType = { ...output, shape: [output.shape[0] ?? null, ...output.shape.slice(2)] };
    const perStep = inner.def.flops(inner.args, [timestepInput(input)], [innerOutput]);
    return perStep === null ? null : timesteps * perStep;
  },
  // (batch, time, ...) → (batch·time, ...) → the layer → (batch, time, ...); the mask passes on unchanged.
  // Unfolding needs the batch or the timesteps: a known timestep count is written into the reshape, else
  // the batch is read from the input at run time (`reshapeLike`), so both may be unknown.
  lower(args, [input], _outputs, ctx) {
    const inner = wrapped(args.layer);
    if (!inner || !input) return null;
    if (!inner.def.lower) {
      ctx.cannotLower(`its ${inner.def.name} cannot execute yet`);
      return null;
    }
    const rest = knownSizes(input.shape.slice(2));
    if (!rest) {
      ctx.cannotLower("the sizes of each timestep must be known to fold time into the batch");
      return null;
    }
    const stepInput = timestepInput(input);
    const stepOutputs = inner.def.inferOutputs(inner.args, [stepInput], SILENT);
    const stepOutput = stepOutputs?.[0];
    const outRest = stepOutput && knownSizes(stepOutput.shape.slice(1));
    if (!stepOutputs || !outRest) {
      ctx.cannotLower("the sizes of each timestep's output must be known to unfold the time axis");
      return null;
    }
    const x = ctx.inputs[0]!;
    const folded = ctx.emit("reshape", [x], { shape: [-1, ...rest] });
    const results = inner.def.lower(
      inner.args,
      [stepInput],
      stepOutputs,
      innerLowerContext(ctx, [folded], [null]),
    );
    if (!results?.[0]) return null;
    const timesteps = input.shape[1];
    return [
      typeof timesteps === "number"
        ? ctx.emit("reshape", [results[0]], { shape: [-1, timesteps, ...outRest] })
        : ctx.emit("reshapeLike", [results[0], x], { shape: [0, -1, ...outRest] }),
    ];
  },
});

// ---------------------------------------------------------------------------------------------------
// Bidirectional

const MERGE_MODES = ["sum", "mul", "concat", "ave"] as const;
type MergeMode = (typeof MERGE_MODES)[number] | null;
const mergeMode = arg.enumOf(MERGE_MODES);

/** The forward and backward outputs combined: concat doubles the last axis, None keeps both. */
function mergeOutputs(output: TensorType, mode: MergeMode): TensorType[] {
  if (mode === null) return [output, output];
  if (mode !== "concat") return [output];
  const last = output.shape[output.shape.length - 1] ?? null;
  return [{ ...output, shape: [...output.shape.slice(0, -1), typeof last === "number" ? 2 * last : null] }];
}

/** Operations per output value of the merge (per sample): sum and mul one, ave two, concat and None none. */
const MERGE_OPS: Record<string, number> = { sum: 1, mul: 1, ave: 2, concat: 0 };

/**
 * `Bidirectional(layer, merge_mode="concat")`: runs a recurrent layer forwards and a copy backwards and
 * merges their outputs (Keras 2's Bidirectional.compute_output_shape): with merge_mode=None both outputs
 * are returned; with return_state the forward states follow, then the backward ones. `initial_state`
 * holds the forward layer's states, then the backward layer's.
 */
export const Bidirectional = defineLayer({
  name: "Bidirectional",
  family: "wrappers",
  summary: "Bidirectional wrapper for RNNs: a forward and a backward copy of the layer, outputs merged.",
  schema: defineSchema({
    layer: arg.layer({
      expected: "a recurrent layer such as LSTM(32)",
      accept: (def) =>
        isRecurrentLayer(def)
          ? undefined
          : `Bidirectional wraps a recurrent layer such as LSTM(32), not ${def.name}`,
      doc: "the recurrent layer to run in both directions",
    }),
    merge_mode: arg.optional<MergeMode & string>(mergeMode, {
      default: "concat",
      doc: 'how the two outputs combine: "concat" (default), "sum", "mul", "ave", or None (both returned)',
    }),
    weights: arg.optional(weightList(), {
      doc: "initial weights: the forward layer's get_weights(), then the backward layer's",
    }),
  }),
  inputArity: { min: 1, max: Number.POSITIVE_INFINITY },
  supportsMasking: true,
  inferOutputs(args, inputs, ctx) {
    const inner = wrapped(args.layer);
    const [input, ...states] = inputs;
    if (!input || !inner) return null;
    const name = inner.def.name;
    if (states.length % 2 === 1) {
      ctx.inputMismatch(
        inputs.length - 1,
        `initial_state to hold the forward ${name}'s states and then the backward one's: an even number of tensors, not ${states.length}`,
      );
      return null;
    }
    if (input.masked && !inner.def.supportsMasking) {
      ctx.inputMismatch(
        0,
        `an input without a mask, which its ${name} cannot take`,
        "remove the mask (mask_zero / Masking) or wrap a layer that supports masking, e.g. LSTM instead of CuDNNLSTM",
      );
      return null;
    }
    const half = states.length / 2;
    const describe = (expected: string) => `${expected} for its ${name}`;
    const forward = inner.def.inferOutputs(
      inner.args,
      [input, ...states.slice(0, half)],
      innerContext(ctx, name, describe),
    );
    if (!forward) return null;
    if (half > 0) {
      const backward = inner.def.inferOutputs(
        inner.args,
        [input, ...states.slice(half)],
        innerContext(ctx, name, describe, (i) => (i === 0 ? 0 : i + half)),
      );
      if (!backward) return null;
    }
    const [output, ...stateTypes] = forward;
    if (!output) return null;
    return [...mergeOutputs(output, args.merge_mode), ...stateTypes, ...stateTypes];
  },
  weights(args, [input]) {
    const inner = wrapped(args.layer);
    if (!inner || !input) return [];
    const specs = inner.def.weights(inner.args, [input]);
    const prefixed = (prefix: string) =>
      specs.map((w): WeightSpec => ({ ...w, name: `${prefix}_${w.name}` }));
    return [...prefixed("forward"), ...prefixed("backward")];
  },
  flops(args, [input], outputs) {
    const inner = wrapped(args.layer);
    if (!inner || !input) return null;
    const innerOutputs = inner.def.inferOutputs(inner.args, [input], SILENT);
    const one = innerOutputs && inner.def.flops(inner.args, [input], innerOutputs);
    const merged = outputs[0];
    const values = merged ? knownProduct(merged.shape.slice(1)) : null;
    if (one === null || one === undefined || values === null) return null;
    return 2 * one + (MERGE_OPS[args.merge_mode ?? "concat"] ?? 0) * values;
  },
  // Keras 2's Bidirectional.call: the forward layer, a go_backwards copy with its own weights (its
  // sequence output reversed back into time order), the outputs merged, the forward then backward states.
  lower(args, inputs, _outputs, ctx) {
    const inner = wrapped(args.layer);
    const [input, ...states] = inputs;
    if (!inner || !input) return null;
    if (!inner.def.lower) {
      ctx.cannotLower(`its ${inner.def.name} cannot execute yet`);
      return null;
    }
    const half = states.length / 2;
    const innerTypes = [input, ...states.slice(0, half)];
    const innerOutputs = inner.def.inferOutputs(inner.args, innerTypes, SILENT);
    if (!innerOutputs) return null;
    const [x, ...initial] = ctx.inputs;
    const mask = ctx.inputMasks[0] ?? null;
    const run = (prefix: string, given: readonly LowerValue[], goBackwards: boolean) =>
      inner.def.lower!(
        { ...inner.args, go_backwards: goBackwards },
        innerTypes,
        innerOutputs,
        innerLowerContext(ctx, [x!, ...given], [mask, ...given.map(() => null)], prefix),
      );
    const goBackwards = inner.args.go_backwards === true;
    const forward = run("forward_", initial.slice(0, half), goBackwards);
    const backward = forward && run("backward_", initial.slice(half), !goBackwards);
    if (!forward || !backward) return null;
    const [y, ...forwardStates] = forward;
    const [yBackward, ...backwardStates] = backward;
    const sequences = inner.args.return_sequences === true;
    const yRev = sequences ? ctx.emit("reverse", [yBackward!], { axis: 1 }) : yBackward!;
    const rank = innerOutputs[0]!.shape.length;
    const merged = ((): LowerValue[] => {
      switch (args.merge_mode) {
        case null:
          return [y!, yRev];
        case "sum":
          return [ctx.emit("add", [y!, yRev], {})];
        case "mul":
          return [ctx.emit("mul", [y!, yRev], {})];
        case "ave":
          return [ctx.emit("scale", [ctx.emit("add", [y!, yRev], {})], { factor: 0.5 })];
        default:
          return [ctx.emit("concat", [y!, yRev], { axis: rank - 1 })];
      }
    })();
    return [...merged, ...forwardStates, ...backwardStates];
  },
});

/** The wrappers, in the reference's order, for the registry. */
export const wrapperLayers: readonly LayerDef[] = [TimeDistributed, Bidirectional];
