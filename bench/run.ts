// `npm run bench`: prints the benchmark tables (markdown) that the README records.
import { cpus } from "node:os";
import { measureCompileTime } from "./compile-time.js";

const rows = measureCompileTime();
const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `## Compile time (parse + check), median of 7 runs — ${cpu}, ${cpus().length} cores, Node ${process.version}\n`,
);
console.log("| model | layers | parse + check | errors |");
console.log("|---|---:|---:|---:|");
for (const row of rows) {
  console.log(
    `| ${row.form} | ${row.layers.toLocaleString("en-US")} | ${row.medianMs.toFixed(1)} ms | ${row.diagnostics} |`,
  );
}
for (const form of ["sequential", "functional"] as const) {
  const at = (n: number) => rows.find((r) => r.form === form && r.layers === n)!.medianMs;
  console.log(`\n${form}: 10k / 1k = ${(at(10000) / at(1000)).toFixed(1)}× (linear is 10×)`);
}
