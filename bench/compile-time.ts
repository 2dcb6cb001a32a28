// Times parse + check of generated models with 100, 1,000 and 10,000 layers (sequential and functional).
import { check } from "../src/compiler/index.js";
import { generateFunctional, generateSequential } from "./generate.js";

export interface CompileTimeRow {
  readonly form: "sequential" | "functional";
  readonly layers: number;
  readonly medianMs: number;
  readonly diagnostics: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** `global.gc` when node runs with --expose-gc (npm run bench does), else nothing. */
const collectGarbage: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});

export function measureCompileTime(
  sizes: readonly number[] = [100, 1000, 10000],
  runs = 11,
): CompileTimeRow[] {
  const rows: CompileTimeRow[] = [];
  for (const form of ["sequential", "functional"] as const) {
    for (const layers of sizes) {
      const text = form === "sequential" ? generateSequential(layers) : generateFunctional(layers);
      const times: number[] = [];
      let diagnostics = 0;
      // Warm-up: two runs let V8 optimise the hot paths at this size and fill chevrotain's lookahead caches.
      check(text, { fileName: "generated.kml" });
      check(text, { fileName: "generated.kml" });
      for (let r = 0; r < runs; r++) {
        // Each timed compile starts from a collected heap, at every size alike: it pays for its own garbage,
        // not for what the previous run left behind.
        collectGarbage();
        const started = performance.now();
        const diagnosticsFound = check(text, { fileName: "generated.kml" });
        times.push(performance.now() - started);
        diagnostics = diagnosticsFound.filter((d) => d.severity === "error").length;
      }
      rows.push({ form, layers, medianMs: median(times), diagnostics });
    }
  }
  return rows;
}
