// Visits every expression of a body (statements and nested sub-expressions), for static checks.
import type { Expr, Stmt } from "../1-parse/ast.js";

/** Calls `visit` on `expr` and each sub-expression, outer before inner. Lambda bodies are skipped (not graph code). */
export function walkExpr(root: Expr, visit: (expr: Expr) => void): void {
  const walk = (expr: Expr): void => {
    visit(expr);
    switch (expr.kind) {
      case "tuple":
      case "list":
        for (const item of expr.items) walk(item);
        break;
      case "call":
        walk(expr.callee);
        for (const arg of expr.args) walk(arg);
        for (const kw of expr.kwargs) walk(kw.value);
        break;
      case "unary":
        walk(expr.operand);
        break;
      case "binary":
        walk(expr.left);
        walk(expr.right);
        break;
      default:
        break;
    }
  };
  walk(root);
}

/** Calls `visit` on each expression of `body`, outer before inner. */
export function forEachExpr(body: readonly Stmt[], visit: (expr: Expr) => void): void {
  const walk = (expr: Expr) => walkExpr(expr, visit);
  for (const stmt of body) {
    switch (stmt.kind) {
      case "assign":
        walk(stmt.value);
        break;
      case "expr":
        walk(stmt.expr);
        break;
      case "outputs":
      case "return":
        for (const value of stmt.values) walk(value);
        break;
      case "dim":
        break;
    }
  }
}
