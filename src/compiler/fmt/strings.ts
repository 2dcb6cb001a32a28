// The canonical spelling of a .kml string literal: always double quotes, escapes only where needed.

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** Quotes `value` so the .kml lexer reads back exactly `value`. */
export function quoteKmlString(value: string): string {
  let quoted = '"';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    // Control characters other than the named ones have no readable form; `\uXXXX` keeps them lossless.
    const isControl = code < 0x20 || code === 0x7f;
    quoted += NAMED_ESCAPES[ch] ?? (isControl ? `\\u${code.toString(16).padStart(4, "0")}` : ch);
  }
  return `${quoted}"`;
}
