// Lowers the statements of a model body or a block body, in order: assignments bind names (rebinding is
// allowed), `outputs` / `return` collect the results, `dim` declares local symbolic dims, and what is
// left unused is reported at the end.
import type { AssignStmt, OutputsStmt, ReturnStmt, Stmt } from "../1-parse/ast.js";
import {
  duplicateDeclaration,
  layerNotApplied,
  notATensor,
  statementNotAllowed,
  statementWithoutEffect,
  unpackCountMismatch,
  unusedBlockParameter,
  unusedInput,
  unusedValue,
} from "../diagnostics/catalogue/names.js";
import { joinSpans } from "../source.js";
import { type Denotation, describeDenotation, POISON } from "./denotation.js";
import { collectTensors, lowerExpr } from "./lower-expr.js";
import type { Env } from "./resolve.js";

export type Container = { readonly kind: "model" } | { readonly kind: "block"; readonly name: string };

export interface BodyResult {
  /** The values `outputs` names (model bodies). */
  readonly outputs: readonly number[];
  readonly outputsSeen: boolean;
  /** What `return` gives back: one tensor, several (`tensors`), or poison (block bodies). */
  readonly returned: Denotation;
  readonly returnSeen: boolean;
}

export function lowerStatements(body: readonly Stmt[], env: Env, container: Container): BodyResult {
  let outputs: number[] = [];
  let outputsSeen = false;
  let returned: Denotation = POISON;
  let returnSeen = false;
  body.forEach((stmt, index) => {
    env.scope.statement = index;
    switch (stmt.kind) {
      case "assign":
        lowerAssign(stmt, env);
        break;
      case "expr":
        lowerExprStatement(stmt.expr.span, lowerExpr(stmt.expr, env), env);
        break;
      case "outputs":
        if (container.kind === "block") {
          env.ctx.report(
            statementNotAllowed(
              stmt.span,
              "`outputs` belongs in a model",
              "a block hands back its tensors with `return y`",
            ),
          );
        } else if (outputsSeen) {
          env.ctx.report(
            statementNotAllowed(
              stmt.span,
              "a model has one `outputs` statement",
              "list every output in it: `outputs a, b`",
            ),
          );
        } else {
          outputsSeen = true;
          outputs = lowerOutputs(stmt, env);
        }
        break;
      case "return":
        if (container.kind === "model") {
          env.ctx.report(
            statementNotAllowed(
              stmt.span,
              "`return` belongs in a block",
              "a model lists its results with `outputs y`",
            ),
          );
        } else if (returnSeen) {
          env.ctx.report(
            statementNotAllowed(
              stmt.span,
              "a block returns once",
              "return every result in one statement: `return a, b`",
            ),
          );
        } else {
          returnSeen = true;
          returned = lowerReturn(stmt, env);
        }
        break;
      case "dim":
        declareLocalDims(stmt, env);
        break;
    }
  });
  return { outputs, outputsSeen, returned, returnSeen };
}

function lowerAssign(stmt: AssignStmt, env: Env): void {
  const targets = stmt.targets;
  const value = lowerExpr(stmt.value, env, targets.length);
  const targetSpan = () => joinSpans(targets[0]!.span, targets[targets.length - 1]!.span);
  const bindAll = (d: Denotation) => {
    for (const t of targets) env.scope.bind(t.name, t.span, d, "value");
  };
  if (targets.length === 1) {
    if (value.kind === "tensors") {
      env.ctx.report(unpackCountMismatch(targetSpan(), producerText(stmt), value.values.length, 1));
      bindAll(POISON);
      return;
    }
    if (value.kind === "tensor") env.graph.nameValue(value.value, targets[0]!.name);
    bindAll(value);
    return;
  }
  if (value.kind === "poison") {
    bindAll(POISON);
    return;
  }
  const produced = value.kind === "tensors" ? value.values.length : value.kind === "tensor" ? 1 : undefined;
  if (produced === undefined) {
    env.ctx.report(
      notATensor(
        stmt.value.span,
        describeDenotation(value),
        "what is unpacked into several names",
        "unpack the tensors a layer or block produces: `a, b = layer(x)`",
      ),
    );
    bindAll(POISON);
    return;
  }
  if (produced !== targets.length || value.kind !== "tensors") {
    env.ctx.report(unpackCountMismatch(targetSpan(), producerText(stmt), produced, targets.length));
    bindAll(POISON);
    return;
  }
  targets.forEach((t, i) => {
    const id = value.values[i]!;
    env.graph.nameValue(id, t.name);
    env.scope.bind(
      t.name,
      t.span,
      { kind: "tensor", value: id, fromInput: env.graph.isInputValue(id) },
      "value",
    );
  });
}

/** "block `twice`", "LSTM", "this expression": what produced the tensors of an assignment. */
function producerText(stmt: AssignStmt): string {
  let callee = stmt.value;
  while (callee.kind === "call") {
    if (callee.callee.kind === "name") return `\`${callee.callee.name}\``;
    callee = callee.callee;
  }
  return "the right-hand side";
}

/** A line that is neither an assignment nor `outputs`: only a layer application would be useful there. */
function lowerExprStatement(span: AssignStmt["span"], d: Denotation, env: Env): void {
  switch (d.kind) {
    case "layer":
      env.ctx.report(layerNotApplied(span, d.layer.def.name));
      break;
    case "tensor":
      env.ctx.report(d.fromInput ? unusedInput(span, undefined) : unusedValue(span, undefined, false));
      break;
    case "tensors":
      env.ctx.report(unusedValue(span, undefined, false));
      break;
    case "list":
    case "const":
      env.ctx.report(statementWithoutEffect(span, describeDenotation(d)));
      break;
    case "poison":
      break;
  }
}

function lowerOutputs(stmt: OutputsStmt, env: Env): number[] {
  const values: number[] = [];
  for (const name of stmt.values)
    collectTensors(lowerExpr(name, env), name.span, values, env, "a model output");
  return values;
}

function lowerReturn(stmt: ReturnStmt, env: Env): Denotation {
  const values: number[] = [];
  let ok = true;
  for (const expr of stmt.values) {
    if (!collectTensors(lowerExpr(expr, env), expr.span, values, env, "a block's result")) ok = false;
  }
  if (!ok) return POISON;
  return values.length === 1
    ? { kind: "tensor", value: values[0]!, fromInput: env.graph.isInputValue(values[0]!) }
    : { kind: "tensors", values };
}

/** `dim T` inside a body: a symbolic dim local to it (recorded in the graph where it is used). */
export function declareLocalDims(stmt: Extract<Stmt, { kind: "dim" }>, env: Env): void {
  for (const id of stmt.names) {
    const earlier = env.scope.peek(id.name);
    if (earlier?.role === "dim") {
      env.ctx.report(duplicateDeclaration(id.span, "dim", id.name, earlier.span, "dim"));
      continue;
    }
    const binding = env.scope.bind(
      id.name,
      id.span,
      { kind: "const", arg: { kind: "dim", name: id.name, span: id.span } },
      "dim",
    );
    binding.used = true; // dims are declarations, not values: an unused one is harmless
  }
}

/** Warns about every binding of the body that was never read (parameters only inside blocks). */
export function reportUnused(env: Env, block: string | undefined): void {
  for (const binding of env.scope.bindings()) {
    if (binding.used) continue;
    const d = binding.denotation;
    if (binding.role === "param") {
      if (block !== undefined) env.ctx.report(unusedBlockParameter(binding.span, block, binding.name));
      continue;
    }
    if (d.kind === "poison") continue;
    if (d.kind === "tensor" && d.fromInput) env.ctx.report(unusedInput(binding.span, binding.name));
    else env.ctx.report(unusedValue(binding.span, binding.name, d.kind === "layer"));
  }
}
