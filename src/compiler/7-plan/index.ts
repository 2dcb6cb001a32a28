// The back end of compile(): every typed graph lowered, optimized and planned. A layer that cannot be
// lowered becomes a diagnostic and its model gets no plan.
import type { Program } from "../../ir/graph.js";
import type { Plan } from "../../runtime/plan.js";
import { lowerProgram } from "../5-lower/lower.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { buildPlan, type PlanOptions } from "./build-plan.js";

export type { PlanOptions } from "./build-plan.js";

/** One plan per graph that lowered, in source order, and the lowering's diagnostics. */
export function planProgram(
  program: Program,
  options: PlanOptions = {},
): { plans: Plan[]; diagnostics: Diagnostic[] } {
  const lowered = lowerProgram(program);
  const plans: Plan[] = [];
  lowered.graphs.forEach((graph, index) => {
    if (graph.program) plans.push(buildPlan(program.graphs[index]!, graph.program, options));
  });
  return { plans, diagnostics: lowered.diagnostics };
}
