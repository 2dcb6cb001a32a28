// The layout pass between lexer and parser, like Python's tokenizer: newlines inside brackets vanish,
// runs of newlines become one, and bracket mistakes are repaired here (reported once, with the opener),
// so the grammar stays simple and one missing `)` never swallows the rest of the file.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import {
  missingClosingBracket,
  nestedTooDeeply,
  unmatchedClosingBracket,
  unterminatedString,
} from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile, Span } from "../source.js";
import { describeFound, foundSpan } from "./describe.js";
import {
  Block,
  Colon,
  Comma,
  Dim,
  Equals,
  Identifier,
  Import,
  Lambda,
  LBrace,
  LBracket,
  LParen,
  Minus,
  Model,
  Newline,
  Outputs,
  Percent,
  Plus,
  RBrace,
  RBracket,
  Return,
  RParen,
  Sequential,
  Slash,
  SlashSlash,
  Star,
  StarStar,
  StringLiteral,
  UnterminatedString,
} from "./tokens.js";

/** Tokens after which an expression must go on, so a newline there is a line continuation. */
const CONTINUES_AFTER: ReadonlySet<TokenType> = new Set([
  LParen,
  LBracket,
  Comma,
  Equals,
  Colon,
  Plus,
  Minus,
  Star,
  StarStar,
  Slash,
  SlashSlash,
  Percent,
  Lambda,
]);

/** Tokens that can only continue an expression, so a newline before them is a line continuation. */
const CONTINUES_BEFORE: ReadonlySet<TokenType> = new Set([
  RParen,
  RBracket,
  Comma,
  Equals,
  Colon,
  Plus,
  Minus,
  Star,
  StarStar,
  Slash,
  SlashSlash,
  Percent,
  LParen,
  LBracket,
]);

/** Keywords that start a top-level declaration: seen at a line start inside a body, a `}` is missing. */
const DECLARATION_KEYWORDS: ReadonlySet<TokenType> = new Set([Sequential, Model, Block, Import]);

/** Keywords that start a body statement: never inside an expression. */
const STATEMENT_KEYWORDS: ReadonlySet<TokenType> = new Set([
  Sequential,
  Model,
  Block,
  Import,
  Dim,
  Outputs,
  Return,
]);

/** Brackets, `**` and `lambda` nested deeper than this on one line are reported (KML113), not parsed. */
const MAX_NESTING = 100;

const CLOSER_OF: ReadonlyMap<TokenType, TokenType> = new Map([
  [LParen, RParen],
  [LBracket, RBracket],
  [LBrace, RBrace],
]);

/** An open `{` and the declaration it belongs to, for "the body of `model m`". */
interface OpenBody {
  readonly brace: IToken;
  readonly owner: string;
}

/** True for tokens the layout pass made up (a closing bracket or newline the user did not write). */
export function isSynthetic(token: IToken): boolean {
  return token.image === "";
}

function synthetic(type: TokenType, offset: number): IToken {
  return createTokenInstance(type, "", offset, offset - 1, Number.NaN, Number.NaN, Number.NaN, Number.NaN);
}

/** The parser's tokens, and where each `{ ... }` body lies (offsets of its `{` and `}`). */
export interface LaidOut {
  readonly tokens: IToken[];
  readonly bodyRanges: ReadonlyArray<readonly [number, number]>;
}

/**
 * Arranges lexer tokens for the grammar. Guarantees: brackets are balanced within a logical line,
 * every `{` is closed, a newline token starts the input and follows every `{`, one precedes every `}`
 * and the end of input, and no two newline tokens are adjacent.
 */
export function layoutTokens(
  tokens: readonly IToken[],
  source: SourceFile,
  diagnostics: Diagnostic[],
): LaidOut {
  const out: IToken[] = [];
  const bodyRanges: Array<readonly [number, number]> = [];
  const brackets: IToken[] = [];
  const bodies: OpenBody[] = [];
  // The declaration keyword and name that began the current line, to name a body in messages.
  let lineOwner = "";
  let atLineStart = true;

  const span = (token: IToken) => source.span(token.startOffset, token.startOffset + token.image.length);
  const endOfInput = () => {
    const offset = endOfCode(tokens);
    return source.span(offset, offset);
  };
  // Set when the current line has an unterminated string (it swallowed the line's closing brackets).
  let stringBrokeLine = false;
  // `**` and `lambda` seen on this line: with the open brackets, how deep the parser will recurse.
  let recursions = 0;
  // While set, the rest of a too deeply nested line is being dropped.
  let skipping: { depth: number; previous: IToken } | null = null;

  const pushNewline = (offset: number) => {
    const last = out[out.length - 1];
    if (last !== undefined && last.tokenType !== Newline) out.push(synthetic(Newline, offset));
  };

  /**
   * Closes every open bracket above `depth`, innermost first, reporting each as missing at `found`
   * (unless `report` is false: an unterminated string already explains why the line's brackets are open).
   */
  const closeBrackets = (
    depth: number,
    found: string,
    at = endOfInput(),
    offset = at.start,
    report = true,
  ) => {
    while (brackets.length > depth) {
      const opener = brackets.pop()!;
      const closer = CLOSER_OF.get(opener.tokenType)!;
      if (report) {
        const role = bracketRole(opener, out);
        const closerText = closer === RParen ? ")" : "]";
        const openedAt = source.position(opener.startOffset);
        diagnostics.push(missingClosingBracket(at, closerText, role, span(opener), openedAt, found));
      }
      out.push(synthetic(closer, offset));
    }
  };

  const closeBodies = (found: string, at: Span) => {
    while (bodies.length > 0) {
      const body = bodies.pop()!;
      bodyRanges.push([body.brace.startOffset, at.start]);
      const what = body.owner ? `body of \`${body.owner}\`` : "body";
      const openedAt = source.position(body.brace.startOffset);
      diagnostics.push(missingClosingBracket(at, "}", what, span(body.brace), openedAt, found));
      pushNewline(at.start);
      out.push(synthetic(RBrace, at.start));
      out.push(synthetic(Newline, at.start));
    }
  };

  // Every line, the first included, starts with a newline token: the grammar reads "newline, item".
  out.push(synthetic(Newline, 0));

  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i]!;
    let type = token.tokenType;

    if (skipping !== null) {
      // Dropping the rest of a too deeply nested line: follow its brackets only to find where it ends.
      if (type === LParen || type === LBracket) skipping.depth++;
      else if (type === RParen || type === RBracket) skipping.depth--;
      const endsLine =
        type === LBrace ||
        type === RBrace ||
        (type === Newline && !continuesLine(skipping.previous, nextLineStart(tokens, i), skipping.depth));
      if (!endsLine) {
        skipping.previous = token;
        continue;
      }
      skipping = null;
      closeBrackets(0, "", endOfInput(), token.startOffset, false);
    }

    if (type === Newline) {
      if (brackets.length > 0) {
        if (continuesLine(out[out.length - 1], nextLineStart(tokens, i), brackets.length)) continue;
        closeBrackets(0, "end of line", foundSpan(token, source), token.startOffset, !stringBrokeLine);
      }
      if (out[out.length - 1]!.tokenType !== Newline) out.push(token);
      atLineStart = true;
      stringBrokeLine = false;
      recursions = 0;
      continue;
    }

    if (type === UnterminatedString) {
      const quote = token.image[0] === "'" ? "'" : '"';
      diagnostics.push(unterminatedString(span(token), quote));
      stringBrokeLine = true;
      // Parse on as if the quote were there, so the rest of the line still makes sense.
      token = { ...token, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx! };
      type = StringLiteral;
    }

    if (atLineStart && type === LBrace && out.length > 1) {
      // `{` on a line of its own belongs to the header above it (`model m` ⏎ `{`): join the lines.
      if (out[out.length - 1]!.tokenType === Newline && out[out.length - 2]!.tokenType !== LBrace) out.pop();
      atLineStart = false;
    }
    if (atLineStart) {
      if (DECLARATION_KEYWORDS.has(type) && bodies.length > 0) {
        closeBrackets(0, describeFound(token), span(token));
        closeBodies(describeFound(token), span(token));
      }
      const name = tokens[i + 1];
      lineOwner =
        (type === Sequential || type === Model || type === Block) && name?.tokenType === Identifier
          ? `${token.image} ${name.image}`
          : "";
      atLineStart = false;
    }

    const isOpener = type === LParen || type === LBracket;
    if (isOpener || type === StarStar || type === Lambda) {
      // Each of these makes the parser recurse; a line nested deeper than any model needs would
      // overflow the stack, so it is reported and the rest of the line is left out.
      if (brackets.length + recursions + 1 > MAX_NESTING) {
        diagnostics.push(nestedTooDeeply(span(token), MAX_NESTING));
        skipping = { depth: brackets.length + (isOpener ? 1 : 0), previous: token };
        continue;
      }
      if (!isOpener) recursions++;
    }
    if (isOpener) {
      brackets.push(token);
    } else if (type === RParen || type === RBracket) {
      const opener = type === RParen ? LParen : LBracket;
      const match = findLast(brackets, opener);
      if (match < 0) {
        // A closer of the wrong kind closes what is open (reported as missing); with nothing open it is stray.
        if (brackets.length > 0) closeBrackets(0, describeFound(token), span(token), token.startOffset);
        else diagnostics.push(unmatchedClosingBracket(span(token), token.image, type === RParen ? "(" : "["));
        continue;
      }
      closeBrackets(match + 1, describeFound(token), span(token), token.startOffset);
      brackets.pop();
    } else if (type === LBrace) {
      closeBrackets(0, describeFound(token), span(token), token.startOffset);
      bodies.push({ brace: token, owner: lineOwner });
      // A body's lines start with a newline too, also on `model m { outputs x }`.
      out.push(token);
      out.push(synthetic(Newline, tokenEnd(token)));
      continue;
    } else if (type === RBrace) {
      if (bodies.length === 0) {
        diagnostics.push(unmatchedClosingBracket(span(token), "}", "{"));
        continue;
      }
      closeBrackets(0, describeFound(token), span(token), token.startOffset);
      bodyRanges.push([bodies.pop()!.brace.startOffset, token.startOffset]);
      pushNewline(token.startOffset);
    }
    out.push(token);
  }

  const end = endOfInput();
  closeBrackets(0, "end of file", end);
  closeBodies("end of file", end);
  pushNewline(end.start);
  return { tokens: out, bodyRanges };
}

/** The first token after a run of newlines starting at `index`. */
function nextLineStart(tokens: readonly IToken[], index: number): IToken | undefined {
  let j = index + 1;
  while (tokens[j]?.tokenType === Newline) j++;
  return tokens[j];
}

/**
 * Whether a newline inside `depth` open brackets continues the line: after a token that needs more
 * (`(`, `,`, an operator) or before one that can only go on (`)`, `,`, an operator), and never before a
 * statement keyword. Otherwise the line ends there and its open brackets are reported as missing.
 */
function continuesLine(previous: IToken | undefined, next: IToken | undefined, depth: number): boolean {
  if (depth <= 0 || next === undefined || STATEMENT_KEYWORDS.has(next.tokenType)) return false;
  return (
    (previous !== undefined && CONTINUES_AFTER.has(previous.tokenType)) ||
    CONTINUES_BEFORE.has(next.tokenType)
  );
}

/** Where the last token that is not a newline ends: "end of file" is shown there, after the code. */
export function endOfCode(tokens: readonly IToken[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.tokenType !== Newline) return tokenEnd(token);
  }
  return 0;
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

function findLast(stack: readonly IToken[], type: TokenType): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.tokenType === type) return i;
  return -1;
}

/** What an opening bracket starts, in words: a `(` right after a name or a call is a call. */
function bracketRole(opener: IToken, emitted: readonly IToken[]): string {
  if (opener.tokenType === LBracket) return "list";
  const index = emitted.lastIndexOf(opener);
  const before = emitted[index - 1]?.tokenType;
  if (before === Identifier) {
    const keyword = emitted[index - 2]?.tokenType;
    if (keyword === Block) return "parameter list";
    if (keyword === Sequential) return "header";
  }
  return before === Identifier || before === RParen || before === RBracket ? "call" : "parenthesis";
}
