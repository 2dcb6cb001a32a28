// The diagnostic record every stage produces; the catalogue (catalogue.ts) is the only place that creates them.
import type { Span } from "../source.js";

export type Severity = "error" | "warning" | "info";

/** A secondary location shown with a diagnostic, e.g. "`x` is defined here". */
export interface RelatedLocation {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code from the catalogue, e.g. "KML301". */
  readonly code: string;
  readonly message: string;
  readonly span: Span;
  /** What to do about it, e.g. "did you mean `kernel_size`?". */
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, then position, so every report reads top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.span.end - b.span.end,
  );
}
