// Constant folding of argument arithmetic with Python's meaning: `filters * 2`, `-1`, `units // 4`,
// `(28, 28) + (1,)`. Only values known at build time fold; symbolic dims and tensors do not.
import type { BinaryOperator, UnaryOperator } from "../1-parse/ast.js";
import type { ArgInput } from "../layers/arg-input.js";
import { describeInput } from "../layers/describe-input.js";
import type { Span } from "../source.js";

/** A folded constant, or why the expression cannot be folded. */
export type Folded =
  | { readonly ok: true; readonly arg: ArgInput }
  | { readonly ok: false; readonly reason: string };

type Scalar = Extract<ArgInput, { kind: "scalar" }>;
type Sequence = Extract<ArgInput, { kind: "sequence" }>;

function numberOf(arg: ArgInput): number | undefined {
  return arg.kind === "scalar" && typeof arg.value === "number" ? arg.value : undefined;
}

function scalar(value: number | string, isFloat: boolean, span: Span): Scalar {
  return { kind: "scalar", value, isFloat, span };
}

/** `-x`, `+x` on a number. */
export function foldUnary(op: UnaryOperator, operand: ArgInput, span: Span): Folded {
  const value = numberOf(operand);
  if (value === undefined) return { ok: false, reason: `\`${op}\` needs a number, not ${what(operand)}` };
  const isFloat = operand.kind === "scalar" && operand.isFloat;
  return { ok: true, arg: scalar(op === "-" ? -value : value, isFloat, span) };
}

/** `a op b` on numbers, strings (`+`) and tuples (`+`, `* n`). */
export function foldBinary(op: BinaryOperator, left: ArgInput, right: ArgInput, span: Span): Folded {
  const a = numberOf(left);
  const b = numberOf(right);
  if (a !== undefined && b !== undefined) {
    const isFloat = (left.kind === "scalar" && left.isFloat) || (right.kind === "scalar" && right.isFloat);
    return foldNumbers(op, a, b, isFloat, span);
  }
  if (op === "+" && left.kind === "scalar" && right.kind === "scalar") {
    if (typeof left.value === "string" && typeof right.value === "string")
      return { ok: true, arg: scalar(left.value + right.value, false, span) };
  }
  if (op === "+" && left.kind === "sequence" && right.kind === "sequence" && left.tuple === right.tuple)
    return {
      ok: true,
      arg: { kind: "sequence", tuple: left.tuple, items: [...left.items, ...right.items], span },
    };
  if (op === "*" && left.kind === "sequence" && b !== undefined) return repeat(left, b, span);
  if (op === "*" && right.kind === "sequence" && a !== undefined) return repeat(right, a, span);
  const blame = a === undefined ? left : right;
  return { ok: false, reason: `\`${op}\` cannot be computed on ${what(blame)}` };
}

function foldNumbers(op: BinaryOperator, a: number, b: number, isFloat: boolean, span: Span): Folded {
  const divides = op === "/" || op === "//" || op === "%";
  if (divides && b === 0) return { ok: false, reason: "division by zero" };
  let value: number;
  let float = isFloat;
  switch (op) {
    case "+":
      value = a + b;
      break;
    case "-":
      value = a - b;
      break;
    case "*":
      value = a * b;
      break;
    case "/":
      value = a / b;
      float = true; // Python 3: true division always gives a float
      break;
    case "//":
      value = Math.floor(a / b);
      break;
    case "%":
      value = a - b * Math.floor(a / b); // Python's modulo takes the divisor's sign
      break;
    case "**":
      value = a ** b;
      float = isFloat || b < 0;
      break;
  }
  if (!Number.isFinite(value) || (!float && !Number.isSafeInteger(value)))
    return { ok: false, reason: "the result is too large" };
  return { ok: true, arg: scalar(value, float, span) };
}

function repeat(sequence: Sequence, times: number, span: Span): Folded {
  if (!Number.isInteger(times) || times < 0 || times * sequence.items.length > 10_000)
    return {
      ok: false,
      reason: `a ${sequence.tuple ? "tuple" : "list"} can only be repeated a small whole number of times`,
    };
  const items: ArgInput[] = [];
  for (let i = 0; i < times; i++) items.push(...sequence.items);
  return { ok: true, arg: { kind: "sequence", tuple: sequence.tuple, items, span } };
}

function what(arg: ArgInput): string {
  // A dim is the likeliest surprise: it looks like a number but has no size until run time.
  return arg.kind === "dim"
    ? `${describeInput(arg)} (its size is unknown at build time)`
    : describeInput(arg);
}
