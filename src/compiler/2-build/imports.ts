// Follows `import` statements from the entry file: each file once, cycles and unreadable imports reported.
import type { KmlFile } from "../1-parse/ast.js";
import { importCycle, importFailed } from "../diagnostics/catalogue/names.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/**
 * Loads an imported file (the caller parses it and reports its own syntax errors), or says why it cannot.
 * `fromFile` is the importing file's path, `importPath` the string as written.
 */
export type ImportResolver = (fromFile: string, importPath: string) => { file: KmlFile } | { error: string };

/**
 * Every file reachable from `entry`, each once, in dependency order: a file comes after everything it
 * imports, and `entry` comes last — so a later declaration is the one reported as a duplicate.
 */
export function loadImports(
  entry: KmlFile,
  resolve: ImportResolver,
  report: (d: Diagnostic) => void,
): KmlFile[] {
  const ordered: KmlFile[] = [];
  const done = new Set<string>();
  const stack: string[] = [];

  const visit = (file: KmlFile): void => {
    stack.push(file.path);
    for (const item of file.items) {
      if (item.kind !== "import") continue;
      const result = safeResolve(resolve, file.path, item.path.value);
      if ("error" in result) {
        report(importFailed(item.path.span, item.path.value, result.error));
        continue;
      }
      const target = result.file;
      const cycleStart = stack.indexOf(target.path);
      if (cycleStart >= 0) {
        report(importCycle(item.path.span, [...stack.slice(cycleStart), target.path]));
        continue;
      }
      if (done.has(target.path)) continue;
      visit(target);
    }
    stack.pop();
    done.add(file.path);
    ordered.push(file);
  };

  visit(entry);
  return ordered;
}

/** A resolver that throws (a host bug, a permission error) must not take the compiler down. */
function safeResolve(
  resolve: ImportResolver,
  from: string,
  path: string,
): { file: KmlFile } | { error: string } {
  try {
    return resolve(from, path);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
