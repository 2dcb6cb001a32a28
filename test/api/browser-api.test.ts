// src/browser.ts, the browser entry: index.ts's API minus its Node-only file functions, compiling sources
// held in memory (imports included) to the same plans as from disk.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as browser from "../../src/browser.js";
import * as node from "../../src/index.js";

const SAMPLES = join(import.meta.dirname, "../../samples");
const NODE_ONLY = ["nodeHost", "readWeightsDir", "saveModelWeights", "writeWeightsDir"];

describe("the browser entry", () => {
  it("exports index.ts's API but its Node-only functions, plus memoryHost and setWasmPaths", () => {
    const nodeNames = Object.keys(node).filter((name) => !NODE_ONLY.includes(name));
    expect(Object.keys(browser).sort()).toEqual([...nodeNames, "memoryHost", "setWasmPaths"].sort());
  });

  it("compiles a file and its import from memory to the plan compiled from disk", () => {
    const read = (path: string) => readFileSync(join(SAMPLES, path), "utf8");
    const host = browser.memoryHost({
      "samples/block_mlp.kml": read("block_mlp.kml"),
      "samples/lib/dense_block.kml": read("lib/dense_block.kml"),
    });
    const fromMemory = browser.compile({ path: "samples/./block_mlp.kml" }, { host });
    expect(fromMemory.diagnostics).toEqual([]);
    expect(fromMemory.plan).toEqual(node.compile({ path: join(SAMPLES, "block_mlp.kml") }).plan);
  });

  it("reports an import it cannot read as a diagnostic", () => {
    const result = browser.compile('import "lib/missing.kml"\n');
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it("is what package.json gives a bundler resolving kerasc for the browser (the build of src/browser.ts)", () => {
    const root = join(import.meta.dirname, "../..");
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const { outDir } = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")).compilerOptions;
    // tsconfig.build.json compiles src/ with rootDir "." into outDir: src/browser.ts → <outDir>/src/browser.js.
    expect(pkg.exports["."].browser).toEqual({
      types: `./${outDir}/src/browser.d.ts`,
      default: `./${outDir}/src/browser.js`,
    });
    // The browser condition must come before the Node default for a bundler to pick it.
    expect(Object.keys(pkg.exports["."])[0]).toBe("browser");
  });
});
