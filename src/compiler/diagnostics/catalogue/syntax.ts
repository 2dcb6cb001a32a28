// Syntax diagnostics of the .kml parser (KML101–KML199): what was expected, what was found, in plain words.
import type { Position, Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const UNEXPECTED_TOKEN = defineKind("KML101", "error", "unexpected token");
const MISSING_CLOSING_BRACKET = defineKind("KML102", "error", "missing closing bracket");
const UNMATCHED_CLOSING_BRACKET = defineKind("KML103", "error", "closing bracket without an opening one");
const UNTERMINATED_STRING = defineKind("KML104", "error", "unterminated string");
const INVALID_CHARACTER = defineKind("KML105", "error", "invalid character");
const UNKNOWN_ESCAPE = defineKind("KML106", "warning", "unknown escape sequence in a string");
const NUMBER_OUT_OF_RANGE = defineKind("KML107", "error", "number out of range");
const POSITIONAL_AFTER_KEYWORD = defineKind("KML108", "error", "positional argument after keyword argument");
const DUPLICATE_KEYWORD_ARGUMENT = defineKind("KML109", "error", "keyword argument given twice");
const POSITIONAL_HEADER_ARGUMENT = defineKind(
  "KML110",
  "error",
  "positional argument in a sequential header",
);
const NON_DEFAULT_AFTER_DEFAULT = defineKind(
  "KML111",
  "error",
  "parameter without default after one with a default",
);
const DUPLICATE_PARAMETER = defineKind("KML112", "error", "parameter name used twice");
const NESTED_TOO_DEEPLY = defineKind("KML113", "error", "expression nested too deeply");

function at(position: Position): string {
  return `${position.line}:${position.column}`;
}

/**
 * The parser expected one thing and found another. `expected` and `found` are already in words
 * ("a value", "end of line", "the name `x`"); `hint` explains a likely cause when one is known.
 */
export function unexpectedToken(span: Span, expected: string, found: string, hint?: string): Diagnostic {
  return makeDiagnostic(UNEXPECTED_TOKEN, span, `expected ${expected}, found ${found}`, hint ? { hint } : {});
}

/**
 * An opening bracket whose closing partner never came: `closer` is the missing one, `what` names the
 * construct ("call", "tuple", "list", "body of `model m`"), and the opener is shown as a related location.
 */
export function missingClosingBracket(
  span: Span,
  closer: string,
  what: string,
  openerSpan: Span,
  openedAt: Position,
  found: string,
): Diagnostic {
  return makeDiagnostic(
    MISSING_CLOSING_BRACKET,
    span,
    `expected \`${closer}\` to close the ${what} opened at ${at(openedAt)}, found ${found}`,
    {
      hint: `add \`${closer}\``,
      related: [{ span: openerSpan, message: `the ${what} opened here` }],
    },
  );
}

/** A `)`, `]` or `}` that closes nothing. */
export function unmatchedClosingBracket(span: Span, closer: string, opener: string): Diagnostic {
  return makeDiagnostic(
    UNMATCHED_CLOSING_BRACKET,
    span,
    `this \`${closer}\` closes nothing: there is no open \`${opener}\` before it`,
    { hint: `remove it, or add the missing \`${opener}\`` },
  );
}

/** A string whose closing quote is missing before the end of its line. */
export function unterminatedString(span: Span, quote: string): Diagnostic {
  return makeDiagnostic(
    UNTERMINATED_STRING,
    span,
    `this string has no closing \`${quote}\` before the end of the line`,
    {
      hint: `add \`${quote}\` where the string ends; a string cannot continue on the next line`,
    },
  );
}

const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  ";": "statements end at the end of a line; .kml needs no `;`",
  ".": "values have no attributes in .kml: write the layer's arguments in its call",
  "\\": "a line cannot be continued with `\\`: break the line inside `(...)` or `[...]` instead",
  "{": "`{` only opens the body of a `sequential`, `model` or `block`",
  "}": "`}` only closes the body of a `sequential`, `model` or `block`",
};

/** Characters that are not part of the language, e.g. `$` or `;`. `text` is the run of such characters. */
export function invalidCharacter(span: Span, text: string): Diagnostic {
  const printable = JSON.stringify(text).slice(1, -1);
  const hint = CHARACTER_HINTS[text[0] ?? ""];
  return makeDiagnostic(
    INVALID_CHARACTER,
    span,
    `\`${printable}\` is not part of the .kml language`,
    hint ? { hint } : {},
  );
}

/** `\q` in a string: kept as written (backslash included), as Python does, but probably a typo. */
export function unknownEscape(span: Span, sequence: string): Diagnostic {
  return makeDiagnostic(
    UNKNOWN_ESCAPE,
    span,
    `unknown escape sequence \`${sequence}\`; it is kept as written`,
    {
      hint: "write `\\\\` for a backslash; known escapes are \\n \\t \\r \\0 \\\\ \\' \\\" \\xHH \\uHHHH",
    },
  );
}

/** An integer above 2^53 (not exactly representable) or a float that overflows to infinity. */
export function numberOutOfRange(span: Span, image: string, isFloat: boolean): Diagnostic {
  const message = isFloat
    ? `the number ${image} is too large: it overflows to infinity`
    : `the integer ${image} is too large: integers must be at most 2^53 = 9007199254740992`;
  return makeDiagnostic(NUMBER_OUT_OF_RANGE, span, message);
}

/** `Dense(units=3, 4)`: Python's rule, and kerasc's, is positional arguments first. */
export function positionalAfterKeyword(span: Span, keywordSpan: Span, keyword: string): Diagnostic {
  return makeDiagnostic(
    POSITIONAL_AFTER_KEYWORD,
    span,
    `a positional argument cannot follow the keyword argument \`${keyword}=\``,
    {
      hint: "put positional arguments first, or give this one its name too",
      related: [{ span: keywordSpan, message: `\`${keyword}=\` is given here` }],
    },
  );
}

/** `Dense(units=3, units=4)`: the same keyword twice in one call. */
export function duplicateKeywordArgument(span: Span, name: string, firstSpan: Span): Diagnostic {
  return makeDiagnostic(DUPLICATE_KEYWORD_ARGUMENT, span, `the keyword argument \`${name}\` is given twice`, {
    hint: "remove one of them",
    related: [{ span: firstSpan, message: `\`${name}\` is first given here` }],
  });
}

/** `sequential m(784) {`: a header argument must be named, e.g. `input_shape=(784,)`. */
export function positionalHeaderArgument(span: Span, modelName: string): Diagnostic {
  return makeDiagnostic(
    POSITIONAL_HEADER_ARGUMENT,
    span,
    `the header of \`sequential ${modelName}\` takes only keyword arguments`,
    { hint: "name the argument, e.g. `input_shape=(784,)` or `batch_size=32`" },
  );
}

/** `block b(x, k=3, f)`: a parameter without a default cannot follow one that has a default. */
export function nonDefaultParameterAfterDefault(span: Span, name: string, defaultedName: string): Diagnostic {
  return makeDiagnostic(
    NON_DEFAULT_AFTER_DEFAULT,
    span,
    `the parameter \`${name}\` has no default value but follows \`${defaultedName}\`, which has one`,
    { hint: "put parameters with default values last, or give this one a default" },
  );
}

/** `block b(x, x)` or `lambda t, t: ...`: each parameter name must be unique. */
export function duplicateParameter(span: Span, name: string, firstSpan: Span): Diagnostic {
  return makeDiagnostic(DUPLICATE_PARAMETER, span, `the parameter \`${name}\` is declared twice`, {
    hint: "rename one of them",
    related: [{ span: firstSpan, message: `\`${name}\` is first declared here` }],
  });
}

/** Brackets, `**` or `lambda` nested beyond `limit` levels on one line (the rest of the line is not read). */
export function nestedTooDeeply(span: Span, limit: number): Diagnostic {
  return makeDiagnostic(NESTED_TOO_DEEPLY, span, `this expression is nested more than ${limit} levels deep`, {
    hint: "split it into several statements with names for the parts",
  });
}

const INTERNAL_PARSER_ERROR = defineKind("KML199", "error", "internal parser error");

/** A bug in kerasc's parser, caught so that a bad file never produces a stack trace. Please report it. */
export function internalParserError(span: Span, detail: string): Diagnostic {
  return makeDiagnostic(INTERNAL_PARSER_ERROR, span, `kerasc's parser failed on this file: ${detail}`, {
    hint: "this is a bug in kerasc, not in your model; please report it with the file",
  });
}
