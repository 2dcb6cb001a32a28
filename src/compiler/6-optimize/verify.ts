// The verifier run after every pass in tests (and by the pipeline when asked): the rewritten program must
// still be one the runtime accepts — every slot written once before it is read, every op known with its
// arity, every weight a step names declared or derived by an earlier prologue transform.
import { availableWeights } from "../../runtime/plan.js";
import { validateProgram } from "../../runtime/validate.js";
import { finishProgram } from "./finish.js";
import type { OpProgram } from "./op-program.js";

/** Throws an Error naming the first problem; `after` names the pass for the message. */
export function verifyOpProgram(program: OpProgram, after: string): void {
  const known = new Set(program.weights.map((w) => w.name));
  program.prologue.forEach((transform, index) => {
    for (const name of transform.inputs)
      if (!known.has(name))
        throw new Error(
          `after ${after}: prologue step ${index} (${transform.op}) reads unknown weight "${name}"`,
        );
    for (const output of transform.outputs) {
      if (known.has(output.name))
        throw new Error(
          `after ${after}: prologue step ${index} creates "${output.name}", which exists already`,
        );
      known.add(output.name);
    }
  });
  const { program: finished } = finishProgram(program);
  try {
    validateProgram({ ...finished, weights: availableWeights(finished) });
  } catch (error) {
    throw new Error(`after ${after}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
