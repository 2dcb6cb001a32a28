// Words for tokens in syntax messages: "end of line", "end of file", "`)`", "the name `x`".
import { EOF, type IToken, type TokenType } from "chevrotain";
import type { SourceFile, Span } from "../source.js";
import { Identifier, keywordTokens, Newline } from "./tokens.js";

const MAX_SHOWN = 24;

/** Describes a token that was found where something else was expected. */
export function describeFound(token: IToken): string {
  if (token.tokenType === EOF) return "end of file";
  if (token.tokenType === Newline) return "end of line";
  const image = token.image.length > MAX_SHOWN ? `${token.image.slice(0, MAX_SHOWN)}…` : token.image;
  if (token.tokenType === Identifier) return `the name \`${image}\``;
  if (keywordTokens.has(token.tokenType)) return `the keyword \`${image}\``;
  return `\`${image}\``;
}

/** Describes a token type that was expected: its label (`)`, "a name", "end of line"). */
export function describeExpected(type: TokenType): string {
  if (type === EOF) return "end of file";
  return type.LABEL ?? type.name;
}

/** "a", "a or b", "a, b or c" */
export function joinAlternatives(words: readonly string[]): string {
  const unique = [...new Set(words)];
  if (unique.length <= 1) return unique[0] ?? "";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/**
 * Where a found token is shown: the token itself, but an end of line as an empty span at the end of the
 * line's text (before a `\r`), so the caret sits right after the code that needed more.
 */
export function foundSpan(token: IToken, source: SourceFile): Span {
  if (token.tokenType !== Newline)
    return source.span(token.startOffset, token.startOffset + token.image.length);
  const offset =
    source.text.charCodeAt(token.startOffset - 1) === 13 ? token.startOffset - 1 : token.startOffset;
  return source.span(offset, offset);
}
