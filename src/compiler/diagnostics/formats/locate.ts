// Turns a diagnostic's character span into the 1-based line/column range every machine format uses.
import type { SourceFile } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";

export interface LocatedDiagnostic {
  readonly diagnostic: Diagnostic;
  readonly line: number;
  readonly column: number;
  /** End position is exclusive: the column just after the last character of the span. */
  readonly endLine: number;
  readonly endColumn: number;
}

export function locate(diagnostic: Diagnostic, source: SourceFile | undefined): LocatedDiagnostic {
  if (!source) return { diagnostic, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = source.position(diagnostic.span.start);
  const end = source.position(Math.max(diagnostic.span.start, diagnostic.span.end));
  return { diagnostic, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** One checked file and its diagnostics, the unit every report format iterates over. */
export interface FileReport {
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  readonly diagnostics: readonly LocatedDiagnostic[];
}

/** The message with its hint appended, for formats that have one text field. */
export function messageWithHint(d: Diagnostic): string {
  return d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
}
