// What the CLI knows about where it writes: colours only on a TTY and never with NO_COLOR.
import { relative } from "node:path";
import type { Diagnostic, SourceFile } from "../src/index.js";
import { renderDiagnosticsText } from "../src/index.js";

export function useColor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR;
  return Boolean(stream.isTTY) && (noColor === undefined || noColor === "");
}

/** Paths as the user typed them stay; absolute paths under the working directory print relative. */
export function displayPath(file: string): string {
  if (!file.startsWith("/")) return file;
  const rel = relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
}

export function renderForTerminal(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  stream: NodeJS.WriteStream,
): string {
  return renderDiagnosticsText(diagnostics, sources, { color: useColor(stream), displayPath });
}

/** "1 error and 2 warnings" */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")} and ${plural(warnings, "warning")}`;
}
