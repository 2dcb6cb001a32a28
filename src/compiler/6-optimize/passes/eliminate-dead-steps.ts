// Pass eliminate-dead-steps: a step none of whose outputs reaches a model output is removed (a branch the
// outputs do not use, a state nobody reads), except a stateful recurrent step, whose run updates the state
// the next predict starts from.
import type { Step } from "../../../runtime/program.js";
import { describe, outputSlots, withoutSteps } from "../op-program.js";
import type { Pass } from "../pass.js";

function hasSideEffects(step: Step): boolean {
  return (step.op === "rnn" || step.op === "convLstm") && step.attrs.stateful === true;
}

export const eliminateDeadSteps: Pass = {
  name: "eliminate-dead-steps",
  description: "removes steps whose results no output depends on",
  run(program) {
    const live = outputSlots(program);
    const removed = new Set<number>();
    const changes: string[] = [];
    // Backwards, so a step feeding only dead steps is found dead in the same sweep.
    for (let index = program.steps.length - 1; index >= 0; index--) {
      const step = program.steps[index]!;
      if (step.outputs.some((slot) => live.has(slot)) || hasSideEffects(step)) {
        for (const slot of step.inputs) live.add(slot);
        continue;
      }
      removed.add(index);
      changes.push(`removed ${describe(step)}: nothing reads its result`);
    }
    return { program: withoutSteps(program, removed), changes: changes.reverse() };
  },
};
