// Pass eliminate-common-steps (common-subexpression elimination): a step with the same op, attributes,
// inputs and weights as an earlier one computes the same values, so its readers read the earlier one's
// outputs — e.g. a shared layer applied twice to one tensor. Random and stateful steps are never merged.
import type { Step } from "../../../runtime/program.js";
import { describe, replaceUses, withoutSteps } from "../op-program.js";
import type { Pass } from "../pass.js";

const RANDOM_OPS = new Set(["dropout", "gaussianNoise", "gaussianDropout", "alphaDropout", "custom"]);

function mergeable(step: Step): boolean {
  if (RANDOM_OPS.has(step.op)) return false;
  return !((step.op === "rnn" || step.op === "convLstm") && step.attrs.stateful === true);
}

/** Equal keys mean equal results: attribute objects are written by one lowering, so key order is stable. */
function keyOf(step: Step): string {
  return JSON.stringify([step.op, step.inputs, step.weights, step.attrs]);
}

export const eliminateCommonSteps: Pass = {
  name: "eliminate-common-steps",
  description: "merges steps that compute the same op on the same inputs and weights",
  run(program) {
    const seen = new Map<string, Step>();
    const replacements = new Map<number, number>();
    const removed = new Set<number>();
    const changes: string[] = [];
    program.steps.forEach((step, index) => {
      if (!mergeable(step)) return;
      // Inputs already merged read as their survivors, so chains of duplicates collapse in one sweep.
      const inputs = step.inputs.map((slot) => replacements.get(slot) ?? slot);
      const key = keyOf({ ...step, inputs });
      const earlier = seen.get(key);
      if (!earlier) {
        seen.set(key, step);
        return;
      }
      removed.add(index);
      step.outputs.forEach((slot, i) => {
        replacements.set(slot, earlier.outputs[i]!);
      });
      changes.push(`merged ${describe(step)} into the identical ${describe(earlier)}`);
    });
    return { program: replaceUses(withoutSteps(program, removed), replacements), changes };
  },
};
