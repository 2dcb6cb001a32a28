// A typed graph's plan: lower it, optimize the op program (unless -O0), renumber slots and place frees,
// then record each slot's type, the statistics and the static memory plan.
import type { Graph } from "../../ir/graph.js";
import { availableWeights, PLAN_FORMAT, PLAN_VERSION, type Plan } from "../../runtime/plan.js";
import type { Program } from "../../runtime/program.js";
import { finishProgram } from "../6-optimize/finish.js";
import { fromProgram, type OpProgram } from "../6-optimize/op-program.js";
import { inferSizedSlotTypes } from "../6-optimize/op-shapes.js";
import { type OptimizeOptions, optimize } from "../6-optimize/pipeline.js";
import { summarizeGraph } from "../summary/index.js";
import { planMemory } from "./memory-plan.js";

export interface PlanOptions extends OptimizeOptions {
  /** Run the optimization passes (default true; `-O0` is false). */
  readonly optimize?: boolean;
  /** The batch size the statistics are for (default 1). */
  readonly batch?: number;
}

/** The plan of one graph from its lowered program. */
export function buildPlan(graph: Graph, lowered: Program, options: PlanOptions = {}): Plan {
  const optimizing = options.optimize ?? true;
  const start = fromProgram(lowered);
  const { program: optimized, records } = optimizing
    ? optimize(start, options)
    : { program: start, records: [] };
  const { program } = finishProgram(optimized);
  const batch = options.batch ?? 1;
  const withDerived = { ...program, weights: availableWeights(program) };
  const types = inferSizedSlotTypes(withDerived);
  const memory = planMemory(program, types, batch);
  const summary = summarizeGraph(graph, { batch });
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    model: graph.name,
    inferenceOnly: optimizing,
    inputs: program.inputs,
    outputs: program.outputs,
    weights: program.weights,
    prologue: program.prologue,
    steps: program.steps,
    slots: types.map(({ shape, dtype }) => ({ shape, dtype })),
    stats: {
      batch,
      flops: summary.perBatch?.flops ?? null,
      parameterBytes: parameterBytes(program),
      peakActivationBytes: memory?.peak ?? null,
    },
    passes: records,
  };
}

/** Bytes of the weights the steps read, after the prologue's transforms. */
function parameterBytes(program: OpProgram): number {
  const used = new Set(program.steps.flatMap((step) => step.weights));
  return availableWeights(program)
    .filter((w) => used.has(w.name))
    .reduce((sum, w) => sum + w.shape.reduce((product, d) => product * d, 1) * 4, 0);
}
