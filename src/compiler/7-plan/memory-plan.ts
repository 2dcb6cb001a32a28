// The static memory plan: with every slot's size known and each slot freed at its last use, the bytes of
// activations alive after each step follow from the step order alone. The peak is what the plan promises
// the runtime never exceeds (kernel scratch inside a step aside).
import type { Program } from "../../runtime/program.js";
import { type SizedSlotType, slotBytes } from "../6-optimize/op-shapes.js";

export interface MemoryPlan {
  /** Bytes alive while each step runs: what stayed alive before it plus its outputs. */
  readonly duringStep: readonly number[];
  /** The largest of them (or the inputs' bytes for a model without steps). */
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
  return { duringStep, peak };
}
