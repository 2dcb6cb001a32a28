// Output files appear whole or not at all: write to a temporary sibling, then rename over the target.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { UsageError } from "./exit.js";

export function writeFileAtomically(path: string, contents: string): void {
  const temporary = `${path}.kerasc-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
