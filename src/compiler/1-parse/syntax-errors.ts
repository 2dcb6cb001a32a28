// Turns chevrotain's recognition exceptions into KML101 diagnostics that say, in words, what the
// grammar expected at that point and what it found, with a hint for the usual causes.
import { EOF, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { unexpectedToken } from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import { describeExpected, describeFound, foundSpan, joinAlternatives } from "./describe.js";
import { decodeErrorInfo, type SyntaxErrorInfo } from "./error-info.js";
import { isSynthetic } from "./layout.js";
import {
  Equals,
  Identifier,
  keywordTokens,
  LBrace,
  Newline,
  parserTokens,
  RBrace,
  RBracket,
  RParen,
} from "./tokens.js";

const TOKEN_BY_NAME = new Map<string, TokenType>([...parserTokens, EOF].map((t) => [t.name, t]));

const A_DECLARATION = "a declaration (`sequential`, `model`, `block`, `import` or `dim`)";
const A_STATEMENT = "a statement (`name = ...`, a layer, `outputs`, `return` or `dim`)";
const A_VALUE = "a value (a number, a string, a name, `(`, `[` or `lambda`)";

/** Rules that read comma-separated lists up to a closing bracket. */
const LIST_RULES: ReadonlySet<string> = new Set(["callArguments", "parenthesized", "list", "blockDecl"]);

/** What the grammar wanted, by the rule it was in when several tokens would have done. */
const EXPECTED_IN_RULE: Readonly<Record<string, string>> = {
  file: A_DECLARATION,
  item: A_DECLARATION,
  statement: A_STATEMENT,
  expression: A_VALUE,
  operand: A_VALUE,
  argument: A_VALUE,
  expressionList: A_VALUE,
};

/**
 * What was expected, in words. A body or the file ends its line loop when a line does not start with
 * a newline; chevrotain then names the token after the loop (`}` or end of file), but what the user
 * missed is the end of the line, or, when the line has only just begun, a statement or declaration.
 */
function expectedWords(info: SyntaxErrorInfo, previous: IToken | undefined): string {
  const lineJustStarted =
    previous === undefined || previous.tokenType === Newline || previous.tokenType === LBrace;
  const onlyExpected = info.expected.length === 1 ? info.expected[0] : undefined;
  if (info.kind === "mismatch" && (onlyExpected === EOF.name || onlyExpected === RBrace.name)) {
    if (!lineJustStarted) return "end of line";
    return onlyExpected === EOF.name ? A_DECLARATION : `${A_STATEMENT} or \`}\``;
  }
  // A list that stopped early: the missing piece is as likely a comma as the closing bracket.
  if (info.kind === "mismatch" && LIST_RULES.has(info.ruleName)) {
    if (onlyExpected === RParen.name) return "`,` or `)`";
    if (onlyExpected === RBracket.name) return "`,` or `]`";
  }
  if (info.kind !== "mismatch" || info.expected.length === 0) {
    const byRule = EXPECTED_IN_RULE[info.ruleName];
    if (byRule !== undefined) return byRule;
  }
  const words = info.expected.map((name) => {
    const type = TOKEN_BY_NAME.get(name);
    return type === undefined ? name : describeExpected(type);
  });
  return words.length === 0 ? A_DECLARATION : joinAlternatives(words);
}

function hintFor(
  info: SyntaxErrorInfo,
  expected: string,
  found: IToken,
  previous: IToken | undefined,
): string | undefined {
  const expectsName = info.expected.includes(Identifier.name);
  if (keywordTokens.has(found.tokenType) && expectsName) {
    return `\`${found.image}\` is a reserved word in .kml; choose another name`;
  }
  if (found.tokenType === Equals && previous !== undefined && keywordTokens.has(previous.tokenType)) {
    return `\`${previous.image}\` is a reserved word in .kml and cannot be assigned; choose another name`;
  }
  if (expected === "end of line") return "put each statement on its own line";
  if (expected.startsWith("`,` or") && found.tokenType !== Newline) return "separate the items with `,`";
  return undefined;
}

/**
 * One diagnostic per parse error, at most one per token position; `isEcho` silences errors that only
 * repeat an earlier one (after a stray character on the same line, or inside a body whose header failed).
 */
export function syntaxErrorDiagnostics(
  errors: readonly IRecognitionException[],
  tokens: readonly IToken[],
  source: SourceFile,
  lastTokenEnd: number,
  isEcho: (span: Span, atTopLevel: boolean) => boolean,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const error of errors) {
    const found = error.token;
    const { span, words } = locateFound(found, source, lastTokenEnd);
    const info = decodeErrorInfo(error.message);
    if (seen.has(span.start) || isEcho(span, info.ruleName === "file")) continue;
    seen.add(span.start);
    // Not the exception's previousToken: after a resync that is the last skipped token.
    const previous = tokenBefore(tokens, found);
    const expected = expectedWords(info, previous);
    diagnostics.push(unexpectedToken(span, expected, words, hintFor(info, expected, found, previous)));
  }
  return diagnostics;
}

/** The span and words for a found token; made-up tokens are described by the text where they stand. */
function locateFound(found: IToken, source: SourceFile, lastTokenEnd: number): { span: Span; words: string } {
  const offset = found.startOffset;
  if (found.tokenType === EOF || Number.isNaN(offset) || offset >= lastTokenEnd) {
    return { span: source.span(lastTokenEnd, lastTokenEnd), words: "end of file" };
  }
  if (!isSynthetic(found)) return { span: foundSpan(found, source), words: describeFound(found) };
  // A made-up newline stands right before a `}` or a declaration keyword: describe that.
  const word = /^(?:[A-Za-z_][A-Za-z0-9_]*|\S)/.exec(source.text.slice(offset, offset + 40))?.[0] ?? "";
  const words =
    word === ""
      ? "end of line"
      : keywordTokens.size > 0 && /^[a-z]/i.test(word)
        ? `\`${word}\``
        : `\`${word}\``;
  return { span: source.span(offset, offset + word.length), words };
}

/** The token the parser saw just before `token` (found by offset, then identity: made-up tokens share offsets). */
function tokenBefore(tokens: readonly IToken[], token: IToken): IToken | undefined {
  if (Number.isNaN(token.startOffset)) return undefined;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < token.startOffset) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < tokens.length && tokens[i]!.startOffset <= token.startOffset; i++) {
    if (tokens[i] === token) return tokens[i - 1];
  }
  return tokens[lo - 1];
}

/**
 * Which parse errors only repeat an earlier problem: one after a stray character, an unmatched bracket,
 * an unterminated string or an over-deep expression on the same line (a missing bracket is reported at
 * its line's end, so it is no such cause); and a top-level error inside `{ ... }`, which means the
 * declaration's header failed (already reported) and its body is being read line by line as items.
 */
export function echoFilter(
  earlier: readonly Diagnostic[],
  bodyRanges: ReadonlyArray<readonly [number, number]>,
  source: SourceFile,
): (span: Span, atTopLevel: boolean) => boolean {
  const firstProblemOnLine = new Map<number, number>();
  for (const d of earlier) {
    if (d.code === "KML102") continue;
    const line = source.position(d.span.start).line;
    if (!firstProblemOnLine.has(line)) firstProblemOnLine.set(line, d.span.start);
  }
  const afterEarlierProblem = (span: Span) => {
    if (firstProblemOnLine.size === 0) return false;
    const offset = firstProblemOnLine.get(source.position(span.start).line);
    return offset !== undefined && offset <= span.start;
  };
  const insideBody = (span: Span) =>
    bodyRanges.some(([open, close]) => open < span.start && span.start <= close);
  return (span, atTopLevel) => afterEarlierProblem(span) || (atTopLevel && insideBody(span));
}
