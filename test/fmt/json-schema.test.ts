// grammar/kml.schema.json describes exactly what the JSON printer writes: every sample's JSON form and the
// golden example validate, and documents the reader rejects are rejected by the schema too.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { SourceFile } from "../../src/compiler/source.js";

const root = join(import.meta.dirname, "../..");
const schema = JSON.parse(readFileSync(join(root, "grammar/kml.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function kmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return kmlFiles(path);
    return entry.name.endsWith(".kml") ? [path] : [];
  });
}

describe("kml JSON Schema", () => {
  it.each(kmlFiles(join(root, "samples")).map((p) => [p.slice(root.length + 1), p]))(
    "validates the JSON form of %s",
    (_name, path) => {
      const parsed = parseKml(new SourceFile(path, readFileSync(path, "utf8")));
      expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const json = JSON.parse(printKmlJson(parsed.file));
      expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("validates the golden example", () => {
    const json = JSON.parse(readFileSync(join(root, "test/fmt/rich/expected.kml.json"), "utf8"));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects documents the reader rejects", () => {
    expect(validate({ items: [] })).toBe(false); // no version
    expect(validate({ kml: 2, items: [] })).toBe(false); // unknown version
    expect(validate({ kml: 1, items: [{ model: "m", bodyy: [] }] })).toBe(false); // misspelt field
    expect(validate({ kml: 1, items: [{ tuple: [1, 2] }] })).toBe(false); // an expression is not an item
  });
});
