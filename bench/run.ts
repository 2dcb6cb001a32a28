// `npm run bench`: prints the benchmark tables (markdown) that the README records — compile time, then
// inference (kerasc vs TF.js layers). `npm run bench -- --only compile|inference --runs N`.
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { measureCompileTime } from "./compile-time.js";
import {
  type BenchModel,
  type EngineResult,
  type InferenceRow,
  MODELS,
  measureInference,
} from "./inference.js";

const USAGE =
  "usage: npm run bench -- [--only compile|inference] [--runs N] [--warmup N] [--warmup-ms MS] [--models mlp,cnn,...]";

interface Options {
  readonly only: "compile" | "inference" | undefined;
  readonly runs: number;
  readonly warmup: number;
  readonly warmupMs: number;
  readonly models: readonly BenchModel[];
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      runs: { type: "string", default: "20" },
      warmup: { type: "string", default: "2" },
      "warmup-ms": { type: "string", default: "1000" },
      models: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only;
  if (only !== undefined && only !== "compile" && only !== "inference") {
    throw new Error(`--only takes compile or inference, not "${only}"\n${USAGE}`);
  }
  const count = (flag: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} takes a whole number ≥ ${min}\n${USAGE}`);
    return n;
  };
  const names = values.models?.split(",").map((n) => n.trim()) ?? MODELS.map((m) => m.file);
  const unknown = names.filter((n) => !MODELS.some((m) => m.file === n));
  if (unknown.length > 0) {
    throw new Error(
      `no benchmark model ${unknown.join(", ")}; there are ${MODELS.map((m) => m.file).join(", ")}`,
    );
  }
  return {
    only,
    runs: count("runs", values.runs, 1),
    warmup: count("warmup", values.warmup, 2),
    warmupMs: count("warmup-ms", values["warmup-ms"], 0),
    models: MODELS.filter((m) => names.includes(m.file)),
  };
}

function machine(): string {
  return `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
}

function compileTable(): void {
  const rows = measureCompileTime();
  console.log(
    `## Compile time (parse + check), median of 11 runs, each from a collected heap — ${machine()}\n`,
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
}

const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

function bytes(value: number): string {
  if (value < 1000) return `${value} B`;
  if (value < 1e6) return `${(value / 1e3).toFixed(1)} KB`;
  return `${(value / 1e6).toFixed(2)} MB`;
}

function inferenceLine(row: InferenceRow): string {
  const head = `| ${row.model.title} | ${row.backend} | ${row.batch} |`;
  if (!row.ok) return `${head} — | — | **failed** | — | — | — | — |`;
  const cell = (r: EngineResult) => `${ms(r.medianMs)} ms`;
  const ratio = row.tfjs.medianMs / row.kerasc.medianMs;
  return `${head} ${cell(row.kerasc)} | ${cell(row.tfjs)} | ${ratio.toFixed(2)}× | ${row.kerasc.kernelCount} / ${row.tfjs.kernelCount} | ${bytes(row.kerasc.peakBytes)} | ${bytes(row.tfjs.peakBytes)} | ${row.maxAbsDiff.toExponential(1)} |`;
}

async function inferenceTable({ runs, warmup, warmupMs, models }: Options): Promise<boolean> {
  console.log(
    `## Inference, kerasc vs TF.js layers predict, median of ${runs} runs after ≥ ${warmup} warm-up runs and ${warmupMs} ms of warm-up (≤ 50 runs) — ${machine()}\n`,
  );
  console.log(
    "| model | backend | batch | kerasc | TF.js layers | ratio (TF.js / kerasc) | kernels (kerasc / TF.js) | kerasc peak | TF.js peak | max abs diff |",
  );
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  const failures: string[] = [];
  await measureInference({
    runs,
    warmup,
    warmupMs,
    models,
    onRow: (row) => {
      console.log(inferenceLine(row));
      if (!row.ok) failures.push(`${row.model.file} on ${row.backend}, batch ${row.batch}: ${row.error}`);
    },
  });
  console.log(
    "\nratio > 1: kerasc is faster. Times: one predict plus reading its outputs back. Kernels: those one predict runs. Peak: tensor bytes allocated during one predict above those live before it (weights and inputs excluded), from tf.profile.",
  );
  for (const failure of failures) console.error(`\nfailed: ${failure}`);
  return failures.length === 0;
}

async function main(): Promise<void> {
  const chosen = options();
  if (chosen.only !== "inference") compileTable();
  if (chosen.only === undefined) console.log("");
  if (chosen.only !== "compile" && !(await inferenceTable(chosen))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
