// The pass pipeline: the passes in the order they run, each a file under passes/. Order matters:
// inference no-ops go first so fusions see producers and consumers next to each other; layout passes next,
// so a channels_first convolution meets its BatchNormalization and activation directly; merging and
// dead-step removal go last to clean up what the rewrites left behind.
import { availableWeights, type PassRecord } from "../../runtime/plan.js";
import type { OpProgram } from "./op-program.js";
import { inferSlotTypes } from "./op-shapes.js";
import type { Pass, PassContext } from "./pass.js";
import { cancelTransposes } from "./passes/cancel-transposes.js";
import { collapseReshapes } from "./passes/collapse-reshapes.js";
import { eliminateCommonSteps } from "./passes/eliminate-common-steps.js";
import { eliminateDeadSteps } from "./passes/eliminate-dead-steps.js";
import { foldBatchNorm } from "./passes/fold-batch-norm.js";
import { fuseActivations } from "./passes/fuse-activations.js";
import { hoistRnnInputProjection } from "./passes/hoist-rnn-input-projection.js";
import { mergeNAry } from "./passes/merge-n-ary.js";
import { removeInferenceNoops } from "./passes/remove-inference-noops.js";
import { verifyOpProgram } from "./verify.js";

export const PASSES: readonly Pass[] = [
  removeInferenceNoops,
  collapseReshapes,
  cancelTransposes,
  foldBatchNorm,
  fuseActivations,
  hoistRnnInputProjection,
  mergeNAry,
  eliminateCommonSteps,
  eliminateDeadSteps,
];

export interface OptimizeOptions {
  /** The passes to run (default: all, in pipeline order). */
  readonly passes?: readonly Pass[];
  /** Called with the program after each pass (`--dump-after`, tests). */
  readonly afterPass?: (pass: Pass, program: OpProgram) => void;
  /** Run the verifier after every pass (tests do; a failure names the pass). */
  readonly verify?: boolean;
}

/** Runs the passes in order; returns the optimized program and what each pass did. */
export function optimize(
  program: OpProgram,
  options: OptimizeOptions = {},
): { program: OpProgram; records: PassRecord[] } {
  // Steps may read weights the prologue derives (a folded kernel): their shapes come from there.
  const context: PassContext = { types: (p) => inferSlotTypes({ ...p, weights: availableWeights(p) }) };
  const records: PassRecord[] = [];
  let current = program;
  for (const pass of options.passes ?? PASSES) {
    const before = current.steps.length;
    const result = pass.run(current, context);
    current = result.program;
    if (options.verify) verifyOpProgram(current, pass.name);
    records.push({
      pass: pass.name,
      changes: result.changes,
      stepsBefore: before,
      stepsAfter: current.steps.length,
    });
    options.afterPass?.(pass, current);
  }
  return { program: current, records };
}

/** The pass named `name`, for `--dump-after`. */
export function findPass(name: string): Pass | undefined {
  return PASSES.find((pass) => pass.name === name);
}
