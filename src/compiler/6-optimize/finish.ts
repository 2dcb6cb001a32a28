// After the passes: slots renumbered densely in the order values appear (inputs first), and each slot
// freed by the step that reads it last (the lowering's rule, applied again) — the executor's whole memory
// discipline.
import type { Program, Slot } from "../../runtime/program.js";
import { withFrees } from "../5-lower/lower.js";
import type { OpProgram } from "./op-program.js";

/** The program with dense slots and fresh `frees`; `renumbered` maps old slots to new (for slot types). */
export function finishProgram(program: OpProgram): { program: OpProgram; renumbered: Map<Slot, Slot> } {
  const renumbered = new Map<Slot, Slot>();
  const number = (slot: Slot) => {
    if (!renumbered.has(slot)) renumbered.set(slot, renumbered.size);
    return renumbered.get(slot)!;
  };
  const inputs = program.inputs.map((input) => ({ ...input, slot: number(input.slot) }));
  const steps = program.steps.map((step) => ({
    ...step,
    inputs: step.inputs.map((slot) => renumbered.get(slot) ?? slot),
    outputs: step.outputs.map(number),
  }));
  const outputs = program.outputs.map((o) => ({ ...o, slot: renumbered.get(o.slot) ?? o.slot }));
  const freed = withFrees(steps, new Set(outputs.map((o) => o.slot)));
  return { program: { ...program, inputs, outputs, steps: freed }, renumbered };
}

/** The runtime program of a finished OpProgram whose prologue is empty (the -O0 plan's steps). */
export function asProgram(program: OpProgram): Program {
  const { prologue: _prologue, ...rest } = program;
  return rest;
}
