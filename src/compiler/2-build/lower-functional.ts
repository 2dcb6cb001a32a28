// Lowers a `model` body (the functional API): named values, explicit Inputs, `outputs`.
import type { Graph } from "../../ir/graph.js";
import type { ModelDecl } from "../1-parse/ast.js";
import { modelWithoutInput, modelWithoutOutputs } from "../diagnostics/catalogue/names.js";
import type { BuildContext } from "./build-context.js";
import { GraphBuilder } from "./graph-builder.js";
import { lowerStatements, reportUnused } from "./lower-body.js";
import type { Env } from "./resolve.js";
import { BodyScope } from "./scope.js";

export function lowerModel(decl: ModelDecl, ctx: BuildContext): Graph {
  const env: Env = { ctx, graph: new GraphBuilder(), scope: new BodyScope(decl.body) };
  const result = lowerStatements(decl.body, env, { kind: "model" });
  if (!result.outputsSeen) ctx.report(modelWithoutOutputs(decl.name.span, decl.name.name));
  if (!env.graph.declaresInput) ctx.report(modelWithoutInput(decl.name.span, decl.name.name));
  reportUnused(env, undefined);
  return env.graph.finish(decl.name.name, "functional", decl.span, result.outputs);
}
