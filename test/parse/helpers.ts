// Shared helpers for the parser tests: parse a snippet, read positions as "line:col", pick nodes.
import type {
  BlockDecl,
  Expr,
  Item,
  KmlFile,
  ModelDecl,
  SequentialDecl,
  Stmt,
} from "../../src/compiler/1-parse/ast.js";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import type { Diagnostic } from "../../src/compiler/diagnostics/diagnostic.js";
import { SourceFile, type Span } from "../../src/compiler/source.js";

export interface Parsed {
  readonly file: KmlFile;
  readonly diagnostics: Diagnostic[];
  readonly source: SourceFile;
}

export function parse(text: string, path = "test.kml"): Parsed {
  const source = new SourceFile(path, text);
  return { ...parseKml(source), source };
}

/** "line:col-line:col" of a span (1-based, end exclusive), the way a reader checks positions. */
export function where(source: SourceFile, span: Span): string {
  const a = source.position(span.start);
  const b = source.position(span.end);
  return `${a.line}:${a.column}-${b.line}:${b.column}`;
}

/** Each diagnostic as "CODE line:col-line:col". */
export function codesAt(parsed: Parsed): string[] {
  return parsed.diagnostics.map((d) => `${d.code} ${where(parsed.source, d.span)}`);
}

/** Parses a file that must have no diagnostics. */
export function parseClean(text: string): Parsed {
  const parsed = parse(text);
  if (parsed.diagnostics.length > 0) {
    throw new Error(
      `unexpected diagnostics:\n${codesAt(parsed).join("\n")}\n${parsed.diagnostics.map((d) => d.message).join("\n")}`,
    );
  }
  return parsed;
}

/** The body statements of the first declaration with a body. */
export function bodyOf(file: KmlFile, index = 0): readonly Stmt[] {
  const decls = file.items.filter((i): i is SequentialDecl | ModelDecl | BlockDecl => "body" in i);
  const decl = decls[index];
  if (decl === undefined) throw new Error(`no declaration #${index}`);
  return decl.body;
}

/** The expression of `x = <expr>` written alone in a model body. */
export function expr(source: string): Expr {
  const parsed = parseClean(`model m {\n  x = ${source}\n}\n`);
  const stmt = bodyOf(parsed.file)[0];
  if (stmt?.kind !== "assign") throw new Error("expected an assignment");
  return stmt.value;
}

/** Strips spans so tree shapes can be compared with toEqual. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "span") out[k] = shape(v);
    return out;
  }
  return value;
}

export function item<K extends Item["kind"]>(file: KmlFile, kind: K, index = 0): Extract<Item, { kind: K }> {
  const found = file.items.filter((i) => i.kind === kind)[index];
  if (found === undefined) throw new Error(`no ${kind} item #${index}`);
  return found as Extract<Item, { kind: K }>;
}
