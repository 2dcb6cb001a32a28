// A SourceHost over files held in memory (a browser has no file system): paths are "/"-separated, imports
// resolved next to the importing file as on disk.
import type { SourceHost } from "./compiler/source.js";

/** A host whose files are `files` (path → text), e.g. { "main.kml": "...", "lib/blocks.kml": "..." }. */
export function memoryHost(files: Readonly<Record<string, string>>): SourceHost {
  const texts = new Map(Object.entries(files).map(([path, text]) => [normalizePath(path), text]));
  return {
    readFile: (path) => texts.get(normalizePath(path)),
    resolve: (fromFile, importPath) => {
      const slash = fromFile.lastIndexOf("/");
      return normalizePath(slash < 0 ? importPath : `${fromFile.slice(0, slash + 1)}${importPath}`);
    },
  };
}

/** "a/./b/../c.kml" → "a/c.kml"; leading ".." kept, as a relative path needs them. */
function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (part !== ".." || !absolute) parts.push(part);
  }
  return (absolute ? "/" : "") + parts.join("/");
}
