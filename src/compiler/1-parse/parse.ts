// The .kml front end: lex → layout → parse (CST) → AST, collecting every syntax diagnostic on the way.
import { internalParserError, invalidCharacter } from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import type { KmlFile } from "./ast.js";
import { CstToAst } from "./cst-to-ast.js";
import { endOfCode, layoutTokens } from "./layout.js";
import { kmlParser } from "./parser.js";
import { syntaxErrorDiagnostics } from "./syntax-errors.js";
import { kmlLexer } from "./tokens.js";
import { CommentCursor } from "./trivia.js";

/**
 * Parses .kml text. Never throws: it always returns an AST (partial where the text is broken: a
 * statement that cannot be understood is left out) and every syntax problem as a diagnostic.
 */
export function parseKml(source: SourceFile): { file: KmlFile; diagnostics: Diagnostic[] } {
  try {
    return parseOrThrow(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const file: KmlFile = {
      kind: "file",
      path: source.path,
      items: [],
      closingComments: [],
      span: source.span(0, source.text.length),
    };
    return { file, diagnostics: [internalParserError(source.span(0, 0), detail)] };
  }
}

function parseOrThrow(source: SourceFile): { file: KmlFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lexed = kmlLexer.tokenize(source.text);

  for (const error of lexed.errors) {
    const span = source.span(error.offset, error.offset + error.length);
    diagnostics.push(invalidCharacter(span, source.text.slice(span.start, span.end)));
  }
  const { tokens, bodyRanges } = layoutTokens(lexed.tokens, source, diagnostics);

  // A parse error after a stray character, an unmatched bracket, an unterminated string or an over-deep
  // expression on the same line is usually its echo. (A missing bracket is reported where its line ends.)
  const earlyErrorOnLine = new Map<number, number>();
  for (const d of diagnostics) {
    if (d.code === "KML102") continue;
    const line = source.position(d.span.start).line;
    if (!earlyErrorOnLine.has(line)) earlyErrorOnLine.set(line, d.span.start);
  }
  const afterEarlyError = (span: Span) => {
    if (earlyErrorOnLine.size === 0) return false;
    const offset = earlyErrorOnLine.get(source.position(span.start).line);
    return offset !== undefined && offset <= span.start;
  };

  kmlParser.input = tokens;
  const cst = kmlParser.file();
  const lastTokenEnd = endOfCode(lexed.tokens);
  // A top-level error inside `{ ... }` means the declaration's header failed (already reported) and
  // its body is being read as top-level lines: one error per line would only repeat the first.
  const insideBody = (span: Span) =>
    bodyRanges.some(([open, close]) => open < span.start && span.start <= close);
  const echoes = (span: Span, atTopLevel: boolean) =>
    afterEarlyError(span) || (atTopLevel && insideBody(span));
  diagnostics.push(...syntaxErrorDiagnostics(kmlParser.errors, tokens, source, lastTokenEnd, echoes));

  const comments = new CommentCursor(lexed.groups.comments ?? [], source);
  const file = new CstToAst(source, comments, diagnostics).visit(cst) as KmlFile;
  return { file, diagnostics: sortDiagnostics(diagnostics) };
}
