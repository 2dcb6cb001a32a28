// The programmatic API: compile() and check() on strings and files, results as data, never exceptions.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, compile, type Diagnostic, SourceFile } from "../../src/index.js";

const samples = join(import.meta.dirname, "../../samples");

function at(d: Diagnostic, source: SourceFile | undefined): string {
  const { line, column } = source!.position(d.span.start);
  return `${line}:${column}`;
}

describe("compile()", () => {
  it("returns the typed IR of every model in a file", () => {
    const result = compile({ path: join(samples, "permute_repeat.kml") });
    expect(result.diagnostics).toEqual([]);
    const graphs = result.ir!.graphs;
    expect(graphs.map((g) => g.name)).toEqual(["permute", "repeat"]);
    const outputShape = (i: number) => graphs[i]!.values[graphs[i]!.outputs[0]!]!.type!.shape;
    expect(outputShape(0)).toEqual([null, 64, 10]);
    expect(outputShape(1)).toEqual([null, 3, 32]);
  });

  it("follows imports relative to the importing file", () => {
    const result = compile({ path: join(samples, "block_mlp.kml") });
    expect(result.diagnostics).toEqual([]);
    expect([...result.sources.keys()].some((p) => p.endsWith("lib/dense_block.kml"))).toBe(true);
    const functional = result.ir!.graphs.find((g) => g.name === "tabular_functional")!;
    expect(functional.values[functional.outputs[0]!]!.type!.shape).toEqual([null, 3]);
  });

  it("compiles a source string under the given file name and reports problems with positions", () => {
    const text = "sequential m(input_shape=(8,)) {\n  Dense(4)\n  Dense(units=-2)\n}\n";
    const result = compile(text, { fileName: "inline.kml" });
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d!.severity).toBe("error");
    expect(d!.span.file).toBe("inline.kml");
    expect(at(d!, result.sources.get("inline.kml"))).toBe("3:15");
  });

  it("reads the JSON form when the file name ends in .json", () => {
    const kml = compile({ path: join(samples, "dense.kml") });
    const viaJson = compile(JSON.stringify({ kml: 1, items: [] }), { fileName: "empty.kml.json" });
    expect(kml.ir!.graphs).toHaveLength(1);
    expect(viaJson.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(viaJson.ir!.graphs).toHaveLength(0);
  });

  it("turns an unreadable entry file into a diagnostic instead of throwing", () => {
    const result = compile({ path: join(samples, "does-not-exist.kml") });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["KML001"]);
    expect(result.ir).toBeUndefined();
  });
});

describe("check()", () => {
  it("returns only diagnostics, sorted by position", () => {
    const diagnostics = check('sequential m {\n  Dense(4, activation="relux")\n  Dense(2, use_bias=3)\n}\n', {
      fileName: "c.kml",
    });
    const source = new SourceFile(
      "c.kml",
      'sequential m {\n  Dense(4, activation="relux")\n  Dense(2, use_bias=3)\n}\n',
    );
    const errorsAt = diagnostics.filter((d) => d.severity === "error").map((d) => at(d, source));
    // No input shape on a sequential model is reported too; the two argument errors are on lines 2 and 3.
    expect(errorsAt).toEqual(expect.arrayContaining(["2:23", "3:21"]));
    const starts = diagnostics.map((d) => d.span.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});
