// The executor: walks a validated program's steps over a table of slots, releasing each slot at the step
// its program marks as its last use. Each kernel runs in its own tf.tidy, which frees the kernel's
// intermediates but leaves the slots alone, so values live exactly as long as the program says.
import * as tf from "@tensorflow/tfjs-core";
import type { KernelContext } from "./ops/op-def.js";
import { type AnyOpDef, getOpDef } from "./ops/registry.js";
import type { TfOps } from "./ops/tf-ops.js";
import type { OpAttrs, OpName, Program, Slot } from "./program.js";
import { describeStep } from "./validate.js";

/** A step resolved once at load: its op definition and weight tensors looked up, its label built. */
export interface ExecutableStep {
  readonly def: AnyOpDef;
  readonly attrs: OpAttrs[OpName];
  readonly inputs: readonly Slot[];
  readonly outputs: readonly Slot[];
  readonly weights: readonly tf.Tensor[];
  readonly frees: readonly Slot[];
  /** What the op's `prepare` made of the weights at load (owned by the model, like the weights). */
  readonly prepared: readonly tf.Tensor[];
  /** "step 3 (matMul, layer dense_1)", for errors. */
  readonly label: string;
}

/**
 * Resolves a validated program's steps against its loaded weights, running each op's `prepare` on the
 * active backend (the caller disposes the steps' `prepared` tensors with the weights: `disposeSteps`).
 */
export function prepareSteps(
  program: Program,
  weights: ReadonlyMap<string, tf.Tensor>,
  ops: TfOps,
): ExecutableStep[] {
  const steps: ExecutableStep[] = [];
  try {
    program.steps.forEach((step, index) => {
      const def = getOpDef(step.op)!;
      // The validator checked the op; its attributes are the plan's JSON, typed here as the op declares them.
      const attrs = step.attrs as unknown as OpAttrs[OpName];
      const stepWeights = step.weights.map((name) => weights.get(name)!);
      const label = describeStep(step, index);
      steps.push({
        def,
        attrs,
        inputs: step.inputs,
        outputs: step.outputs,
        weights: stepWeights,
        frees: step.frees,
        prepared: def.prepare ? prepare(def, attrs, stepWeights, ops, label) : [],
        label,
      });
    });
  } catch (error) {
    disposeSteps(steps);
    throw error;
  }
  return steps;
}

function prepare(
  def: AnyOpDef,
  attrs: OpAttrs[OpName],
  weights: readonly tf.Tensor[],
  ops: TfOps,
  label: string,
): readonly tf.Tensor[] {
  try {
    return tf.tidy(() => [...(def.prepare!(attrs, weights, ops) ?? [])]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${label} could not prepare its weights: ${message}`, { cause: error });
  }
}

/** Disposes what the steps' `prepare` made (never the weights themselves). */
export function disposeSteps(steps: readonly ExecutableStep[]): void {
  for (const step of steps) for (const tensor of step.prepared) tensor.dispose();
}

/**
 * Watches a run (tests, profiling): called once per step, after its outputs are in their slots and before
 * its `frees` are released, with the step's index and every slot holding a value then (several slots may
 * hold one tensor). The map is a snapshot; the tensors stay the run's, so an observer must not dispose them.
 */
export type StepObserver = (index: number, live: ReadonlyMap<Slot, tf.Tensor>) => void;

/** Everything one run needs besides the steps. */
export interface RunRequest {
  readonly slotCount: number;
  /** The model inputs, already checked, by slot. Tensors the caller owns are never disposed. */
  readonly inputs: readonly (readonly [Slot, tf.Tensor])[];
  /** Tensors the run created for the caller (typed arrays turned into tensors): released like results. */
  readonly createdInputs: ReadonlySet<tf.Tensor>;
  readonly outputs: readonly Slot[];
  /** The model's weights: outlive every run, so never disposed by one. */
  readonly weights: ReadonlySet<tf.Tensor>;
  readonly ops: TfOps;
  readonly context: KernelContext;
  /** Absent by default: then a run costs nothing extra. */
  readonly onStep?: StepObserver;
}

/**
 * Runs the steps and returns one tensor per output slot, each owned by the caller. Every other tensor the
 * run created is disposed, also when a kernel throws. A result that is an input or a weight (an identity
 * model), or an output listed twice, is returned as a copy, so disposing results never touches the model.
 */
export function runSteps(steps: readonly ExecutableStep[], request: RunRequest): tf.Tensor[] {
  const table = new SlotTable(request.slotCount, request.createdInputs, request.weights);
  const results: tf.Tensor[] = [];
  try {
    for (const [slot, tensor] of request.inputs) table.put(slot, tensor);
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      const slots = step.inputs;
      const inputs: tf.Tensor[] = new Array(slots.length);
      for (let i = 0; i < slots.length; i++) inputs[i] = table.get(slots[i]!);
      const outputs = runKernel(step, inputs, request);
      if (outputs.length !== step.outputs.length) {
        for (const tensor of outputs) table.adoptIfNew(tensor);
        throw new Error(`${step.label} produced ${outputs.length} outputs, expected ${step.outputs.length}`);
      }
      for (let i = 0; i < outputs.length; i++) {
        const tensor = outputs[i]!;
        table.adoptIfNew(tensor);
        table.put(step.outputs[i]!, tensor);
      }
      if (request.onStep) request.onStep(index, table.live());
      for (const slot of step.frees) table.release(slot);
    }
    for (const slot of request.outputs) {
      const tensor = table.get(slot);
      results.push(table.isOwned(tensor) && !results.includes(tensor) ? tensor : tf.clone(tensor));
    }
    return results;
  } finally {
    table.disposeAllExcept(results);
  }
}

/**
 * Runs one step's kernel in its own tidy; a failure names the step (and so the layer) it happened in. A
 * single output leaves the tidy as a bare tensor: tidy walks whatever its function returns for tensors to
 * keep, and one tensor is the cheapest thing to walk.
 */
function runKernel(step: ExecutableStep, inputs: readonly tf.Tensor[], request: RunRequest): tf.Tensor[] {
  const { def, attrs, weights, prepared } = step;
  const { ops, context } = request;
  try {
    const result = tf.tidy((): tf.Tensor | tf.Tensor[] => {
      const outputs = def.run(inputs, attrs, weights, ops, context, prepared);
      return outputs.length === 1 ? outputs[0]! : outputs;
    });
    return result instanceof tf.Tensor ? [result] : result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${step.label} failed: ${message}`, { cause: error });
  }
}

/**
 * The slots of one run. Several slots may hold one tensor (an op may return its input), so a tensor is
 * disposed when the last slot holding it is released, and only if this run created it.
 */
class SlotTable {
  private readonly slots: (tf.Tensor | undefined)[];
  private readonly holders = new Map<tf.Tensor, number>();
  private readonly owned: Set<tf.Tensor>;

  constructor(
    slotCount: number,
    createdInputs: ReadonlySet<tf.Tensor>,
    private readonly persistent: ReadonlySet<tf.Tensor>,
  ) {
    this.slots = new Array(slotCount);
    this.owned = new Set(createdInputs);
  }

  get(slot: Slot): tf.Tensor {
    const tensor = this.slots[slot];
    if (!tensor) throw new Error(`slot ${slot} is read while it holds no value`);
    return tensor;
  }

  /** Every slot holding a value, in slot order (for a StepObserver). */
  live(): Map<Slot, tf.Tensor> {
    const live = new Map<Slot, tf.Tensor>();
    this.slots.forEach((tensor, slot) => {
      if (tensor) live.set(slot, tensor);
    });
    return live;
  }

  put(slot: Slot, tensor: tf.Tensor): void {
    this.slots[slot] = tensor;
    this.holders.set(tensor, (this.holders.get(tensor) ?? 0) + 1);
  }

  /** A kernel's result is new unless a slot holds it already (an op returned its input) or it is a weight. */
  adoptIfNew(tensor: tf.Tensor): void {
    if (!this.holders.has(tensor) && !this.persistent.has(tensor)) this.owned.add(tensor);
  }

  isOwned(tensor: tf.Tensor): boolean {
    return this.owned.has(tensor);
  }

  release(slot: Slot): void {
    const tensor = this.slots[slot];
    if (!tensor) return;
    this.slots[slot] = undefined;
    const remaining = (this.holders.get(tensor) ?? 1) - 1;
    if (remaining > 0) {
      this.holders.set(tensor, remaining);
      return;
    }
    this.holders.delete(tensor);
    if (this.owned.delete(tensor)) tensor.dispose();
  }

  disposeAllExcept(keep: readonly tf.Tensor[]): void {
    for (const tensor of this.owned) if (!keep.includes(tensor)) tensor.dispose();
    this.owned.clear();
  }
}
