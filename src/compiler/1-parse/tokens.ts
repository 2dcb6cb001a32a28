// The .kml lexer: chevrotain token types, one lexer instance, and the token sets the layout pass and the
// error messages need. Comments go to their own group (they become Trivia, not grammar).
import { createToken, Lexer, type TokenType } from "chevrotain";

/** Spaces, tabs and carriage returns separate tokens; newlines are tokens (they end statements). */
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\f]+/, group: Lexer.SKIPPED });
/** `# ...` up to the end of the line; kept in the "comments" group for Trivia. */
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: "comments" });
export const Newline = createToken({
  name: "Newline",
  pattern: /\n/,
  line_breaks: true,
  label: "end of line",
});

/** A complete string in either quote style; escapes are decoded by literals.ts. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'/,
  label: "a string",
});
/** A string that reaches the end of its line; reported and then treated as a string so parsing goes on. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n]|\\[^\n])*\\?|'(?:[^'\\\n]|\\[^\n])*\\?/,
  label: "an unterminated string",
});
// Floats before ints so `1.5` is not `1` then `.5`; `1.`, `.5`, `1e-3` are floats as in Python.
export const FloatLiteral = createToken({
  name: "FloatLiteral",
  pattern: /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+/,
  label: "a number",
});
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /\d+/, label: "a number" });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
});

function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `\`${word}\`` });
}

export const Sequential = keyword("Sequential", "sequential");
export const Model = keyword("Model", "model");
export const Block = keyword("Block", "block");
export const Import = keyword("Import", "import");
export const Dim = keyword("Dim", "dim");
export const Outputs = keyword("Outputs", "outputs");
export const Return = keyword("Return", "return");
export const Lambda = keyword("Lambda", "lambda");
export const True = keyword("True", "True");
export const False = keyword("False", "False");
export const None = keyword("None", "None");

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[()[\]{}*+/]/g, "\\$&");
  return createToken({ name, pattern: new RegExp(escaped), label: `\`${text}\``, categories });
}

// Token categories: binary operators stay in source order in one CST list (`a - b * c`), and the
// visitor applies precedence; `+` and `-` are also signs.
export const BinaryOperator = createToken({
  name: "BinaryOperator",
  pattern: Lexer.NA,
  label: "an operator (`+`, `-`, `*`, `/`, `//` or `%`)",
});
export const Sign = createToken({ name: "Sign", pattern: Lexer.NA, label: "`+` or `-`" });

export const LParen = punctuation("LParen", "(");
export const RParen = punctuation("RParen", ")");
export const LBracket = punctuation("LBracket", "[");
export const RBracket = punctuation("RBracket", "]");
export const LBrace = punctuation("LBrace", "{");
export const RBrace = punctuation("RBrace", "}");
export const Comma = punctuation("Comma", ",");
export const Equals = punctuation("Equals", "=");
export const Colon = punctuation("Colon", ":");
export const Plus = punctuation("Plus", "+", [BinaryOperator, Sign]);
export const Minus = punctuation("Minus", "-", [BinaryOperator, Sign]);
export const StarStar = punctuation("StarStar", "**");
export const Star = punctuation("Star", "*", [BinaryOperator]);
export const SlashSlash = punctuation("SlashSlash", "//", [BinaryOperator]);
export const Slash = punctuation("Slash", "/", [BinaryOperator]);
export const Percent = punctuation("Percent", "%", [BinaryOperator]);

/** Every token the lexer knows. Order matters: longer patterns and keywords before the tokens they prefix. */
export const lexerTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  StringLiteral,
  UnterminatedString,
  FloatLiteral,
  IntLiteral,
  Sequential,
  Model,
  Block,
  Import,
  Dim,
  Outputs,
  Return,
  Lambda,
  True,
  False,
  None,
  Identifier,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Equals,
  Colon,
  Plus,
  Minus,
  StarStar,
  Star,
  SlashSlash,
  Slash,
  Percent,
];

/** The vocabulary the parser sees (lexer-only token types are replaced or dropped by the layout pass). */
export const parserTokens: TokenType[] = [
  ...lexerTokens.filter((t) => t !== WhiteSpace && t !== Comment && t !== UnterminatedString),
  BinaryOperator,
  Sign,
];

/**
 * The one lexer. Offsets only: line/column come from SourceFile, which saves work per token. Characters no
 * token matches become lexer errors (one per run of such characters), which parse.ts reports.
 */
export const kmlLexer = new Lexer(lexerTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
  // The token set is fixed, so its validation (costly at startup) runs once in test/parse/tokens.test.ts instead.
  skipValidations: true,
});

/** Keywords, for "`outputs` is a reserved word" hints. */
export const keywordTokens: ReadonlySet<TokenType> = new Set([
  Sequential,
  Model,
  Block,
  Import,
  Dim,
  Outputs,
  Return,
  Lambda,
  True,
  False,
  None,
]);
