// Diagnostics about reading inputs (KML001–KML099).
import type { Span } from "../../source.js";
import type { Diagnostic } from "../diagnostic.js";
import { defineKind, makeDiagnostic } from "./define.js";

const CANNOT_READ_FILE = defineKind("KML001", "error", "cannot read file");

/** The entry file could not be read (missing, a directory, no permission). */
export function cannotReadFile(path: string): Diagnostic {
  const span: Span = { file: path, start: 0, end: 0 };
  return makeDiagnostic(CANNOT_READ_FILE, span, `cannot read ${path}`, {
    hint: "check the path; kerasc reads .kml files and their .kml.json form",
  });
}
