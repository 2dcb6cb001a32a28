// Input files for commands: globs expanded (so quoted patterns work the same on every shell), existence
// checked. Matches are spelled like the pattern: relative for a relative pattern, absolute for an absolute one.
import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import { UsageError } from "./exit.js";

/** Expands each argument (a path or a glob) in order, without duplicates; a path that does not exist is a usage error. */
export async function expandFileArguments(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    const matches = isDynamicPattern(arg)
      ? (await glob(arg, { dot: false, onlyFiles: true, absolute: isAbsolute(arg) })).sort()
      : [arg];
    if (matches.length === 0) throw new UsageError(`no files match ${arg}`);
    for (const file of matches) {
      if (!isFile(file)) throw new UsageError(`cannot read ${file}: no such file`);
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }
  }
  return files;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
