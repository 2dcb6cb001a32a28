// `kerasc fmt FILE [--to kml|json] [--write]`: canonical printing and lossless kml ⇄ JSON conversion.
import { hasErrors, nodeHost, parseSource, printKml, printKmlJson, SourceFile } from "../../src/index.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { renderForTerminal } from "../terminal.js";
import { writeFileAtomically } from "../write-file.js";

export type FmtTarget = "kml" | "json";

export interface FmtOptions {
  /** Output form; defaults to the input's own form. */
  readonly to: FmtTarget | undefined;
  /** Write the result to a file instead of stdout. */
  readonly write: boolean;
}

export function runFmt(file: string, options: FmtOptions): number {
  const text = nodeHost.readFile(file);
  if (text === undefined) throw new UsageError(`cannot read ${file}: no such file`);
  const source = new SourceFile(file, text);
  const { file: ast, diagnostics } = parseSource(source);
  if (hasErrors(diagnostics)) {
    // A file that does not parse is never rewritten: printing a partial AST would lose the user's text.
    process.stderr.write(renderForTerminal(diagnostics, new Map([[file, source]]), process.stderr));
    return EXIT_MODEL_ERRORS;
  }
  const inputForm: FmtTarget = file.endsWith(".json") ? "json" : "kml";
  const target = options.to ?? inputForm;
  const output = target === "json" ? printKmlJson(ast) : printKml(ast);
  if (!options.write) {
    process.stdout.write(output);
    return EXIT_OK;
  }
  const destination = target === inputForm ? file : convertedPath(file, target);
  writeFileAtomically(destination, output);
  if (destination !== file) process.stderr.write(`wrote ${destination}\n`);
  return EXIT_OK;
}

/** model.kml → model.kml.json; model.kml.json → model.kml; other.json → other.kml */
function convertedPath(file: string, target: FmtTarget): string {
  if (target === "json") return `${file}.json`;
  return file.endsWith(".kml.json") ? file.slice(0, -".json".length) : file.replace(/\.json$/, ".kml");
}
