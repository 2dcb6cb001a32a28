// Turns chevrotain's recognition exceptions into KML101 diagnostics that say, in words, what the
// grammar expected at that point and what it found, with a hint for the usual causes.
import { EOF, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { unexpectedToken } from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import { describeExpected, describeFound, joinAlternatives } from "./describe.js";
import { decodeErrorInfo, type SyntaxErrorInfo } from "./error-info.js";
import { isSynthetic } from "./layout.js";
import { Equals, Identifier, keywordTokens, Newline, parserTokens } from "./tokens.js";

const TOKEN_BY_NAME = new Map<string, TokenType>([...parserTokens, EOF].map((t) => [t.name, t]));

const A_DECLARATION = "a declaration (`sequential`, `model`, `block`, `import` or `dim`)";
const A_STATEMENT = "a statement (`name = ...`, a layer, `outputs`, `return` or `dim`)";
const A_VALUE = "a value (a number, a string, a name, `(`, `[` or `lambda`)";

/** What the grammar wanted, by the rule it was in when several tokens would have done. */
const EXPECTED_IN_RULE: Readonly<Record<string, string>> = {
  file: A_DECLARATION,
  item: A_DECLARATION,
  statement: A_STATEMENT,
  expression: A_VALUE,
  unaryExpression: A_VALUE,
  atom: A_VALUE,
  argument: A_VALUE,
  expressionList: A_VALUE,
};

function expectedWords(info: SyntaxErrorInfo): string {
  // A mismatch at the top level means the top-level loop wanted another declaration.
  if (info.expected.length === 1 && info.expected[0] === EOF.name) return A_DECLARATION;
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

function hintFor(info: SyntaxErrorInfo, found: IToken, previous: IToken | undefined): string | undefined {
  const expectsName = info.expected.includes(Identifier.name);
  if (keywordTokens.has(found.tokenType) && expectsName) {
    return `\`${found.image}\` is a reserved word in .kml; choose another name`;
  }
  if (found.tokenType === Equals && previous !== undefined && keywordTokens.has(previous.tokenType)) {
    return `\`${previous.image}\` is a reserved word in .kml and cannot be assigned; choose another name`;
  }
  if (info.expected.length === 1 && info.expected[0] === Newline.name) {
    return "put each statement on its own line";
  }
  return undefined;
}

/**
 * One diagnostic per parse error, at most one per token position; `isQuiet(span)` silences errors that
 * follow a lexical error on the same line (they are its echo).
 */
export function syntaxErrorDiagnostics(
  errors: readonly IRecognitionException[],
  source: SourceFile,
  lastTokenEnd: number,
  isQuiet: (span: Span) => boolean,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const error of errors) {
    const found = error.token;
    const { span, words } = locateFound(found, source, lastTokenEnd);
    if (seen.has(span.start) || isQuiet(span)) continue;
    seen.add(span.start);
    const info = decodeErrorInfo(error.message);
    const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
    diagnostics.push(unexpectedToken(span, expectedWords(info), words, hintFor(info, found, previous)));
  }
  return diagnostics;
}

/** The span and words for a found token; made-up tokens are described by the text where they stand. */
function locateFound(found: IToken, source: SourceFile, lastTokenEnd: number): { span: Span; words: string } {
  const offset = found.startOffset;
  if (found.tokenType === EOF || Number.isNaN(offset) || offset >= lastTokenEnd) {
    return { span: source.span(lastTokenEnd, lastTokenEnd), words: "end of file" };
  }
  if (!isSynthetic(found)) {
    return { span: source.span(offset, offset + found.image.length), words: describeFound(found) };
  }
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
