// `kerasc graph FILE [-o out.svg|out.dot] [--model NAME]`: the layer graph with shapes on its edges,
// as DOT on stdout or written (atomically) to a .dot or .svg file.
import { extname } from "node:path";
import { graphToDot, renderDotToSvg } from "../../src/compiler/graph/index.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { writeFileAtomically } from "../write-file.js";
import { compileModels } from "./summary.js";

export interface GraphCommandOptions {
  /** A .svg or .dot path; without one, DOT goes to stdout. */
  readonly output: string | undefined;
  /** Only this model of the file. */
  readonly model: string | undefined;
}

const OUTPUT_FORMATS = [".svg", ".dot", ".gv"] as const;

export async function runGraph(file: string, options: GraphCommandOptions): Promise<number> {
  const format = options.output === undefined ? undefined : outputFormat(options.output);
  const models = compileModels(file, options.model);
  if (models === undefined) return EXIT_MODEL_ERRORS;
  const dot = graphToDot(models);
  if (options.output === undefined) {
    process.stdout.write(dot);
    return EXIT_OK;
  }
  writeFileAtomically(options.output, format === ".svg" ? await renderDotToSvg(dot) : dot);
  process.stderr.write(`wrote ${options.output}\n`);
  return EXIT_OK;
}

/** The output's format by extension, checked before compiling so a typo costs nothing. */
function outputFormat(path: string): (typeof OUTPUT_FORMATS)[number] {
  const extension = extname(path).toLowerCase();
  const known = OUTPUT_FORMATS.find((f) => f === extension);
  if (!known)
    throw new UsageError(
      `cannot tell the format of ${path}: -o takes a .svg file, or .dot (or .gv) for DOT text`,
    );
  return known;
}
