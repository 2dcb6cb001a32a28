// Pass remove-inference-noops: steps that compute their input unchanged at inference — Dropout, the noise
// layers, ActivityRegularization, a linear Activation, an identity Permute — are removed and their readers
// read the input instead. After it the plan is inference-only (training-mode forward needs -O0).
import type { Step } from "../../../runtime/program.js";
import { describe, replaceUses, withoutSteps } from "../op-program.js";
import type { Pass } from "../pass.js";

const TRAINING_ONLY_OPS = new Set(["dropout", "gaussianNoise", "gaussianDropout", "alphaDropout"]);

function isInferenceNoop(step: Step): boolean {
  if (step.inputs.length !== 1 || step.outputs.length !== 1) return false;
  if (TRAINING_ONLY_OPS.has(step.op) || step.op === "identity") return true;
  if (step.op === "activation") return step.attrs.fn === "linear";
  if (step.op === "scale") return step.attrs.factor === 1;
  if (step.op === "transpose") return (step.attrs.perm as number[]).every((axis, i) => axis === i);
  return false;
}

export const removeInferenceNoops: Pass = {
  name: "remove-inference-noops",
  description: "removes Dropout, noise, ActivityRegularization, linear activations and identity permutes",
  run(program) {
    const removed = new Set<number>();
    const replacements = new Map<number, number>();
    const changes: string[] = [];
    program.steps.forEach((step, index) => {
      if (!isInferenceNoop(step)) return;
      removed.add(index);
      replacements.set(step.outputs[0]!, step.inputs[0]!);
      changes.push(`removed ${describe(step)}`);
    });
    return { program: replaceUses(withoutSteps(program, removed), replacements), changes };
  },
};
