// One registry of diagnostic kinds: each code is declared once, with its severity and a short title
// (the title is the SARIF rule description and the docs' index entry).
import type { Span } from "../../source.js";
import type { Diagnostic, RelatedLocation, Severity } from "../diagnostic.js";

export interface DiagnosticKind {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
}

const kinds = new Map<string, DiagnosticKind>();

/** Declares a diagnostic kind. Codes are unique across the whole catalogue. */
export function defineKind(code: string, severity: Severity, title: string): DiagnosticKind {
  if (kinds.has(code)) throw new Error(`diagnostic code ${code} declared twice`);
  const kind = { code, severity, title };
  kinds.set(code, kind);
  return kind;
}

/** Every declared kind, sorted by code. */
export function allDiagnosticKinds(): DiagnosticKind[] {
  return [...kinds.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export interface DiagnosticExtras {
  readonly hint?: string;
  readonly related?: readonly RelatedLocation[];
}

/** Builds a diagnostic of a declared kind. Only catalogue files call this. */
export function makeDiagnostic(
  kind: DiagnosticKind,
  span: Span,
  message: string,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const d: Diagnostic = { severity: kind.severity, code: kind.code, message, span };
  return {
    ...d,
    ...(extras.hint !== undefined ? { hint: extras.hint } : {}),
    ...(extras.related !== undefined && extras.related.length > 0 ? { related: extras.related } : {}),
  };
}
