// The static memory plan: with every slot's size known and each slot freed at its last use, the bytes of
// activations alive after each step follow from the step order alone. The peak is what the plan promises
// the runtime never exceeds (kernel scratch inside a step aside).
import type { OpAttrs, Program, Step } from "../../runtime/program.js";
import { type SizedSlotType, slotBytes } from "../6-optimize/op-shapes.js";

export interface MemoryPlan {
  /** Bytes alive while each step runs: what stayed alive before it plus its outputs. */
  readonly duringStep: readonly number[];
  /**
   * Bytes alive while the run hands back its results: what the steps left alive (the outputs, the inputs
   * no step frees) plus the copies the executor makes of the outputs the run does not own (a model input,
   * which is the caller's tensor, or a step's output that may be one passed through unchanged) and of a
   * slot listed again (no two results share a tensor).
   */
  readonly atEnd: number;
  /** The largest of `duringStep` and `atEnd`. */
  readonly peak: number;
}

/**
 * The live bytes at batch `batch`, counting the model inputs (the executor holds them until their last
 * reader) and the outputs (held to the end); undefined when a slot's size is unknown at this batch.
 */
export function planMemory(
  program: Program,
  types: readonly SizedSlotType[],
  batch: number,
  dims: ReadonlyMap<string, number> = new Map(),
): MemoryPlan | undefined {
  const bytes = (slot: number) => slotBytes(types[slot]!, batch, dims);
  let live = 0;
  for (const input of program.inputs) {
    const size = bytes(input.slot);
    if (size === undefined) return undefined;
    live += size;
  }
  let peak = live;
  const duringStep: number[] = [];
  for (const step of program.steps) {
    for (const slot of step.outputs) {
      const size = bytes(slot);
      if (size === undefined) return undefined;
      live += size;
    }
    duringStep.push(live);
    peak = Math.max(peak, live);
    for (const slot of step.frees) live -= bytes(slot)!;
  }
  // The slots that may hold a tensor the run does not own: the inputs, and what passes them through.
  const copied = new Set(program.inputs.map((input) => input.slot));
  for (const step of program.steps)
    if (mayPassThrough(step) && (step.weights.length > 0 || step.inputs.some((slot) => copied.has(slot))))
      for (const slot of step.outputs) copied.add(slot);
  let atEnd = live;
  for (const output of program.outputs) {
    if (copied.has(output.slot)) atEnd += bytes(output.slot)!;
    copied.add(output.slot);
  }
  return { duringStep, atEnd, peak: Math.max(peak, atEnd) };
}

/**
 * Whether a step may return one of its inputs (or weights) itself: the ops that are identities at inference
 * (an unoptimized plan keeps them), a linear activation, a Lambda returning a parameter, a custom layer.
 */
function mayPassThrough(step: Step): boolean {
  switch (step.op) {
    case "identity":
    case "dropout":
    case "gaussianNoise":
    case "gaussianDropout":
    case "alphaDropout":
    case "custom":
      return true;
    case "activation":
      return (step.attrs as unknown as OpAttrs["activation"]).fn === "linear";
    case "tensorFunction": {
      const { steps, result } = (step.attrs as unknown as OpAttrs["tensorFunction"]).function.config;
      return steps[result]?.className === "param";
    }
    default:
      return false;
  }
}
