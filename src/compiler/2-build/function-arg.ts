// Tensor functions as argument values: `lambda x: e` (a body of one `return e`) and a `block` passed by
// name both become one FunctionInput for Lambda's schema, which lowers the body to the tensor-expression IR.
// The builder only evaluates the body's free names where the function is written; it expands nothing.
import type { BlockDecl, Expr, LambdaExpr, Param, Stmt } from "../1-parse/ast.js";
import type { ArgInput, FunctionInput } from "../layers/arg-input.js";
import type { Span } from "../source.js";
import { forEachExpr } from "./ast-walk.js";

/**
 * Evaluates a free name of a function body in the enclosing scope: its value, null when its definition was
 * already reported as invalid, undefined when nothing binds it (the function's lowering reports that).
 */
export type CaptureName = (name: string, span: Span) => ArgInput | null | undefined;

/** `lambda a, b: e` as a function of one statement, `return e`. */
export function lambdaArgument(expr: LambdaExpr, capture: CaptureName): FunctionInput {
  const params: Param[] = expr.params.map((name) => ({ name, default: null, span: name.span }));
  const body: Stmt[] = [
    {
      kind: "return",
      values: [expr.body],
      span: expr.body.span,
      leadingComments: [],
      trailingComment: null,
      blankLineBefore: false,
    },
  ];
  return functionArgument(undefined, params, body, expr.span, capture);
}

/** A block named where a value is expected (`Lambda(antirectifier)`); `span` is that use of its name. */
export function blockArgument(decl: BlockDecl, span: Span, capture: CaptureName): FunctionInput {
  return functionArgument(
    { name: decl.name.name, span: decl.name.span },
    decl.params,
    decl.body,
    span,
    capture,
  );
}

function functionArgument(
  block: FunctionInput["block"],
  params: readonly Param[],
  body: readonly Stmt[],
  span: Span,
  capture: CaptureName,
): FunctionInput {
  const captured = new Map<string, ArgInput | null>();
  for (const [name, use] of freeNames(params, body)) {
    const value = capture(name, use);
    if (value !== undefined) captured.set(name, value);
  }
  return { kind: "function", block, params, body, captured, span };
}

/**
 * Names read in `body` that it does not bind (parameters and assignment targets bind), each with its first
 * use. Callees are function names of the expression language, not values, so they are left out.
 */
function freeNames(params: readonly Param[], body: readonly Stmt[]): Map<string, Span> {
  const bound = new Set(params.map((p) => p.name.name));
  for (const stmt of body) if (stmt.kind === "assign") for (const t of stmt.targets) bound.add(t.name);
  const callees = new Set<Expr>();
  const free = new Map<string, Span>();
  forEachExpr(body, (expr) => {
    if (expr.kind === "call" && expr.callee.kind === "name") callees.add(expr.callee);
    else if (expr.kind === "name" && !callees.has(expr) && !bound.has(expr.name) && !free.has(expr.name))
      free.set(expr.name, expr.span);
  });
  return free;
}
