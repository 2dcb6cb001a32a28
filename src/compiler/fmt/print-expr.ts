// Canonical .kml text of one expression: Python precedence, the fewest parentheses that keep the tree.
import type { BinaryOperator, CallExpr, Expr, KeywordArg } from "../1-parse/ast.js";
import { formatFloat, formatInt } from "./numbers.js";
import { quoteKmlString } from "./strings.js";

/** Binding strength, loosest first; an operand printed where a tighter level is required gets parentheses. */
enum Level {
  Lambda = 0,
  Additive = 1,
  Multiplicative = 2,
  Unary = 3,
  Power = 4,
  Postfix = 5,
  Atom = 6,
}

const BINARY_LEVEL: Readonly<Record<BinaryOperator, Level>> = {
  "+": Level.Additive,
  "-": Level.Additive,
  "*": Level.Multiplicative,
  "/": Level.Multiplicative,
  "//": Level.Multiplicative,
  "%": Level.Multiplicative,
  "**": Level.Power,
};

function levelOf(expr: Expr): Level {
  switch (expr.kind) {
    case "lambda":
      return Level.Lambda;
    case "binary":
      return BINARY_LEVEL[expr.op];
    case "unary":
      return Level.Unary;
    case "call":
      return Level.Postfix;
    default:
      return Level.Atom;
  }
}

/** Prints `expr` as canonical .kml text. */
export function printExpr(expr: Expr): string {
  return printAt(expr, Level.Lambda);
}

/** Prints `expr` where the grammar needs at least binding strength `required`. */
function printAt(expr: Expr, required: Level): string {
  const text = printBare(expr);
  return levelOf(expr) < required ? `(${text})` : text;
}

function printBare(expr: Expr): string {
  switch (expr.kind) {
    case "int":
      return formatInt(expr.value);
    case "float":
      return formatFloat(expr.value);
    case "string":
      return quoteKmlString(expr.value);
    case "bool":
      return expr.value ? "True" : "False";
    case "none":
      return "None";
    case "name":
      return expr.name;
    case "tuple":
      // A one-element tuple needs its trailing comma, or it would read back as a parenthesised value.
      return expr.items.length === 1 ? `(${printExpr(expr.items[0]!)},)` : `(${printList(expr.items)})`;
    case "list":
      return `[${printList(expr.items)}]`;
    case "call":
      return printCall(expr);
    case "unary":
      return `${expr.op}${printAt(expr.operand, Level.Unary)}`;
    case "binary":
      return printBinary(expr.op, expr.left, expr.right);
    case "lambda": {
      const params = expr.params.map((p) => p.name).join(", ");
      return `lambda${params === "" ? "" : ` ${params}`}: ${printExpr(expr.body)}`;
    }
  }
}

function printBinary(op: BinaryOperator, left: Expr, right: Expr): string {
  const level = BINARY_LEVEL[op];
  // `**` groups to the right and binds tighter than a unary minus on its left but not on its right
  // (`-a ** b` is `-(a ** b)`, `a ** -b` is `a ** (-b)`); the other operators group to the left.
  const [leftLevel, rightLevel] = op === "**" ? [Level.Postfix, Level.Unary] : [level, (level + 1) as Level];
  return `${printAt(left, leftLevel)} ${op} ${printAt(right, rightLevel)}`;
}

function printCall(call: CallExpr): string {
  const args = [...call.args.map(printExpr), ...call.kwargs.map(printKeywordArg)];
  return `${printAt(call.callee, Level.Postfix)}(${args.join(", ")})`;
}

/** `name=value`, without spaces around `=` (the Python style for keyword arguments). */
export function printKeywordArg(kwarg: KeywordArg): string {
  return `${kwarg.name.name}=${printExpr(kwarg.value)}`;
}

/** Comma-separated expressions, as in argument lists, tuples, `return` and `outputs`. */
export function printList(exprs: readonly Expr[]): string {
  return exprs.map(printExpr).join(", ");
}
