// Diagnostics about Lambda's tensor functions (KML601–KML649): a `lambda` or a block passed as Lambda's
// `function`, lowered to the tensor-expression IR. Spans point inside the function's source.
import type { Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const UNKNOWN_FUNCTION = defineKind("KML601", "error", "unknown function in a tensor expression");
const WRONG_ARGUMENT_COUNT = defineKind(
  "KML602",
  "error",
  "tensor function called with a wrong argument count",
);
const UNKNOWN_KEYWORD = defineKind("KML603", "error", "unknown keyword of a tensor function");
const KEYWORD_GIVEN_TWICE = defineKind("KML604", "error", "tensor function argument given twice");
const NAME_NOT_VISIBLE = defineKind("KML605", "error", "name not visible in a tensor function");
const NOT_CONSTANT = defineKind("KML606", "error", "tensor where a constant is required");
const INVALID_CONSTANT = defineKind("KML607", "error", "invalid constant in a tensor expression");
const NOT_A_TENSOR = defineKind("KML608", "error", "value that is not a tensor in a tensor expression");
const STATEMENT_NOT_ALLOWED = defineKind("KML609", "error", "statement not allowed in a tensor function");
const EXPRESSION_NOT_ALLOWED = defineKind("KML610", "error", "expression not allowed in a tensor function");
const WITHOUT_RETURN = defineKind("KML611", "error", "tensor function without `return`");
const INVALID_PARAMETERS = defineKind("KML612", "error", "invalid tensor function parameters");
const CONSTANT_RESULT = defineKind("KML613", "error", "tensor function whose result ignores its inputs");
const UNUSED_PARAMETER = defineKind("KML614", "warning", "tensor function parameter never used");

/** `mean(x, axis=1)` spelled `avg(x)`. Span: the callee's name. */
export function unknownTensorFunction(
  span: Span,
  name: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  const hint =
    suggestion !== undefined
      ? `did you mean \`${suggestion}\`?`
      : `a Lambda's function may call ${known.map((k) => `\`${k}\``).join(", ")}`;
  return makeDiagnostic(UNKNOWN_FUNCTION, span, `unknown function \`${name}\` in a tensor expression`, {
    hint,
  });
}

/**
 * `clip(x)`, `relu(x, 0.1, 6, 7)`: too few or too many arguments for the signature. Span: the call, or the
 * extra arguments.
 */
export function wrongTensorArgumentCount(
  span: Span,
  name: string,
  signature: string,
  problem: string,
): Diagnostic {
  return makeDiagnostic(WRONG_ARGUMENT_COUNT, span, `\`${name}\` ${problem}`, {
    hint: `its signature is \`${signature}\``,
  });
}

/** `mean(x, axes=1)`. Span: the keyword's name. */
export function unknownTensorKeyword(
  span: Span,
  name: string,
  keyword: string,
  suggestion: string | undefined,
  signature: string,
): Diagnostic {
  return makeDiagnostic(UNKNOWN_KEYWORD, span, `\`${name}\` has no argument \`${keyword}\``, {
    hint: suggestion !== undefined ? `did you mean \`${suggestion}\`?` : `its signature is \`${signature}\``,
  });
}

/** `mean(x, 1, axis=1)`. Span: the second occurrence; related: the first. */
export function tensorArgumentGivenTwice(span: Span, name: string, param: string, first: Span): Diagnostic {
  return makeDiagnostic(KEYWORD_GIVEN_TWICE, span, `\`${param}\` of \`${name}\` is given twice`, {
    hint: "keep one of them",
    related: [{ span: first, message: `\`${param}\` is first given here` }],
  });
}

/**
 * A name the function cannot read: undefined, read before its assignment, or something of the enclosing
 * model that is not a number (a tensor, a layer, a symbolic dim). `why` completes "`y` …". Span: the name.
 */
export function nameNotInTensorFunction(span: Span, name: string, why: string, hint?: string): Diagnostic {
  return makeDiagnostic(NAME_NOT_VISIBLE, span, `\`${name}\` ${why}`, hint === undefined ? {} : { hint });
}

/** `mean(x, axis=x)`: an argument that must be known at build time is a tensor. Span: the argument. */
export function tensorWhereConstantRequired(
  span: Span,
  name: string,
  param: string,
  expected: string,
): Diagnostic {
  return makeDiagnostic(
    NOT_CONSTANT,
    span,
    `\`${param}\` of \`${name}\` must be a constant (${expected}), not a tensor`,
    { hint: "shapes are inferred at build time, so axes and options are written as literals" },
  );
}

/** `mean(x, axis="1")`, `mean(x, axis=(1, 1))`, `1 / 0`. Span: the constant. */
export function invalidTensorConstant(span: Span, message: string, hint?: string): Diagnostic {
  return makeDiagnostic(INVALID_CONSTANT, span, message, hint === undefined ? {} : { hint });
}

/**
 * `x + "a"`, `relu([a, b])`, `concatenate(x)`: a value where a tensor (or a list of tensors) belongs.
 * `where` names the position ("the right operand of `+`"). Span: the value.
 */
export function notATensorOperand(
  span: Span,
  where: string,
  expected: string,
  got: string,
  hint?: string,
): Diagnostic {
  return makeDiagnostic(
    NOT_A_TENSOR,
    span,
    `${where} must be ${expected}, not ${got}`,
    hint === undefined ? {} : { hint },
  );
}

/** `outputs y`, `dim T`, a bare expression, `a, b = ...` or a statement after `return`. Span: the statement. */
export function statementNotInTensorFunction(span: Span, what: string, hint: string): Diagnostic {
  return makeDiagnostic(STATEMENT_NOT_ALLOWED, span, `${what} is not allowed in a tensor function`, { hint });
}

/** A nested `lambda`, or a call of a call: outside the expression language. Span: the expression. */
export function expressionNotInTensorFunction(span: Span, what: string, hint: string): Diagnostic {
  return makeDiagnostic(EXPRESSION_NOT_ALLOWED, span, `${what} is not allowed in a tensor expression`, {
    hint,
  });
}

/** A block passed as Lambda's function that never returns. Span: the block's name. */
export function tensorFunctionWithoutReturn(span: Span, block: string): Diagnostic {
  return makeDiagnostic(
    WITHOUT_RETURN,
    span,
    `block \`${block}\` is used as a function but has no \`return\``,
    {
      hint: "end it with `return y`",
    },
  );
}

/** `lambda: 1` or `block f(x, k=2)` used as a function: parameters are the input tensors. Span: the parameter(s). */
export function invalidTensorFunctionParameters(span: Span, message: string, hint: string): Diagnostic {
  return makeDiagnostic(INVALID_PARAMETERS, span, message, { hint });
}

/** `lambda x: 2.0`: the result does not depend on any input. Span: the returned expression. */
export function constantTensorFunctionResult(span: Span): Diagnostic {
  return makeDiagnostic(CONSTANT_RESULT, span, "the function's result does not depend on its inputs", {
    hint: "a Lambda computes its output from its input tensors, e.g. `lambda x: x * 2.0`",
  });
}

/** `lambda a, b: a * 2` applied to two tensors: `b` is never read. Span: the parameter. */
export function unusedTensorFunctionParameter(span: Span, name: string): Diagnostic {
  return makeDiagnostic(UNUSED_PARAMETER, span, `parameter \`${name}\` is never used`, {
    hint: "each parameter takes one input tensor; remove it and that input, or use it",
  });
}
