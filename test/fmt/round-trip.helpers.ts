// Parsing helpers for the round-trip tests: both front ends, and trees compared without their spans.

import type { KmlFile } from "../../src/compiler/1-parse/ast.js";
import { parseKmlJson } from "../../src/compiler/1-parse/json/read-kml-json.js";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import { SourceFile } from "../../src/compiler/source.js";

/** Parses .kml text that must be free of diagnostics. */
export function kml(text: string, path = "test.kml"): KmlFile {
  const { file, diagnostics } = parseKml(new SourceFile(path, text));
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return file;
}

/** Reads kml JSON text that must be free of diagnostics. */
export function kmlJson(text: string, path = "test.kml.json"): KmlFile {
  const { file, diagnostics } = parseKmlJson(new SourceFile(path, text));
  if (diagnostics.length > 0) throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics)}`);
  return file;
}

/** The tree without spans and file paths: what both front ends must agree on. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "span" && key !== "path")
      .map(([key, v]) => [key, withoutSpans(v)]),
  );
}
