// Line numbers for messages such as "`reshape_1` at line 3 produces (None, None)", when sources are known.
import type { IRSpan } from "./graph.js";

/** Anything that maps an offset to a 1-based line (the compiler's SourceFile does). */
export interface LineIndex {
  position(offset: number): { readonly line: number };
}

/** Maps a span to its line, or undefined when its file's text is not available. */
export type LineOf = (span: IRSpan) => number | undefined;

/** A LineOf over the given sources (looked up lazily, so files added later are found too). */
export function lineLocator(sources: ReadonlyMap<string, LineIndex> | undefined): LineOf {
  return (span) => sources?.get(span.file)?.position(span.start).line;
}

/**
 * " at line 3" for a span in `fromFile`, " at other.kml line 3" for a span elsewhere, "" when unknown.
 * Messages stay readable without sources; the span itself is always in `related`.
 */
export function atLine(lineOf: LineOf, span: IRSpan, fromFile: string): string {
  const line = lineOf(span);
  if (line === undefined) return "";
  return span.file === fromFile ? ` at line ${line}` : ` at ${span.file} line ${line}`;
}
