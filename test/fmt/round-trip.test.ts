// Lossless conversion: messy .kml → canonical .kml and canonical JSON (golden files in rich/, reviewed by
// hand), JSON → .kml → JSON and .kml → JSON → .kml unchanged, idempotence, and JSON spans that point into
// the JSON file. Every sample in samples/ takes the same trips.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CallExpr, ExprStmt, ModelDecl, SequentialDecl } from "../../src/compiler/1-parse/ast.js";
import { parseKmlJson } from "../../src/compiler/1-parse/json/read-kml-json.js";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { printKml } from "../../src/compiler/fmt/print-kml.js";
import { SourceFile } from "../../src/compiler/source.js";
import { kml, kmlJson, withoutSpans } from "./round-trip.helpers.js";

const RICH = join(import.meta.dirname, "rich");
const input = readFileSync(join(RICH, "input.kml"), "utf8");
const expectedKml = readFileSync(join(RICH, "expected.kml"), "utf8");
const expectedJson = readFileSync(join(RICH, "expected.kml.json"), "utf8");

describe("the rich example (every construct)", () => {
  it("formats to the canonical text", () => {
    expect(printKml(kml(input))).toBe(expectedKml);
  });

  it("converts to the canonical JSON", () => {
    expect(printKmlJson(kml(input))).toBe(expectedJson);
  });

  it("is idempotent in both forms", () => {
    expect(printKml(kml(expectedKml))).toBe(expectedKml);
    expect(printKmlJson(kmlJson(expectedJson))).toBe(expectedJson);
  });

  it(".kml → JSON → .kml gives exactly the canonical text", () => {
    expect(printKml(kmlJson(printKmlJson(kml(expectedKml))))).toBe(expectedKml);
  });

  it("JSON → .kml → JSON gives exactly the canonical JSON", () => {
    expect(printKmlJson(kml(printKml(kmlJson(expectedJson))))).toBe(expectedJson);
  });

  it("both front ends build the same tree, and parsing the printed text rebuilds it", () => {
    const fromKml = withoutSpans(kml(expectedKml));
    expect(withoutSpans(kmlJson(expectedJson))).toEqual(fromKml);
    expect(withoutSpans(kml(printKml(kml(expectedKml))))).toEqual(fromKml);
  });

  it("keeps every comment of the input", () => {
    const comments = input.split("\n").flatMap((line) => {
      const at = line.search(/#(?![^"]*"[^"]*$)/);
      return at < 0 || line.includes("#'") ? [] : [line.slice(at)];
    });
    expect(comments).toHaveLength(15);
    for (const comment of comments) {
      expect(expectedKml).toContain(comment);
      expect(expectedJson).toContain(JSON.stringify(comment));
    }
  });
});

describe("spans of the JSON front end", () => {
  const source = new SourceFile("rich.kml.json", expectedJson);
  const { file } = parseKmlJson(source);
  const at = (offset: number) => {
    const p = source.position(offset);
    return `${p.line}:${p.column}`;
  };

  it("point each node at the JSON text it came from", () => {
    const cnn = file.items[5] as SequentialDecl;
    expect(at(cnn.span.start)).toBe("9:5");
    expect(at(cnn.name.span.start)).toBe("10:21");
    const dropout = (cnn.body[3] as ExprStmt).expr as CallExpr;
    expect(at(dropout.span.start)).toBe("16:9");
    expect(at(dropout.args[0]!.span.start)).toBe("16:70");
    expect(expectedJson.slice(dropout.args[0]!.span.start, dropout.args[0]!.span.end)).toBe("0.25");
    const kwarg = (cnn.body[0] as ExprStmt).expr as CallExpr;
    expect(expectedJson.slice(kwarg.kwargs[0]!.name.span.start, kwarg.kwargs[0]!.name.span.end)).toBe(
      '"activation"',
    );
  });

  it("give a negative number's literal the digits and its minus the whole number", () => {
    const siamese = file.items[10] as ModelDecl;
    const ops = siamese.body[11]!;
    expect(ops.kind).toBe("assign");
    const call = (ops as { value: CallExpr }).value;
    const power = call.args[1]!;
    expect(power.kind).toBe("binary");
    const left = (power as { left: { span: { start: number; end: number }; kind: string } }).left;
    expect(left.kind).toBe("unary");
    expect(expectedJson.slice(left.span.start, left.span.end)).toBe("-2");
  });
});

describe("layout details", () => {
  it("a CRLF file formats to LF with the comments' carriage returns dropped", () => {
    const crlf = "# top\r\nsequential s {\r\n  Dense(1)  # one\r\n}\r\n";
    expect(printKml(kml(crlf))).toBe("# top\nsequential s {\n  Dense(1)  # one\n}\n");
  });

  it("a header comment keeps its blank line; the first item gets none without one", () => {
    expect(printKml(kml("# licence\n\n\nimport 'a.kml'\n"))).toBe('# licence\n\nimport "a.kml"\n');
    expect(printKml(kml("\n\nimport 'a.kml'\n"))).toBe('import "a.kml"\n');
    expect(printKmlJson(kml("# licence\n\nimport 'a.kml'\n"))).toBe(
      '{\n  "kml": 1,\n  "items": [\n    {"blankLineBefore": true, "comments": ["# licence"], "import": "a.kml"}\n  ]\n}\n',
    );
  });

  it("blank lines after `{` and before `}` go, runs of blank lines become one", () => {
    expect(printKml(kml("model m {\n\n  a = 1\n\n\n\n  b = 2\n\n}\n"))).toBe(
      "model m {\n  a = 1\n\n  b = 2\n}\n",
    );
  });

  it("declarations always stand apart; imports and dims keep their grouping", () => {
    const text = "import 'a.kml'\nimport 'b.kml'\ndim T\nmodel m {\n}\nmodel n {\n}\ndim U\n";
    expect(printKml(kml(text))).toBe(
      'import "a.kml"\nimport "b.kml"\ndim T\n\nmodel m {\n}\n\nmodel n {\n}\n\ndim U\n',
    );
  });

  it("a hand-written JSON file without blank lines prints with the implied ones", () => {
    const json =
      '{"kml": 1, "items": [{"import": "a.kml"}, {"model": "m", "body": [{"outputs": ["x"]}]}, {"dim": ["T"]}]}';
    expect(printKml(kmlJson(json))).toBe('import "a.kml"\n\nmodel m {\n  outputs x\n}\n\ndim T\n');
  });

  it("ints and floats stay distinct through JSON, by the text of the number", () => {
    const json =
      '{"kml": 1, "items": [{"model": "m", "body": [{"call": "f", "args": [1, 1.0, 1e3, 1E-7, -2, -2.5, 0.1, 9007199254740992]}]}]}';
    expect(printKml(kmlJson(json))).toBe(
      "model m {\n  f(1, 1.0, 1000.0, 1e-7, -2, -2.5, 0.1, 9007199254740992)\n}\n",
    );
    expect(printKmlJson(kml("model m {\n  f(1, 1.0, 1., 2.50, 1e3, -0.0)\n}\n"))).toContain(
      '{"call": "f", "args": [1, 1.0, 1.0, 2.5, 1000.0, -0.0]}',
    );
  });

  it("strings keep their escapes through both forms", () => {
    const text = `model m {\n  f("tab\\there", 'q"uote', "back\\\\slash", "\\x00\\x7f", "naïve ☃")\n}\n`;
    const canonical = `model m {\n  f("tab\\there", "q\\"uote", "back\\\\slash", "\\u0000\\u007f", "naïve ☃")\n}\n`;
    expect(printKml(kml(text))).toBe(canonical);
    expect(printKml(kmlJson(printKmlJson(kml(text))))).toBe(canonical);
    const literal = ((kml(canonical).items[0] as ModelDecl).body[0] as ExprStmt).expr as CallExpr;
    expect(literal.args.map((a) => (a.kind === "string" ? a.value : null))).toEqual([
      "tab\there",
      'q"uote',
      "back\\slash",
      "\u0000\u007f",
      "naïve ☃",
    ]);
  });

  it("a string literal callee is spelt out in JSON so it does not read as a name", () => {
    const json = printKmlJson(kml('model m {\n  "abc"(x)\n}\n'));
    expect(json).toContain('{"call": {"string": "abc"}, "args": [{"ref": "x"}]}');
    expect(printKml(kmlJson(json))).toBe('model m {\n  "abc"(x)\n}\n');
  });

  it("an expression statement that is a plain value is wrapped in JSON, so it can carry comments", () => {
    const json = printKmlJson(kml("model m {\n  3  # three\n  [a]\n}\n"));
    expect(json).toContain('{"expr": 3, "trailingComment": "# three"},\n        {"expr": [{"ref": "a"}]}');
  });
});

describe("samples", () => {
  const dir = join(import.meta.dirname, "../../samples");
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".kml"));

  it("there are samples to try", () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)("%s: canonical text is a fixpoint and survives the trip through JSON", (name) => {
    const text = readFileSync(join(dir, name), "utf8");
    const parsed = parseKml(new SourceFile(name, text));
    expect(parsed.diagnostics).toEqual([]);
    const canonical = printKml(parsed.file);
    expect(printKml(kml(canonical))).toBe(canonical);
    const json = printKmlJson(parsed.file);
    expect(printKml(kmlJson(json))).toBe(canonical);
    expect(printKmlJson(kml(printKml(kmlJson(json))))).toBe(json);
    expect(withoutSpans(kmlJson(json))).toEqual(withoutSpans(kml(canonical)));
  });
});
