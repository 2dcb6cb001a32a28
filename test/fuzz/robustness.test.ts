// Property-based fuzzing of the whole front end: random token soup and mutated samples must never make
// parser or checker throw or hang, and every diagnostic must point inside the file it names.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/index.js";
import type { SourceHost } from "../../src/compiler/source.js";
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

  it("survives random JSON text and mutated JSON structure", () => {
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
