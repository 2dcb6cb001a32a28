// Property-based fuzzing of the whole front end: random token soup and mutated samples must never make
// parser or checker throw or hang, and every diagnostic must point inside the file it names.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseKml } from "../../src/compiler/1-parse/parse.js";
import { printKmlJson } from "../../src/compiler/fmt/print-json.js";
import { compile } from "../../src/compiler/index.js";
import type { SourceHost } from "../../src/compiler/source.js";
import { SourceFile } from "../../src/compiler/source.js";
import { FUZZ_TOKENS, tokenSoup } from "./tokens.js";

const SAMPLES_DIR = join(import.meta.dirname, "../../samples");

function sampleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sampleFiles(path);
    return entry.name.endsWith(".kml") ? [path] : [];
  });
}

const samples = sampleFiles(SAMPLES_DIR).map((path) => readFileSync(path, "utf8"));

/** A host whose only other file is a small valid block library, so `import` lines can resolve. */
const host: SourceHost = {
  readFile: (path) => (path.endsWith("lib.kml") ? "block b(x, n=2) {\n  return Dense(n)(x)\n}\n" : undefined),
  resolve: (_from, path) => path,
};

/** The samples in their JSON form, as plain values to mutate structurally. */
const jsonSamples: unknown[] = samples.map(
  (text) => JSON.parse(printKmlJson(parseKml(new SourceFile("sample.kml", text)).file)) as unknown,
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every container and key/index inside a JSON value, so a mutation can target any of them. */
function slots(value: Json, out: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({ parent: value, key: i });
      slots(item, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push({ parent: value, key });
      slots(item, out);
    }
  }
  return out;
}

/** A sample's JSON form with one field replaced by random JSON, deleted, or renamed. */
const mutatedJson = fc
  .record({
    sample: fc.integer({ min: 0, max: Math.max(0, jsonSamples.length - 1) }),
    slot: fc.nat(),
    kind: fc.integer({ min: 0, max: 2 }),
    replacement: fc.jsonValue({ maxDepth: 3 }),
    newKey: fc.constantFrom("call", "args", "kwargs", "ref", "tuple", "model", "body", "x", "", "layers"),
  })
  .map(({ sample, slot, kind, replacement, newKey }) => {
    const doc = structuredClone(jsonSamples[sample] ?? {}) as Json;
    const all = slots(doc);
    const target = all[slot % Math.max(1, all.length)];
    if (target) {
      const { parent, key } = target;
      if (Array.isArray(parent) && typeof key === "number") {
        if (kind === 1) parent.splice(key, 1);
        else parent[key] = replacement as Json;
      } else if (!Array.isArray(parent) && typeof key === "string") {
        const value = parent[key];
        if (kind !== 0) delete parent[key];
        if (kind === 2 && value !== undefined) parent[newKey] = value;
        if (kind === 0) parent[key] = replacement as Json;
      }
    }
    return JSON.stringify(doc, null, 1);
  });

/** Mutations of a real sample: delete a slice, insert a token, duplicate or drop a line, truncate. */
const mutatedSample = fc
  .record({
    sample: fc.integer({ min: 0, max: Math.max(0, samples.length - 1) }),
    kind: fc.integer({ min: 0, max: 4 }),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
    token: fc.constantFrom(...FUZZ_TOKENS),
  })
  .map(({ sample, kind, at, length, token }) => {
    const text = samples[sample] ?? "";
    const pos = text.length === 0 ? 0 : at % text.length;
    const lines = text.split("\n");
    const line = lines.length === 0 ? 0 : at % lines.length;
    switch (kind) {
      case 0:
        return text.slice(0, pos) + text.slice(pos + length);
      case 1:
        return `${text.slice(0, pos)}${token}${text.slice(pos)}`;
      case 2:
        return [...lines.slice(0, line + 1), ...lines.slice(line)].join("\n");
      case 3:
        return [...lines.slice(0, line), ...lines.slice(line + 1)].join("\n");
      default:
        return text.slice(0, pos);
    }
  });

function assertWellBehaved(text: string, fileName: string): void {
  const started = performance.now();
  const result = compile(text, { fileName, host });
  const elapsed = performance.now() - started;
  expect(elapsed).toBeLessThan(1000);
  for (const d of result.diagnostics) {
    const source = result.sources.get(d.span.file);
    expect(source, `diagnostic ${d.code} names an unknown file ${d.span.file}`).toBeDefined();
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(source!.text.length);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

describe("fuzzing parser and checker", () => {
  it("has samples to mutate", () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });

  it("survives random token streams", () => {
    fc.assert(
      fc.property(tokenSoup(120), (text) => assertWellBehaved(text, "soup.kml")),
      { numRuns: 400 },
    );
  });

  it("survives mutated samples", () => {
    fc.assert(
      fc.property(mutatedSample, (text) => assertWellBehaved(text, "mutated.kml")),
      { numRuns: 400 },
    );
  });

  it("survives samples whose JSON form has a field replaced, deleted or renamed", () => {
    fc.assert(
      fc.property(mutatedJson, (text) => assertWellBehaved(text, "mutated.kml.json")),
      { numRuns: 400 },
    );
  });

  it("survives random JSON text", () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc
        .array(fc.constantFrom("{", "}", "[", "]", ",", ":", '"kml"', '"items"', "1", "null", '"x"'), {
          maxLength: 60,
        })
        .map((t) => t.join("")),
    );
    fc.assert(
      fc.property(jsonish, (text) => assertWellBehaved(text, "fuzz.kml.json")),
      { numRuns: 300 },
    );
  });
});
