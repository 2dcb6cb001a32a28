// Shared by the kml JSON tests: read a JSON text and show its diagnostics as "CODE line:col message".
import { parseKmlJson } from "../../src/compiler/1-parse/json/read-kml-json.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/compiler/source.js";

export function readJson(text: string) {
  const source = new SourceFile("model.kml.json", text);
  return { source, ...parseKmlJson(source) };
}

/** `KML510 4:9-4:15 unknown field ... | hint` — code, start and end line:col, message and hint. */
export function describeDiagnostic(source: SourceFile, d: Diagnostic): string {
  const start = source.position(d.span.start);
  const end = source.position(d.span.end);
  const hint = d.hint === undefined ? "" : ` | ${d.hint}`;
  return `${d.code} ${start.line}:${start.column}-${end.line}:${end.column} ${d.message}${hint}`;
}

export function diagnose(text: string): string[] {
  const { source, diagnostics } = readJson(text);
  return diagnostics.map((d) => describeDiagnostic(source, d));
}

/** A document around some items, one item per line starting at line 3. */
export function doc(...items: string[]): string {
  return `{\n  "kml": 1,\n  "items": [\n${items.map((i) => `    ${i}`).join(",\n")}\n  ]\n}\n`;
}
