// Shared by the kml JSON tests: read a JSON text and show its diagnostics as "CODE line:col message".
import { parseKmlJson } from "../../src/compiler/1-parse/json/read-kml-json.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/compiler/source.js";

export function readJson(text: string) {
  const source = new SourceFile("model.kml.json", text);
  return { source, ...parseKmlJson(source) };
}

/** `["KML510", "4:9-4:15", message, hint?]` — code, start and end line:col, message and (if any) hint. */
export function describeDiagnostic(source: SourceFile, d: Diagnostic): string[] {
  const start = source.position(d.span.start);
  const end = source.position(d.span.end);
  const span = `${start.line}:${start.column}-${end.line}:${end.column}`;
  return [d.code, span, d.message, ...(d.hint === undefined ? [] : [d.hint])];
}

export function diagnose(text: string): string[][] {
  const { source, diagnostics } = readJson(text);
  return diagnostics.map((d) => describeDiagnostic(source, d));
}

/** A document around some items, one item per line starting at line 3. */
export function doc(...items: string[]): string {
  return `{\n  "kml": 1,\n  "items": [\n${items.map((i) => `    ${i}`).join(",\n")}\n  ]\n}\n`;
}
