// The back end of compile(): every typed graph lowered, optimized and planned. A layer that cannot be
// lowered becomes a diagnostic and its model gets no plan.
import type { Program } from "../../ir/graph.js";
import type { Plan } from "../../runtime/plan.js";
import { lowerProgram } from "../5-lower/lower.js";
import { planningFailed } from "../diagnostics/catalogue/lower.js";
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
  const diagnostics = [...lowered.diagnostics];
  lowered.graphs.forEach((lowering, index) => {
    const graph = program.graphs[index]!;
    if (!lowering.program) return;
    try {
      plans.push(buildPlan(graph, lowering.program, options));
    } catch (error) {
      diagnostics.push(
        planningFailed(graph.span, graph.name, error instanceof Error ? error.message : String(error)),
      );
    }
  });
  return { plans, diagnostics };
}
