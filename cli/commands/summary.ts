// `kerasc summary FILE [--json] [--batch N] [--model NAME]`: Keras's model.summary() table (or SPEC §4's
// JSON) for each model of a file, plus FLOPs and activation memory.

import {
  formatSummaryTable,
  stringifySummaryJson,
  summarizeGraph,
  summaryJson,
} from "../../src/compiler/summary/index.js";
import { compile, type Graph, hasErrors } from "../../src/index.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { countSummary, renderForTerminal } from "../terminal.js";

export interface SummaryCommandOptions {
  /** Print SPEC §4's JSON instead of the table. */
  readonly json: boolean;
  /** Also report FLOPs and activation memory for a batch of this many samples. */
  readonly batch: number | undefined;
  /** Only this model of the file. */
  readonly model: string | undefined;
}

export function runSummary(file: string, options: SummaryCommandOptions): number {
  const models = compileModels(file, options.model);
  if (models === undefined) return EXIT_MODEL_ERRORS;
  const summaries = models.map((graph) => summarizeGraph(graph, { batch: options.batch }));
  if (options.json) {
    // One model (or --model): the contract's object. Several: an array of them, in source order.
    const json = summaries.length === 1 ? summaryJson(summaries[0]!) : summaries.map(summaryJson);
    process.stdout.write(stringifySummaryJson(json));
  } else {
    process.stdout.write(summaries.map(formatSummaryTable).join("\n"));
  }
  return EXIT_OK;
}

/**
 * Compiles a file for a command that shows its models (summary, graph): reports diagnostics on stderr
 * like `kerasc FILE`, and returns the chosen models — every one, or the one `--model` names — or
 * undefined when the file has errors.
 */
export function compileModels(file: string, modelName: string | undefined): readonly Graph[] | undefined {
  const result = compile({ path: file }, { plan: false });
  if (!result.sources.has(file)) throw new UsageError(`cannot read ${file}: no such file`);
  if (result.diagnostics.length > 0) {
    process.stderr.write(renderForTerminal(result.diagnostics, result.sources, process.stderr));
  }
  if (hasErrors(result.diagnostics) || !result.ir) {
    process.stderr.write(`\n${file}: ${countSummary(result.diagnostics)}\n`);
    return undefined;
  }
  const graphs = result.ir.graphs;
  const names = graphs.map((g) => g.name).join(", ");
  if (graphs.length === 0) throw new UsageError(`${file} defines no model (only blocks or dims)`);
  if (modelName === undefined) return graphs;
  const chosen = graphs.find((g) => g.name === modelName);
  if (!chosen) throw new UsageError(`${file} has no model named "${modelName}" (it has: ${names})`);
  return [chosen];
}
