// The catalogue's own rules: codes are unique and well-formed, and every code is exercised by some test
// that names it (each stage's suite asserts code and span; this keeps a new code from going untested).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allDiagnosticKinds } from "../../src/compiler/diagnostics/catalogue/index.js";

const TEST_ROOT = join(import.meta.dirname, "..");

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith(".test.ts") ? [readFileSync(path, "utf8")] : [];
  });
}

describe("diagnostic catalogue", () => {
  const kinds = allDiagnosticKinds();

  it("declares codes of the form KMLnnn with a title", () => {
    expect(kinds.length).toBeGreaterThan(20);
    for (const kind of kinds) {
      expect(kind.code).toMatch(/^KML\d{3}$/);
      expect(kind.title.length).toBeGreaterThan(3);
    }
  });

  it("has a test naming every code", () => {
    const allTests = testSources(TEST_ROOT)
      .filter((text) => !text.includes("has a test naming every code"))
      .join("\n");
    const untested = kinds.map((k) => k.code).filter((code) => !allTests.includes(`"${code}"`));
    expect(untested).toEqual([]);
  });
});
