// `kerasc check FILE...`: shape-check only, reported as text, json, github annotations or sarif.
import { formatGithub } from "../../src/compiler/diagnostics/formats/github.js";
import { formatJson } from "../../src/compiler/diagnostics/formats/json.js";
import { type FileReport, locate } from "../../src/compiler/diagnostics/formats/locate.js";
import { formatSarif } from "../../src/compiler/diagnostics/formats/sarif.js";
import { compile, type Diagnostic, type SourceFile } from "../../src/index.js";
import { EXIT_MODEL_ERRORS, EXIT_OK } from "../exit.js";
import { expandFileArguments } from "../files.js";
import { countSummary, displayPath, renderForTerminal } from "../terminal.js";
import { VERSION } from "../version.js";

export const CHECK_FORMATS = ["text", "json", "github", "sarif"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckOptions {
  readonly format: CheckFormat;
  /** Fail (exit 1) when the warnings exceed this many; undefined means warnings never fail. */
  readonly maxWarnings: number | undefined;
}

export async function runCheck(args: readonly string[], options: CheckOptions): Promise<number> {
  const files = await expandFileArguments(args);
  const all: Diagnostic[] = [];
  const sources = new Map<string, SourceFile>();
  const reports: FileReport[] = [];
  for (const file of files) {
    // Shape checking only: lowering and planning are `kerasc FILE`'s.
    const result = compile({ path: file }, { plan: false });
    for (const [path, source] of result.sources) sources.set(path, source);
    all.push(...result.diagnostics);
    reports.push(...groupByFile(file, result.diagnostics, result.sources));
  }
  process.stdout.write(render(options.format, reports, all, sources, files.length));
  const errors = all.filter((d) => d.severity === "error").length;
  const warnings = all.filter((d) => d.severity === "warning").length;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  if (tooManyWarnings && options.format === "text") {
    process.stderr.write(`kerasc: ${warnings} warnings exceed --max-warnings ${options.maxWarnings}\n`);
  }
  return errors > 0 || tooManyWarnings ? EXIT_MODEL_ERRORS : EXIT_OK;
}

/** One report for the checked file (always, even when clean) plus one per imported file with problems. */
function groupByFile(
  entry: string,
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
): FileReport[] {
  const byFile = new Map<string, Diagnostic[]>([[entry, []]]);
  for (const d of diagnostics) {
    const list = byFile.get(d.span.file) ?? [];
    list.push(d);
    byFile.set(d.span.file, list);
  }
  return [...byFile].map(([file, list]) => ({
    file: displayPath(file),
    diagnostics: list.map((d) => locate(d, sources.get(file))),
  }));
}

function render(
  format: CheckFormat,
  reports: readonly FileReport[],
  all: readonly Diagnostic[],
  sources: ReadonlyMap<string, SourceFile>,
  fileCount: number,
): string {
  switch (format) {
    case "json":
      return formatJson(reports);
    case "github":
      return formatGithub(reports);
    case "sarif":
      return formatSarif(reports, { version: VERSION });
    case "text": {
      const body = renderForTerminal(all, sources, process.stdout);
      const checked = `${fileCount} file${fileCount === 1 ? "" : "s"}`;
      return `${body}${body ? "\n" : ""}checked ${checked}: ${countSummary(all)}\n`;
    }
  }
}
