// The IR the optimization passes rewrite: a lowered program (steps over slots, tfjs-level ops) plus the
// load-time weight transforms passes add. Passes ignore `frees`: the pipeline recomputes them at the end.
import type { WeightTransform } from "../../runtime/plan.js";
import type { Program, Slot, Step } from "../../runtime/program.js";

export interface OpProgram extends Program {
  readonly prologue: readonly WeightTransform[];
}

/** A lowered program as the passes' starting point. */
export function fromProgram(program: Program): OpProgram {
  return { ...program, prologue: [] };
}

/** The step writing each slot (model inputs have none). */
export function producers(program: OpProgram): Map<Slot, number> {
  const result = new Map<Slot, number>();
  program.steps.forEach((step, index) => {
    for (const slot of step.outputs) result.set(slot, index);
  });
  return result;
}

/** The steps reading each slot, in order (a step reading a slot twice is listed twice). */
export function consumers(program: OpProgram): Map<Slot, number[]> {
  const result = new Map<Slot, number[]>();
  program.steps.forEach((step, index) => {
    for (const slot of step.inputs) {
      const list = result.get(slot);
      if (list) list.push(index);
      else result.set(slot, [index]);
    }
  });
  return result;
}

/** Slots the model hands back: never removed, renamed or fused away. */
export function outputSlots(program: OpProgram): Set<Slot> {
  return new Set(program.outputs.map((o) => o.slot));
}

/** How many times `slot` is read, counting a model output as a read. */
export function readCount(
  slot: Slot,
  reads: ReadonlyMap<Slot, number[]>,
  outputs: ReadonlySet<Slot>,
): number {
  return (reads.get(slot)?.length ?? 0) + (outputs.has(slot) ? 1 : 0);
}

/** One past the highest slot in use: where new slots start. */
export function nextFreeSlot(program: OpProgram): Slot {
  let max = -1;
  for (const input of program.inputs) max = Math.max(max, input.slot);
  for (const step of program.steps) for (const slot of step.outputs) max = Math.max(max, slot);
  return max + 1;
}

/**
 * Reads of slot `from` become reads of `to` (in steps and model outputs): what removing a step that
 * passes its input through amounts to.
 */
export function replaceUses(program: OpProgram, replacements: ReadonlyMap<Slot, Slot>): OpProgram {
  if (replacements.size === 0) return program;
  const resolve = (slot: Slot): Slot => {
    let current = slot;
    for (let seen = 0; replacements.has(current) && seen <= replacements.size; seen++)
      current = replacements.get(current)!;
    return current;
  };
  return {
    ...program,
    steps: program.steps.map((step) =>
      step.inputs.some((s) => replacements.has(s)) ? { ...step, inputs: step.inputs.map(resolve) } : step,
    ),
    outputs: program.outputs.map((o) => (replacements.has(o.slot) ? { ...o, slot: resolve(o.slot) } : o)),
  };
}

/** The program without the steps at `indices`. */
export function withoutSteps(program: OpProgram, indices: ReadonlySet<number>): OpProgram {
  if (indices.size === 0) return program;
  return { ...program, steps: program.steps.filter((_, index) => !indices.has(index)) };
}

/** How a step is named in a pass's report: "dropout (layer dropout_1)". */
export function describe(step: Step): string {
  return step.layer === undefined ? step.op : `${step.op} (layer ${step.layer})`;
}
