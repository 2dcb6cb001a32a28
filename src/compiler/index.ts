// The whole pipeline on one screen: load → parse → build → infer, then lower → optimize → plan (7-plan).

import type { Program } from "../ir/graph.js";
import type { Plan } from "../runtime/plan.js";
import type { KmlFile } from "./1-parse/ast.js";
import { parseKmlJson } from "./1-parse/json/read-kml-json.js";
import { parseKml } from "./1-parse/parse.js";
import { buildProgram } from "./2-build/build.js";
import { inferProgram } from "./3-infer/infer.js";
import { type PlanOptions, planProgram } from "./7-plan/index.js";
import { cannotReadFile } from "./diagnostics/catalogue/io.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { hasErrors, sortDiagnostics } from "./diagnostics/diagnostic.js";
import { SourceFile, type SourceHost } from "./source.js";
import { type ModelSummary, type SummaryOptions, summarizeGraph } from "./summary/index.js";

export interface CompileOptions {
  /** Reads files (the entry when given by path, and every `import`). Without one, imports fail with a diagnostic. */
  readonly host?: SourceHost;
  /** The name diagnostics use for a source string (default "<input>.kml"); its extension picks the front end. */
  readonly fileName?: string;
  /**
   * Lower, optimize and plan each model (default true; `check` turns it off). `false` stops after shape
   * checking; an object sets the plan options (`optimize: false` is -O0, `batch` sizes the statistics).
   */
  readonly plan?: boolean | PlanOptions;
}

export type CompileInput = string | { readonly path: string };

export interface CompileResult {
  /** Every problem found, sorted by file and position. Nothing throws for a problem in the model. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every source read (entry and imports), by path — what a renderer needs to show source lines. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** The entry file's AST, when it could be read. */
  readonly ast: KmlFile | undefined;
  /** The typed IR: one graph per model of the entry file. */
  readonly ir: Program | undefined;
  /** One execution plan per model of the entry file that compiled without errors, in source order. */
  readonly plans: readonly Plan[];
  /** The first model's plan (the only one, for most files); undefined when it has errors. */
  readonly plan: Plan | undefined;
  /** Keras's model.summary() for each model of the IR, in source order (none without an IR). */
  summary(options?: SummaryOptions): ModelSummary[];
}

/** Compiles a .kml (or .kml.json) source string or file to typed IR plus diagnostics. */
export function compile(input: CompileInput, options: CompileOptions = {}): CompileResult {
  const checked = compileStages(input, options);
  const planning = options.plan ?? true;
  const planned =
    planning !== false && checked.ir && !hasErrors(checked.diagnostics)
      ? planProgram(checked.ir, planning === true ? {} : planning)
      : { plans: [], diagnostics: [] };
  return {
    ...checked,
    diagnostics:
      planned.diagnostics.length > 0
        ? sortDiagnostics([...checked.diagnostics, ...planned.diagnostics])
        : checked.diagnostics,
    plans: planned.plans,
    plan: planned.plans[0],
    summary: (summaryOptions) => (checked.ir?.graphs ?? []).map((g) => summarizeGraph(g, summaryOptions)),
  };
}

/** The pipeline's stages; `compile` adds the views computed from their result (the summary). */
function compileStages(
  input: CompileInput,
  options: CompileOptions,
): Omit<CompileResult, "summary" | "plans" | "plan"> {
  const loader = new SourceLoader(options.host);
  const entry = loader.load(input, options.fileName);
  if (!entry.file)
    return { diagnostics: entry.diagnostics, sources: loader.sources, ast: undefined, ir: undefined };
  const syntaxErrors = hasErrors(entry.diagnostics);
  // A statement the parser had to skip leaves its names undefined; checking on would only report echoes of it.
  if (syntaxErrors)
    return { diagnostics: entry.diagnostics, sources: loader.sources, ast: entry.file, ir: undefined };
  // `sources` is live: imports read during the build join it, so messages can name their lines too.
  const built = buildProgram(entry.file, (from, path) => loader.loadImport(from, path), {
    sources: loader.sources,
  });
  const importSyntaxErrors = hasErrors(loader.importDiagnostics);
  const typed = importSyntaxErrors ? undefined : inferProgram(built.program, { sources: loader.sources });
  const diagnostics = sortDiagnostics([
    ...entry.diagnostics,
    ...loader.importDiagnostics,
    ...(importSyntaxErrors ? [] : built.diagnostics),
    ...(typed?.diagnostics ?? []),
  ]);
  return { diagnostics, sources: loader.sources, ast: entry.file, ir: typed?.program };
}

/** Shape-checks only: the diagnostics of `compile` up to type inference (no lowering or planning). */
export function check(input: CompileInput, options: CompileOptions = {}): readonly Diagnostic[] {
  return compile(input, { ...options, plan: false }).diagnostics;
}

/** Picks the front end from the file name: `.json` files are the kml JSON form, anything else is .kml text. */
export function parseSource(source: SourceFile): { file: KmlFile; diagnostics: Diagnostic[] } {
  return source.path.endsWith(".json") ? parseKmlJson(source) : parseKml(source);
}

/** Reads and parses the entry file and each imported file once, remembering every source for rendering. */
class SourceLoader {
  readonly sources = new Map<string, SourceFile>();
  readonly importDiagnostics: Diagnostic[] = [];
  private readonly parsed = new Map<string, KmlFile>();

  constructor(private readonly host: SourceHost | undefined) {}

  load(
    input: CompileInput,
    fileName: string | undefined,
  ): { file: KmlFile | undefined; diagnostics: Diagnostic[] } {
    const path = typeof input === "string" ? (fileName ?? "<input>.kml") : input.path;
    const text = typeof input === "string" ? input : this.host?.readFile(path);
    if (text === undefined) return { file: undefined, diagnostics: [cannotReadFile(path)] };
    const source = new SourceFile(path, text);
    this.sources.set(path, source);
    const result = parseSource(source);
    this.parsed.set(path, result.file);
    return result;
  }

  loadImport(fromFile: string, importPath: string): { file: KmlFile } | { error: string } {
    if (!this.host) return { error: `imports need a file host; "${importPath}" cannot be read` };
    const path = this.host.resolve(fromFile, importPath);
    const cached = this.parsed.get(path);
    if (cached) return { file: cached };
    const text = this.host.readFile(path);
    if (text === undefined) return { error: `cannot read "${importPath}" (resolved to ${path})` };
    const source = new SourceFile(path, text);
    this.sources.set(path, source);
    const result = parseSource(source);
    this.parsed.set(path, result.file);
    this.importDiagnostics.push(...result.diagnostics);
    return { file: result.file };
  }
}
