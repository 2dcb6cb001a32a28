// JSON syntax: jsonc-parser's tree in strict JSON mode, its errors turned into KML501/KML502, and a
// nesting limit checked first with the (iterative) scanner, because the tree parser recurses per level.
import {
  createScanner,
  type Node,
  type ParseError,
  ParseErrorCode,
  parseTree,
  SyntaxKind,
} from "jsonc-parser";
import { invalidJson, jsonComment, nestingTooDeep } from "../../diagnostics/catalogue/json.js";
import type { JsonReadContext } from "./context.js";

/** Deeper than any model needs, far below the depth at which jsonc-parser exhausts the stack (~10,000). */
export const MAX_JSON_DEPTH = 256;

const PROBLEMS: Readonly<Record<number, string>> = {
  [ParseErrorCode.InvalidSymbol]: "unexpected character",
  [ParseErrorCode.InvalidNumberFormat]: "malformed number",
  [ParseErrorCode.PropertyNameExpected]: "expected a property name in double quotes",
  [ParseErrorCode.ValueExpected]: "expected a value",
  [ParseErrorCode.ColonExpected]: "expected ':'",
  [ParseErrorCode.CommaExpected]: "expected ','",
  [ParseErrorCode.CloseBraceExpected]: "expected '}'",
  [ParseErrorCode.CloseBracketExpected]: "expected ']'",
  [ParseErrorCode.EndOfFileExpected]: "unexpected text after the end of the document",
  [ParseErrorCode.UnexpectedEndOfComment]: "unterminated comment",
  [ParseErrorCode.UnexpectedEndOfString]: "unterminated string",
  [ParseErrorCode.UnexpectedEndOfNumber]: "incomplete number",
  [ParseErrorCode.InvalidUnicode]: "invalid \\u escape",
  [ParseErrorCode.InvalidEscapeCharacter]: "invalid escape sequence",
  [ParseErrorCode.InvalidCharacter]: "control character inside a string",
};

/**
 * Parses the text as strict JSON (no comments, no trailing commas). Returns the tree, or undefined when
 * the text has syntax errors (all reported): a tree guessed around an error would only add false alarms.
 */
export function parseJsonSyntax(ctx: JsonReadContext): Node | undefined {
  const text = ctx.source.text;
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    ctx.report(nestingTooDeep(ctx.source.span(tooDeep, tooDeep + 1), MAX_JSON_DEPTH));
    return undefined;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  // jsonc-parser often reports one mistake several times at the same place (`01`, a truncated file);
  // only an error that starts after the previous one ends is a new problem.
  let reportedEnd = -1;
  for (const error of errors) {
    if (error.offset <= reportedEnd) continue;
    reportSyntaxError(ctx, error);
    reportedEnd = error.offset + error.length;
  }
  return errors.length === 0 ? root : undefined;
}

function reportSyntaxError(ctx: JsonReadContext, error: ParseError): void {
  const text = ctx.source.text;
  // jsonc-parser can place an error past the end of the text (an unterminated `/*`); keep spans inside the file.
  const start = Math.min(error.offset, text.length);
  const span = ctx.source.span(start, Math.min(error.offset + error.length, text.length));
  const trailingComma = findTrailingComma(text, error);
  if (error.error === ParseErrorCode.InvalidCommentToken) {
    ctx.report(jsonComment(span));
  } else if (trailingComma !== undefined) {
    const commaSpan = ctx.source.span(trailingComma, trailingComma + 1);
    ctx.report(invalidJson(commaSpan, "a comma after the last element", "remove the comma"));
  } else {
    ctx.report(invalidJson(span, PROBLEMS[error.error] ?? "unexpected text"));
  }
}

/** The offset of a `,` directly before a `]` or `}` that jsonc-parser complained about, if that is the error. */
function findTrailingComma(text: string, error: ParseError): number | undefined {
  const expectsMore =
    error.error === ParseErrorCode.ValueExpected || error.error === ParseErrorCode.PropertyNameExpected;
  const closer = text[error.offset];
  if (!expectsMore || (closer !== "]" && closer !== "}")) return undefined;
  let i = error.offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === "," ? i : undefined;
}

/** The offset of the first bracket that opens a level deeper than MAX_JSON_DEPTH, if any. */
function findExcessiveNesting(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      depth++;
      if (depth > MAX_JSON_DEPTH) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
  return undefined;
}
