// Lowers a `sequential` body: an implicit Input (from the header or the first layer), then each line
// applied to the running tensor — a layer line `Dense(8)`, or a block line `residual(32)` that receives
// the running tensor as its first parameter.
import type { Graph } from "../../ir/graph.js";
import type { CallExpr, SequentialDecl, Stmt } from "../1-parse/ast.js";
import {
  misplacedInput,
  modelUsedAsLayer,
  notALayer,
  sequentialLineNotLayer,
  sequentialWithoutInputShape,
  statementNotAllowed,
  unpackCountMismatch,
} from "../diagnostics/catalogue/names.js";
import type { LayerDef } from "../layers/layer.js";
import type { BuildContext } from "./build-context.js";
import { constructFromInput, isInputLike } from "./construct-layer.js";
import { type Denotation, describeDenotation, POISON } from "./denotation.js";
import { evaluateLayerCall } from "./evaluate-args.js";
import { expandBlock } from "./expand-block.js";
import { GraphBuilder } from "./graph-builder.js";
import { inputFromFirstLayer, inputFromHeader, mayDeclareInputShape } from "./implicit-input.js";
import { declareLocalDims, reportUnused } from "./lower-body.js";
import { applyLayerTo } from "./lower-expr.js";
import { type Env, reportUnresolved, resolveName } from "./resolve.js";
import { BodyScope } from "./scope.js";

export function lowerSequential(decl: SequentialDecl, ctx: BuildContext): Graph {
  const env: Env = { ctx, graph: new GraphBuilder(), scope: new BodyScope(decl.body) };
  const header = inputFromHeader(decl, env);
  // undefined: no tensor yet (the first layer must declare the input shape).
  let running: Denotation | undefined = header.failed ? POISON : header.input;
  let sawLine = false;
  decl.body.forEach((stmt, index) => {
    env.scope.statement = index;
    if (stmt.kind === "dim") {
      declareLocalDims(stmt, env);
      return;
    }
    if (stmt.kind !== "expr") {
      reportMisplacedStatement(stmt, env);
      return;
    }
    sawLine = true;
    running = lowerLine(stmt, running, decl, env);
  });
  if (running === undefined && !sawLine) {
    ctx.report(sequentialWithoutInputShape(decl.name.span, decl.name.name, false));
  }
  reportUnused(env, undefined);
  const final: Denotation = running ?? POISON;
  return env.graph.finish(
    decl.name.name,
    "sequential",
    decl.span,
    final.kind === "tensor" ? [final.value] : [],
  );
}

/** One line; returns the new running tensor (poison after an error, so later lines stay quiet). */
function lowerLine(
  stmt: Extract<Stmt, { kind: "expr" }>,
  running: Denotation | undefined,
  decl: SequentialDecl,
  env: Env,
): Denotation {
  const call = stmt.expr.kind === "call" ? stmt.expr : undefined;
  if (call?.callee.kind !== "name") {
    const hint = call
      ? "write just the layer, e.g. `Dense(8)`: a sequential model applies each line to the previous line's output"
      : "write a layer such as `Dense(8)`, or a block call";
    env.ctx.report(sequentialLineNotLayer(stmt.span, hint));
    return POISON;
  }
  const callee = call.callee;
  const resolved = resolveName(callee.name, env);
  switch (resolved.kind) {
    case "layerType":
      return lowerLayerLine(resolved.def, call, running, decl, env);
    case "global":
      if (resolved.decl.kind === "block") {
        if (running === undefined) {
          env.ctx.report(sequentialWithoutInputShape(call.span, decl.name.name, true));
          return POISON;
        }
        const result = expandBlock(resolved.decl.decl, call, env, running);
        if (result.kind === "tensors") {
          env.ctx.report(unpackCountMismatch(call.span, `block \`${callee.name}\``, result.values.length, 1));
          return POISON;
        }
        return result;
      }
      if (resolved.decl.kind === "model") env.ctx.report(modelUsedAsLayer(callee.span, callee.name));
      else
        env.ctx.report(
          notALayer(
            callee.span,
            `\`${callee.name}\``,
            "a symbolic dimension",
            "only layers and blocks can be called",
          ),
        );
      return POISON;
    case "functionalForm":
      env.ctx.report(
        notALayer(
          callee.span,
          `\`${callee.name}\``,
          `the functional form of ${resolved.def.name}`,
          `it merges a list of tensors; do that in a \`model\` body: \`y = ${callee.name}([a, b])\``,
        ),
      );
      return POISON;
    case "local":
      env.ctx.report(
        notALayer(
          callee.span,
          `\`${callee.name}\``,
          describeDenotation(resolved.binding.denotation),
          "only layers and blocks can be called",
        ),
      );
      return POISON;
    case "unresolved":
      reportUnresolved(callee.name, callee.span, env, true);
      return POISON;
  }
}

function lowerLayerLine(
  def: LayerDef,
  call: CallExpr,
  running: Denotation | undefined,
  decl: SequentialDecl,
  env: Env,
): Denotation {
  if (isInputLike(def)) {
    // `Input(shape=...)` may open a sequential body; anywhere else it would start a second input.
    if (running !== undefined) {
      env.ctx.report(misplacedInput(call.span));
      return POISON;
    }
    env.graph.declaresInput = true;
  }
  const input = evaluateLayerCall(call, def.name, env);
  const constructed = input ? constructFromInput(def, input, env) : POISON;
  if (isInputLike(def)) return constructed;
  let current = running;
  if (current === undefined) {
    if (constructed.kind === "layer" && input) current = inputFromFirstLayer(constructed.layer, input, env);
    // A first layer that failed for another reason still gets told that the shape is missing.
    if (current === undefined && !mayDeclareInputShape(def, call)) {
      env.ctx.report(sequentialWithoutInputShape(call.span, decl.name.name, false));
    }
  }
  if (constructed.kind !== "layer" || current === undefined || current.kind !== "tensor") return POISON;
  return applyLayerTo(constructed.layer, [current.value], 1, call.span, env);
}

function reportMisplacedStatement(stmt: Stmt, env: Env): void {
  const hint =
    "a sequential body lists layers, one per line; use a `model` for named values and several outputs";
  const what =
    stmt.kind === "assign"
      ? "a sequential body has no named values"
      : stmt.kind === "outputs"
        ? "a sequential model's output is its last layer; it has no `outputs` statement"
        : "`return` belongs in a block";
  env.ctx.report(statementNotAllowed(stmt.span, what, hint));
}
