// Test helpers for the build and infer stages: .kml text (plus in-memory imported files) → IR and
// diagnostics, with positions as "line:col" so tests assert exactly where each problem is reported.
import { expect } from "vitest";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import { type BuildOptions, buildProgram, type ImportResolver } from "../../src/compiler/2-build/build.js";
import { inferProgram } from "../../src/compiler/3-infer/infer.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { SourceFile, type Span } from "../../src/compiler/source.js";
import type { Graph, Program } from "../../src/ir/graph.js";
import { verifyProgram } from "../../src/ir/verify.js";

export interface Built {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, SourceFile>;
  /** "line:col" of a span's start. */
  at(span: Span): string;
  /** Diagnostics as [code, "line:col"] pairs, in report order. */
  codes(): [string, string][];
  graph(name: string): Graph;
}

/** Parses `text` as main.kml (its syntax must be clean), with `files` as importable files, and builds it. */
export function build(
  text: string,
  files: Record<string, string> = {},
  infer = false,
  options: Omit<BuildOptions, "sources"> & { readonly allowSyntax?: readonly string[] } = {},
): Built {
  const sources = new Map<string, SourceFile>();
  const parse = (path: string, source: string) => {
    const file = new SourceFile(path, source);
    sources.set(path, file);
    const parsed = parseKml(file);
    const syntax = parsed.diagnostics.filter((d) => !options.allowSyntax?.includes(d.code));
    expect(syntax.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    return parsed.file;
  };
  const resolver: ImportResolver = (_from, path) => {
    const source = files[path];
    return source === undefined ? { error: "no such file" } : { file: parse(path, source) };
  };
  const built = buildProgram(parse("main.kml", text), resolver, { ...options, sources });
  expect(verifyProgram(built.program)).toEqual([]);
  let program = built.program;
  const diagnostics = [...built.diagnostics];
  if (infer) {
    const typed = inferProgram(program, { sources });
    expect(verifyProgram(typed.program)).toEqual([]);
    program = typed.program;
    diagnostics.push(...typed.diagnostics);
  }
  const at = (span: Span) => {
    const { line, column } = sources.get(span.file)!.position(span.start);
    return `${span.file === "main.kml" ? "" : `${span.file}:`}${line}:${column}`;
  };
  return {
    program,
    diagnostics,
    sources,
    at,
    codes: () => diagnostics.map((d): [string, string] => [d.code, at(d.span)]),
    graph: (name) => {
      const graph = program.graphs.find((g) => g.name === name);
      if (!graph) throw new Error(`no graph ${name}`);
      return graph;
    },
  };
}

/** Builds and infers. */
export function compileKml(text: string, files: Record<string, string> = {}): Built {
  return build(text, files, true);
}

/** The shape of a graph's i-th output. */
export function outputShape(graph: Graph, i = 0): readonly (number | string | null)[] | undefined {
  const id = graph.outputs[i];
  return graph.values.find((v) => v.id === id)?.type?.shape;
}

/** The layer names of a graph, in order. */
export function layerNames(graph: Graph): string[] {
  return graph.layers.map((l) => l.name);
}
