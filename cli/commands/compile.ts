// `kerasc FILE`: compile a model file and print a short report (plans are written once lowering exists).

import { compile, hasErrors } from "../../src/index.js";
import { printProgram } from "../../src/ir/print.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { describeGraph } from "../report.js";
import { countSummary, renderForTerminal } from "../terminal.js";

export const EMIT_STAGES = ["ast", "ir"] as const;
export type EmitStage = (typeof EMIT_STAGES)[number];

export interface CompileCommandOptions {
  readonly emit: EmitStage | undefined;
}

export function runCompile(file: string, options: CompileCommandOptions): number {
  const started = performance.now();
  const result = compile({ path: file });
  if (!result.sources.has(file)) throw new UsageError(`cannot read ${file}: no such file`);
  if (result.diagnostics.length > 0) {
    process.stderr.write(renderForTerminal(result.diagnostics, result.sources, process.stderr));
  }
  if (hasErrors(result.diagnostics) || !result.ir || !result.ast) {
    process.stderr.write(`\n${file}: ${countSummary(result.diagnostics)}\n`);
    return EXIT_MODEL_ERRORS;
  }
  if (options.emit === "ast") {
    process.stdout.write(`${JSON.stringify(result.ast, null, 2)}\n`);
    return EXIT_OK;
  }
  if (options.emit === "ir") {
    process.stdout.write(printProgram(result.ir));
    return EXIT_OK;
  }
  const lines = result.ir.graphs.map((graph) => describeGraph(graph));
  const elapsed = performance.now() - started;
  process.stdout.write(`${lines.join("\n")}\ncompiled ${file} in ${elapsed.toFixed(0)} ms\n`);
  return EXIT_OK;
}
