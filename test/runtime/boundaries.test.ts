// src/runtime must bundle for browsers on its own: no compiler imports, and Node built-ins only in *-node.ts files.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const runtimeDir = join(import.meta.dirname, "../../src/runtime");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map(
    (match) => match[1]!,
  );
}

describe("src/runtime boundaries", () => {
  const files = sourceFiles(runtimeDir);

  it("never imports the compiler", () => {
    const offending = files.flatMap((file) =>
      specifiers(file)
        .filter((specifier) => /(^|\/)compiler(\/|$)/.test(specifier))
        .map((specifier) => `${relative(runtimeDir, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("uses Node built-ins only in files named *-node.ts", () => {
    const offending = files
      .filter((file) => !file.endsWith("-node.ts"))
      .flatMap((file) =>
        specifiers(file)
          .filter(
            (specifier) =>
              specifier.startsWith("node:") || /^(fs|path|os|crypto|buffer)(\/|$)/.test(specifier),
          )
          .map((specifier) => `${relative(runtimeDir, file)} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });
});
