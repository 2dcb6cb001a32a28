// The SourceHost for Node: files from disk, imports resolved next to the importing file.
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SourceHost } from "./compiler/source.js";

export const nodeHost: SourceHost = {
  readFile(path: string): string | undefined {
    try {
      if (!statSync(path).isFile()) return undefined;
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  resolve(fromFile: string, importPath: string): string {
    // join keeps a relative entry path relative, so diagnostics in imported files read like the user's paths.
    return join(dirname(fromFile), importPath);
  },
};
