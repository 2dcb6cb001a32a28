// The package version, read once from package.json (works from the sources and from dist/).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function readVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === "kerasc" && pkg.version) return pkg.version;
    } catch {
      // not at this depth; try the next
    }
  }
  return "0.0.0";
}

export const VERSION = readVersion();
