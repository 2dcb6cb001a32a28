// `kerasc FILE [-o PLAN] [-O0] [--emit ast|ir|ir-opt|plan] [--dump-after PASS] [--batch N] [--model NAME]
// [--weights-out DIR] [--seed N]`: compile a model file into its execution plan, write it next to the file
// (or to -o), and print a short report: the passes and what each did, steps before and after, memory.
import { basename, dirname, join, relative } from "node:path";
import { findPass, PASSES } from "../../src/compiler/6-optimize/pipeline.js";
import { printOpProgram } from "../../src/compiler/6-optimize/print.js";
import { formatBytes, formatCount, formatFlops } from "../../src/compiler/summary/index.js";
import { compile, hasErrors, type Plan } from "../../src/index.js";
import { printProgram } from "../../src/ir/print.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { writePlanWeights } from "../plan-weights.js";
import { describeGraph } from "../report.js";
import { countSummary, displayPath, renderForTerminal } from "../terminal.js";
import { writeFileAtomically } from "../write-file.js";

export const EMIT_STAGES = ["ast", "ir", "ir-opt", "plan"] as const;
export type EmitStage = (typeof EMIT_STAGES)[number];

export interface CompileCommandOptions {
  readonly emit: EmitStage | undefined;
  /** Where to write the plan (default: next to FILE, `<name>.plan.json`). */
  readonly output?: string | undefined;
  /** -O0: no optimization passes. */
  readonly optimize?: boolean;
  /** Print the op program after this pass (stdout). */
  readonly dumpAfter?: string | undefined;
  /** The batch size the report's memory and FLOP figures are for. */
  readonly batch?: number | undefined;
  /** Only this model of the file. */
  readonly model?: string | undefined;
  /** Also write the weights (TF.js format) here, drawn from their initializers under `seed`. */
  readonly weightsOut?: string | undefined;
  readonly seed?: number;
}

export async function runCompile(file: string, options: CompileCommandOptions): Promise<number> {
  const started = performance.now();
  if (options.dumpAfter !== undefined && !findPass(options.dumpAfter))
    throw new UsageError(
      `--dump-after ${options.dumpAfter}: no such pass (passes: ${PASSES.map((p) => p.name).join(", ")})`,
    );
  const dumps: string[] = [];
  const result = compile(
    { path: file },
    {
      plan: {
        optimize: options.optimize ?? true,
        batch: options.batch ?? 1,
        afterPass: (pass, program) => {
          if (pass.name === options.dumpAfter) dumps.push(printOpProgram(program));
        },
      },
    },
  );
  if (!result.sources.has(file)) throw new UsageError(`cannot read ${file}: no such file`);
  if (result.diagnostics.length > 0) {
    process.stderr.write(renderForTerminal(result.diagnostics, result.sources, process.stderr));
  }
  if (hasErrors(result.diagnostics) || !result.ir || !result.ast) {
    process.stderr.write(`\n${displayPath(file)}: ${countSummary(result.diagnostics)}\n`);
    return EXIT_MODEL_ERRORS;
  }
  const plans = choosePlans(file, result.plans, options.model);
  if (options.dumpAfter !== undefined) {
    process.stdout.write(dumps.join("\n"));
    return EXIT_OK;
  }
  switch (options.emit) {
    case "ast":
      process.stdout.write(`${JSON.stringify(result.ast, null, 2)}\n`);
      return EXIT_OK;
    case "ir":
      process.stdout.write(printProgram(result.ir));
      return EXIT_OK;
    case "ir-opt":
      process.stdout.write(plans.map((plan) => printOpProgram(plan)).join("\n"));
      return EXIT_OK;
    case "plan":
      process.stdout.write(plans.map((plan) => `${JSON.stringify(plan, null, 2)}\n`).join(""));
      return EXIT_OK;
  }
  if (options.output !== undefined && plans.length > 1)
    throw new UsageError(
      `-o ${options.output}: ${file} defines ${plans.length} models (${plans.map((p) => p.model).join(", ")}); choose one with --model`,
    );
  const reports: string[] = [];
  for (const plan of plans) {
    const path = options.output ?? defaultPlanPath(file, plans.length > 1 ? plan.model : undefined);
    let written = plan;
    if (options.weightsOut !== undefined) {
      const manifest = await writePlanWeights(plan, options.weightsOut, options.seed ?? 0);
      written = { ...plan, weightsManifest: relative(dirname(path), manifest) };
    }
    writeFileAtomically(path, `${JSON.stringify(written)}\n`);
    const graph = result.ir.graphs.find((g) => g.name === plan.model)!;
    reports.push(`${describeGraph(graph)}\n${describePlan(plan, path, options.weightsOut)}`);
  }
  const elapsed = performance.now() - started;
  process.stdout.write(`${reports.join("\n")}\ncompiled ${displayPath(file)} in ${elapsed.toFixed(0)} ms\n`);
  return EXIT_OK;
}

/** The plans to write: all, or the one --model names. */
function choosePlans(file: string, plans: readonly Plan[], model: string | undefined): readonly Plan[] {
  if (plans.length === 0) throw new UsageError(`${file} defines no model (only blocks or dims)`);
  if (model === undefined) return plans;
  const chosen = plans.find((p) => p.model === model);
  if (!chosen)
    throw new UsageError(
      `${file} has no model named "${model}" (it has: ${plans.map((p) => p.model).join(", ")})`,
    );
  return [chosen];
}

/** `models/mlp.kml` → `models/mlp.plan.json` (`models/mlp.<model>.plan.json` when the file has several). */
export function defaultPlanPath(file: string, model: string | undefined): string {
  const stem = basename(file).replace(/\.kml(\.json)?$|\.json$/, "");
  return join(dirname(file), `${stem}${model === undefined ? "" : `.${model}`}.plan.json`);
}

/** The report for one plan: where it went, the passes that changed something, steps, memory, FLOPs. */
function describePlan(plan: Plan, path: string, weightsOut: string | undefined): string {
  const { stats } = plan;
  const stepsBefore = plan.passes[0]?.stepsBefore ?? plan.steps.length;
  const lines = [`  plan     → ${displayPath(path)}`];
  if (weightsOut !== undefined) lines.push(`  weights  → ${displayPath(weightsOut)}`);
  const applied = plan.passes.filter((p) => p.changes.length > 0);
  if (plan.passes.length === 0) lines.push("  passes   none (-O0)");
  for (const pass of applied) {
    lines.push(`  ${pass.pass}: ${pass.stepsBefore} → ${pass.stepsAfter} steps`);
    for (const change of pass.changes.slice(0, 5)) lines.push(`    ${change}`);
    if (pass.changes.length > 5) lines.push(`    … and ${pass.changes.length - 5} more`);
  }
  lines.push(
    `  steps    ${stepsBefore} → ${plan.steps.length}${plan.prologue.length > 0 ? ` (+ ${plan.prologue.length} load-time weight transforms)` : ""}`,
  );
  const peak =
    stats.peakActivationBytes === null
      ? "unknown (a size is only known at run time)"
      : formatBytes(stats.peakActivationBytes);
  lines.push(
    `  memory   ${formatBytes(stats.parameterBytes)} of weights, peak activations ${peak} at batch ${stats.batch}`,
  );
  if (stats.flops !== null)
    lines.push(`  compute  ${formatFlops(stats.flops)} per batch of ${formatCount(stats.batch)}`);
  return lines.join("\n");
}
