// Names and comments read from JSON strings: checked so that printing them as .kml text gives a file
// that reads back to the same tree (a name with a space, or the word `model`, could not be printed).
import type { Node } from "jsonc-parser";
import { emptyList, invalidComment, invalidName } from "../../diagnostics/catalogue/json.js";
import type { Comment, Identifier } from "../ast.js";
import { keywordTokens } from "../tokens.js";
import { type JsonReadContext, jsonPointer } from "./context.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The lexer's keywords (`model`, `None`, ...): they cannot name a value, layer, block or parameter. */
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  [...keywordTokens].map((t) => (t.PATTERN as RegExp).source),
);

/** A JSON string holding a .kml name, as an Identifier spanning the string. */
export function readName(
  ctx: JsonReadContext,
  node: Node,
  expected = "a name (a string)",
): Identifier | undefined {
  const name = ctx.string(node, expected);
  if (name === undefined) return undefined;
  const reserved = RESERVED_WORDS.has(name);
  if (reserved || !IDENTIFIER.test(name)) {
    ctx.report(invalidName(ctx.span(node), jsonPointer(node), name, reserved));
    return undefined;
  }
  return { name, span: ctx.span(node) };
}

/**
 * A JSON array of names. `required`, when given, names the list in the diagnostic an empty list gets
 * (the grammar needs at least one name after `dim`, `outputs` or before `=`).
 */
export function readNames(
  ctx: JsonReadContext,
  node: Node,
  expected: string,
  required?: string,
): Identifier[] | undefined {
  const elements = ctx.array(node, expected);
  if (elements === undefined) return undefined;
  if (required !== undefined && elements.length === 0) {
    ctx.report(emptyList(ctx.span(node), jsonPointer(node), required));
    return undefined;
  }
  const names = elements.map((element) => readName(ctx, element));
  return names.every((n) => n !== undefined) ? names : undefined;
}

/** A JSON string holding one `#` comment line. */
export function readComment(ctx: JsonReadContext, node: Node): Comment | undefined {
  const text = ctx.string(node, 'a comment (a string starting with "#")');
  if (text === undefined) return undefined;
  if (!text.startsWith("#") || /[\r\n]/.test(text)) {
    ctx.report(invalidComment(ctx.span(node), jsonPointer(node), text));
    return undefined;
  }
  return { text, span: ctx.span(node) };
}

/** A JSON array of comment lines; a bad line is reported and left out, the rest are kept. */
export function readComments(ctx: JsonReadContext, node: Node | undefined): Comment[] {
  if (node === undefined) return [];
  const elements = ctx.array(node, "an array of comments") ?? [];
  return elements.map((element) => readComment(ctx, element)).filter((c) => c !== undefined);
}
