// `kerasc run FILE [--input [NAME=]X.npy]... [--output Y.npy|DIR] [--weights DIR] [--backend B] [--seed N]
// [--model NAME] [-O0]`: compiles a .kml model to its plan (or reads a .plan.json) and executes it (SPEC §4).
// Output files appear whole
// after a successful run, or not at all.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { compile, hasErrors } from "../../src/index.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadPlan, parsePlan } from "../../src/runtime/load-plan.js";
import type { ModelInput, WeightValues } from "../../src/runtime/model.js";
import { ModelError } from "../../src/runtime/model-error.js";
import { type NpyArray, parseNpy, serializeNpy } from "../../src/runtime/npy.js";
import type { Plan } from "../../src/runtime/plan.js";
import type { Program } from "../../src/runtime/program.js";
import { forKey, type RandomStream } from "../../src/runtime/random.js";
import { readWeightsDir } from "../../src/runtime/weights-format-node.js";
import { EXIT_MODEL_ERRORS, EXIT_OK, UsageError } from "../exit.js";
import { countSummary, displayPath, renderForTerminal } from "../terminal.js";

export interface RunCommandOptions {
  /** `--input` values: `NAME=path.npy`, or `path.npy` for the next input in order. */
  readonly inputs: readonly string[];
  /** A .npy file (one output) or an existing directory (one `<name>.npy` per output). */
  readonly output: string | undefined;
  /** A TF.js weights directory or manifest; weights it lacks come from their initializers. */
  readonly weights: string | undefined;
  readonly backend: BackendName | undefined;
  /** Seed of the initializers and of the random inputs. */
  readonly seed: number;
  /** Which model of a file that defines several. */
  readonly model: string | undefined;
  /** -O0: run the unoptimized plan (training-mode semantics preserved). Default true. */
  readonly optimize?: boolean;
}

export async function runRun(file: string, options: RunCommandOptions): Promise<number> {
  const planned = isPlanPath(file)
    ? readPlanFile(file)
    : planOneModel(file, options.model, options.optimize ?? true);
  if (!planned) return EXIT_MODEL_ERRORS;
  const { plan, manifest } = planned;

  // Read every input file before any work: a bad .npy stops the run before anything is written.
  const given = readInputs(options.inputs, plan);
  const weightsPath = options.weights ?? manifest;
  const weights = weightsPath === undefined ? undefined : await readWeights(weightsPath);
  // tfjs's own console notes (the cpu backend's "install tfjs-node" banner) are not the user's business.
  tf.env().set("PROD", true);
  try {
    const model = await loadPlan(plan, {
      ...(options.backend ? { backend: options.backend } : {}),
      ...(weights ? { weights } : {}),
      seed: options.seed,
      warn: (message) => process.stderr.write(`${message}\n`),
    });
    const inputs = given ?? randomInputs(plan, options.seed);
    const outputs = model.predict(plan.inputs.map((input) => inputs.get(input.name)!));
    const arrays = outputs.map(toNpyArray);
    tf.dispose(outputs);
    model.dispose();
    const names = plan.outputs.map((o) => o.name);
    if (options.output !== undefined) writeOutputs(options.output, names, arrays);
    else process.stdout.write(names.map((name, i) => describeOutput(name, arrays[i]!)).join(""));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ModelError) throw new UsageError(error.message);
    throw error;
  }
}

/** A plan and, when it names one, its weights manifest resolved against the plan's directory. */
interface PlanToRun {
  readonly plan: Plan;
  readonly manifest: string | undefined;
}

/** Plan files are JSON named `*.plan.json` (what `kerasc FILE` writes). */
function isPlanPath(file: string): boolean {
  return file.endsWith(".plan.json");
}

/** Reads and validates a plan file; a broken one is an I/O error naming the problem. */
function readPlanFile(file: string): PlanToRun {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message}); was the plan cut short?`);
  }
  try {
    const plan = parsePlan(json);
    const manifest =
      plan.weightsManifest === undefined ? undefined : resolve(dirname(file), plan.weightsManifest);
    return { plan, manifest };
  } catch (error) {
    if (error instanceof ModelError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

/** Compiles the file and picks its model's plan; prints diagnostics like `kerasc FILE`. Undefined on errors. */
function planOneModel(file: string, modelName: string | undefined, optimize: boolean): PlanToRun | undefined {
  const result = compile({ path: file }, { plan: { optimize } });
  if (!result.sources.has(file)) throw new UsageError(`cannot read ${file}: no such file`);
  if (result.diagnostics.length > 0)
    process.stderr.write(renderForTerminal(result.diagnostics, result.sources, process.stderr));
  if (hasErrors(result.diagnostics) || !result.ir) {
    process.stderr.write(`\n${displayPath(file)}: ${countSummary(result.diagnostics)}\n`);
    return undefined;
  }
  const plans = result.plans;
  const names = plans.map((p) => p.model).join(", ");
  if (plans.length === 0) throw new UsageError(`${file} defines no model (only blocks or dims)`);
  if (modelName === undefined) {
    if (plans.length > 1)
      throw new UsageError(`${file} defines ${plans.length} models (${names}); choose one with --model`);
    return { plan: plans[0]!, manifest: undefined };
  }
  const chosen = plans.find((p) => p.model === modelName);
  if (!chosen) throw new UsageError(`${file} has no model named "${modelName}" (it has: ${names})`);
  return { plan: chosen, manifest: undefined };
}

/**
 * The `--input` files by input name, read and parsed; undefined when none were given (random inputs).
 * `NAME=path` names its input; a bare path goes to the next input not named, in the model's order.
 */
function readInputs(specs: readonly string[], program: Program): Map<string, ModelInput> | undefined {
  if (specs.length === 0) return undefined;
  const names = program.inputs.map((i) => i.name);
  const paths = new Map<string, string>();
  const positional: string[] = [];
  for (const spec of specs) {
    const named = /^([A-Za-z_][\w.-]*)=(.+)$/.exec(spec);
    if (!named) {
      positional.push(spec);
      continue;
    }
    const [, name, path] = named as unknown as [string, string, string];
    if (!names.includes(name))
      throw new UsageError(
        `--input ${spec}: the model has no input "${name}" (its inputs: ${names.join(", ")})`,
      );
    if (paths.has(name)) throw new UsageError(`--input ${spec}: input "${name}" is given twice`);
    paths.set(name, path);
  }
  const unnamed = names.filter((n) => !paths.has(n));
  if (positional.length > unnamed.length)
    throw new UsageError(
      `${specs.length} --input files for the model's ${names.length} input(s): ${names.join(", ")}`,
    );
  positional.forEach((path, i) => {
    paths.set(unnamed[i]!, path);
  });
  const missing = names.filter((n) => !paths.has(n));
  if (missing.length > 0) throw new UsageError(`no --input for ${missing.map((n) => `"${n}"`).join(", ")}`);
  return new Map(names.map((name) => [name, readNpyFile(paths.get(name)!)]));
}

function readNpyFile(path: string): ModelInput {
  let bytes: Uint8Array;
  try {
    // A plain Uint8Array, not the Buffer: a small Buffer is a view into Node's shared pool, and the reader
    // slices then reinterprets `.buffer`, which for a Buffer's slice would be the whole pool.
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = parseNpy(bytes);
  if (!parsed.ok) throw new UsageError(`${path}: ${parsed.error.message} (at byte ${parsed.error.offset})`);
  return { data: parsed.array.data, shape: parsed.array.shape };
}

async function readWeights(path: string): Promise<WeightValues> {
  const read = await readWeightsDir(path);
  if (!read.ok) throw new UsageError(`${path}: ${read.error.message}`);
  return new Map(read.weights.map((w) => [w.name, w.data]));
}

/**
 * Seeded inputs when none are given: uniform in [-1, 1) for float inputs, indices for int32 ones
 * (`randomIndices`). Unknown sizes, the batch included, are 1.
 */
function randomInputs(program: Program, seed: number): Map<string, ModelInput> {
  return new Map(
    program.inputs.map((input) => {
      const shape = input.shape.map((d) => (typeof d === "number" ? d : 1));
      const size = shape.reduce((a, b) => a * b, 1);
      const stream = forKey(seed, `input/${input.name}`);
      const data =
        input.dtype === "int32" ? randomIndices(program, stream, size) : stream.uniform(size, -1, 1);
      process.stderr.write(`random input ${input.name}: shape (${shape.join(", ")}), seed ${seed}\n`);
      return [input.name, { data, shape }];
    }),
  );
}

/** Random int32 inputs stay below this many values, even when no vocabulary bounds them. */
export const RANDOM_INDEX_LIMIT = 10;

/**
 * The number of distinct values random int32 inputs take: they are indices, valid for every table the
 * program gathers from (an Embedding's `embeddings` has input_dim rows), and few (`RANDOM_INDEX_LIMIT`).
 */
export function randomIndexLimit(program: Program): number {
  const rows = program.steps
    .filter((step) => step.op === "gather")
    .map((step) => program.weights.find((w) => w.name === step.weights[0])?.shape[0] ?? RANDOM_INDEX_LIMIT);
  return Math.max(1, Math.min(RANDOM_INDEX_LIMIT, ...rows));
}

/** `size` seeded integers uniform in [0, randomIndexLimit(program)): random values for an int32 input. */
export function randomIndices(program: Program, stream: RandomStream, size: number): Int32Array {
  const limit = randomIndexLimit(program);
  return Int32Array.from({ length: size }, () => Math.floor(stream.nextDouble() * limit));
}

function toNpyArray(tensor: tf.Tensor): NpyArray {
  const data = tensor.dataSync();
  return tensor.dtype === "int32"
    ? { dtype: "int32", shape: tensor.shape, data: Int32Array.from(data) }
    : { dtype: "float32", shape: tensor.shape, data: Float32Array.from(data) };
}

/** "dense_3: (1, 10) float32  min -0.41  max 0.73  mean 0.0125" */
function describeOutput(name: string, array: NpyArray): string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const value of array.data) {
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
  }
  const stats =
    array.data.length === 0
      ? "empty"
      : `min ${min.toPrecision(4)}  max ${max.toPrecision(4)}  mean ${(sum / array.data.length).toPrecision(4)}`;
  return `${name}: (${array.shape.join(", ")}) ${array.dtype}  ${stats}\n`;
}

/**
 * Writes the outputs: into an existing directory as `<name>.npy` each, or to one file when there is one
 * output. Every file goes to a temporary sibling first and all are renamed at the end, so a failure
 * leaves none behind.
 */
function writeOutputs(target: string, names: readonly string[], arrays: readonly NpyArray[]): void {
  const isDirectory = statSync(target, { throwIfNoEntry: false })?.isDirectory() ?? false;
  if (!isDirectory && arrays.length !== 1) {
    throw new UsageError(
      `--output ${target}: the model has ${arrays.length} outputs (${names.join(", ")}); give an existing directory`,
    );
  }
  const paths = isDirectory ? names.map((name) => join(target, `${name}.npy`)) : [target];
  const temporaries = paths.map((path) => `${path}.kerasc-${process.pid}.tmp`);
  const renamed: string[] = [];
  try {
    arrays.forEach((array, i) => {
      writeFileSync(temporaries[i]!, serializeNpy(array));
    });
    paths.forEach((path, i) => {
      renameSync(temporaries[i]!, path);
      renamed.push(path);
    });
  } catch (error) {
    for (const path of [...temporaries, ...renamed]) rmSync(path, { force: true });
    throw new UsageError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  process.stdout.write(
    names
      .map((name, i) => `${name}: (${arrays[i]!.shape.join(", ")}) ${arrays[i]!.dtype} → ${paths[i]}\n`)
      .join(""),
  );
}
