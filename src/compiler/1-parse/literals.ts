// Literal decoding: number images to values (with range checks) and string images to their text
// (Python's escapes). Problems become diagnostics; a value is always returned so parsing goes on.
import { numberOutOfRange, unknownEscape } from "../diagnostics/catalogue/syntax.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../source.js";

const MAX_EXACT_INTEGER = 2 ** 53;

/** The value of an integer token; above 2^53 it cannot be exact, which is reported. */
export function decodeInt(
  image: string,
  offset: number,
  source: SourceFile,
  diagnostics: Diagnostic[],
): number {
  const value = Number(image);
  // Images of up to 15 digits are always in range; only longer ones need the exact BigInt comparison.
  if (image.length > 15 && BigInt(image) > BigInt(MAX_EXACT_INTEGER)) {
    diagnostics.push(numberOutOfRange(source.span(offset, offset + image.length), image, false));
  }
  return value;
}

/** The value of a float token; one that overflows to infinity is reported. */
export function decodeFloat(
  image: string,
  offset: number,
  source: SourceFile,
  diagnostics: Diagnostic[],
): number {
  const value = Number(image);
  if (!Number.isFinite(value)) {
    diagnostics.push(numberOutOfRange(source.span(offset, offset + image.length), image, true));
  }
  return value;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/**
 * The text of a string token (either quote style). An unterminated string (already reported by the
 * layout pass) decodes up to the end of its image.
 */
export function decodeString(
  image: string,
  offset: number,
  source: SourceFile,
  diagnostics: Diagnostic[],
): string {
  const quote = image[0];
  // Fast path: most strings ("relu", "same") contain no escapes.
  if (image.indexOf("\\") < 0)
    return image.endsWith(quote ?? "") && image.length > 1 ? image.slice(1, -1) : image.slice(1);
  let text = "";
  let i = 1;
  while (i < image.length) {
    const ch = image[i]!;
    if (ch === quote) break;
    if (ch !== "\\") {
      text += ch;
      i++;
      continue;
    }
    const next = image[i + 1];
    if (next === undefined) {
      // A lone backslash at the end of an unterminated string.
      text += "\\";
      break;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      text += simple;
      i += 2;
      continue;
    }
    const hexLength = next === "x" ? 2 : next === "u" ? 4 : 0;
    const hex = image.slice(i + 2, i + 2 + hexLength);
    if (hexLength > 0 && hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex)) {
      text += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2 + hexLength;
      continue;
    }
    // Python keeps an unknown escape as written; so do we, with a warning (it is usually a typo).
    diagnostics.push(unknownEscape(source.span(offset + i, offset + i + 2), `\\${next}`));
    text += `\\${next}`;
    i += 2;
  }
  return text;
}
