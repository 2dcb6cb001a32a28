// The .kml front end: lex → layout → parse (CST) → AST, collecting every syntax diagnostic on the way.
import type { CstNode } from "chevrotain";
import { internalParserError, invalidCharacter } from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source.js";
import type { KmlFile } from "./ast.js";
import { CstToAst } from "./cst-to-ast.js";
import { endOfCode, layoutTokens } from "./layout.js";
import { kmlParser } from "./parser.js";
import { echoFilter, syntaxErrorDiagnostics } from "./syntax-errors.js";
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

  // The AST's own diagnostics are kept apart until the parse errors are in: the echo filter reads only
  // the lexer's and layout's, and the AST's come after the parse errors, as when the AST was built last.
  const astDiagnostics: Diagnostic[] = [];
  const comments = new CommentCursor(lexed.groups.comments ?? [], source);
  const toAst = new CstToAst(source, comments, astDiagnostics);
  kmlParser.input = tokens;
  kmlParser.onStatement = (statement) => toAst.statementParsed(statement);
  let cst: CstNode;
  try {
    cst = kmlParser.file();
  } finally {
    kmlParser.onStatement = undefined;
  }
  const errors = kmlParser.errors;
  kmlParser.input = []; // the shared parser should not keep this file's tokens alive
  const lastTokenEnd = endOfCode(lexed.tokens);
  const echoes = echoFilter(diagnostics, bodyRanges, source);
  diagnostics.push(...syntaxErrorDiagnostics(errors, tokens, source, lastTokenEnd, echoes));

  const file = toAst.visit(cst) as KmlFile;
  diagnostics.push(...astDiagnostics);
  return { file, diagnostics: sortDiagnostics(diagnostics) };
}
