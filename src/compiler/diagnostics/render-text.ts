// Compiler-style text for diagnostics: `file:line:col: error KML301: message`, the source line, a caret
// under the span, then hint and related locations — what a user reads in a terminal.
import type { SourceFile, Span } from "../source.js";
import type { Diagnostic, Severity } from "./diagnostic.js";

export interface RenderOptions {
  /** ANSI colours (callers decide: only on a TTY and never with NO_COLOR). */
  readonly color: boolean;
  /** Shown as the file name; defaults to the span's file. */
  readonly displayPath?: (file: string) => string;
}

const ansi = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  blue: "\u001b[34m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
};

type Style = keyof typeof ansi;

/** Renders diagnostics for files found in `sources`; a span in an unknown file prints without a snippet. */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  options: RenderOptions,
): string {
  return diagnostics.map((d) => renderOne(d, sources, options)).join("\n");
}

function renderOne(d: Diagnostic, sources: ReadonlyMap<string, SourceFile>, options: RenderOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `${ansi[style]}${text}${ansi.reset}` : text);
  const where = locationText(d.span, sources, options);
  const lines = [`${paint("bold", `${where}:`)} ${severityLabel(d.severity, paint)} ${d.code}: ${d.message}`];
  lines.push(...snippet(d.span, sources, paint, severityStyle(d.severity)));
  if (d.hint) lines.push(`${" ".repeat(GUTTER_WIDTH + 1)}= ${paint("cyan", "hint")}: ${d.hint}`);
  for (const related of d.related ?? []) {
    lines.push(
      `${paint("bold", `${locationText(related.span, sources, options)}:`)} note: ${related.message}`,
    );
    lines.push(...snippet(related.span, sources, paint, "blue"));
  }
  return `${lines.join("\n")}\n`;
}

function locationText(span: Span, sources: ReadonlyMap<string, SourceFile>, options: RenderOptions): string {
  const name = options.displayPath ? options.displayPath(span.file) : span.file;
  const source = sources.get(span.file);
  if (!source) return name;
  const { line, column } = source.position(span.start);
  return `${name}:${line}:${column}`;
}

function severityStyle(severity: Severity): Style {
  return severity === "error" ? "red" : severity === "warning" ? "yellow" : "blue";
}

function severityLabel(severity: Severity, paint: (s: Style, t: string) => string): string {
  return paint(severityStyle(severity), severity);
}

const GUTTER_WIDTH = 5;

function gutter(label: string): string {
  return `${label.padStart(GUTTER_WIDTH)} |`;
}

/** The first line of the span with carets under it (a multi-line span is underlined to that line's end). */
function snippet(
  span: Span,
  sources: ReadonlyMap<string, SourceFile>,
  paint: (s: Style, t: string) => string,
  style: Style,
): string[] {
  const source = sources.get(span.file);
  if (!source) return [];
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end));
  const text = expandTabs(source.lineText(start.line));
  const from = visualColumn(source.lineText(start.line), start.column);
  const to =
    end.line === start.line ? visualColumn(source.lineText(start.line), end.column) : text.length + 1;
  const width = Math.max(1, to - from);
  return [
    gutter(String(start.line)) + (text.length > 0 ? ` ${text}` : ""),
    `${gutter("")} ${" ".repeat(from - 1)}${paint(style, "^".repeat(width))}`,
  ];
}

/** Tabs print as 4 spaces so the caret stays under the right character. */
function expandTabs(line: string): string {
  return line.replace(/\t/g, "    ");
}

function visualColumn(line: string, column: number): number {
  return expandTabs(line.slice(0, column - 1)).length + 1;
}
