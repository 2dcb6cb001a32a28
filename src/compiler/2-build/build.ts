// AST → IR: follows imports, declares every model, block and dim, checks blocks, then lowers each
// `model` / `sequential` of the entry file to an immutable IR graph, in source order.
import type { Graph, Program } from "../../ir/graph.js";
import { type LineIndex, lineLocator } from "../../ir/locate.js";
import type { KmlFile } from "../1-parse/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { checkBlockCycles } from "./block-checks.js";
import { BuildContext } from "./build-context.js";
import { type ImportResolver, loadImports } from "./imports.js";
import { lowerModel } from "./lower-functional.js";
import { lowerSequential } from "./lower-sequential.js";
import { declareTopLevel } from "./program-scope.js";

export type { ImportResolver } from "./imports.js";

export interface BuildOptions {
  /** Source texts by path, so messages can say "defined at line 7"; without them messages omit lines. */
  readonly sources?: ReadonlyMap<string, LineIndex>;
  /** Node budget per graph (default MAX_NODES_PER_GRAPH); tests lower it. */
  readonly maxNodesPerGraph?: number;
}

/**
 * Builds one IR graph per model of `entry`. Imported files contribute blocks, dims and model names (for
 * clashes and messages), not graphs. Never throws: problems are diagnostics, and what can be built is.
 */
export function buildProgram(
  entry: KmlFile,
  imports: ImportResolver,
  options: BuildOptions = {},
): { program: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => diagnostics.push(d);
  const files = loadImports(entry, imports, report);
  const scope = declareTopLevel(files, report);
  checkBlockCycles(scope, report);

  const ctx = new BuildContext(scope, lineLocator(options.sources), options.maxNodesPerGraph);
  const graphs: Graph[] = [];
  for (const item of entry.items) {
    if (item.kind === "model") graphs.push(lowerModel(item, ctx));
    else if (item.kind === "sequential") graphs.push(lowerSequential(item, ctx));
  }
  return {
    program: Object.freeze({ graphs: Object.freeze(graphs) }),
    diagnostics: [...diagnostics, ...ctx.diagnostics],
  };
}
