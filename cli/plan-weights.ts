// `kerasc FILE --weights-out DIR`: a plan's declared weights, as loadPlan would create them under the seed
// (given values, else the initializer), written in the TF.js weights format next to the plan.
import { sourceWeightValues } from "../src/runtime/load-plan.js";
import type { Plan } from "../src/runtime/plan.js";
import { writeWeightsDir } from "../src/runtime/weights-format-node.js";
import { UsageError } from "./exit.js";

/** Writes the weights into `dir`; returns the manifest's path. */
export async function writePlanWeights(plan: Plan, dir: string, seed: number): Promise<string> {
  const values = sourceWeightValues(plan, seed);
  const written = await writeWeightsDir(
    dir,
    plan.weights.map((decl) => ({
      name: decl.name,
      shape: decl.shape,
      dtype: decl.dtype,
      data: values.get(decl.name)!,
    })),
  );
  if (!written.ok) throw new UsageError(`${dir}: ${written.error.message}`);
  return written.manifestPath;
}
