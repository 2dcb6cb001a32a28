// Inference benchmark: each model of bench/models run by kerasc and by its TF.js layers twin (same backend,
// same weights, same inputs, same process), after checking that both compute the same outputs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import type { BackendName, Graph, Model } from "../src/index.js";
import { loadKerascModel } from "./kerasc-model.js";
import { buildTwin, setTwinWeights, typedGraph } from "./twin.js";

export interface BenchModel {
  /** The file in bench/models, without .kml. */
  readonly file: string;
  /** What the table calls it. */
  readonly title: string;
  /** Upper bound (exclusive) of int32 inputs, which are indices (the LSTM's word ids). */
  readonly indexHigh?: number;
}

export const MODELS: readonly BenchModel[] = [
  { file: "mlp", title: "MLP 784-512-512-10" },
  { file: "cnn", title: "CNN 4× conv+BN+relu" },
  { file: "lstm", title: "LSTM text classifier", indexHigh: 10000 },
  { file: "resnet", title: "ResNet 4 residual blocks" },
  { file: "autoencoder", title: "conv autoencoder" },
];

export const BACKENDS: readonly BackendName[] = ["cpu", "wasm"];
export const BATCHES: readonly number[] = [1, 32];

/** Warm-up beyond --warmup: until this many ms have passed, at most MAX_WARMUP_RUNS runs per engine. */
const DEFAULT_WARMUP_MS = 1000;
const MAX_WARMUP_RUNS = 50;

export interface InferenceOptions {
  /** Timed runs per engine (at least 1; the table's median is over these). */
  readonly runs: number;
  /**
   * Untimed runs per engine before timing (at least 2; the first checks the outputs agree). Three profiled
   * runs (peak memory, kernels) follow the warm-up, untimed too.
   */
  readonly warmup: number;
  /**
   * Then more untimed runs until this much time has gone into warming up (or 50 runs per engine): V8
   * compiles both engines' JavaScript only after many calls, and a predict is timed in its steady state.
   */
  readonly warmupMs?: number;
  readonly models?: readonly BenchModel[];
  readonly backends?: readonly BackendName[];
  readonly batches?: readonly number[];
  /** Called with each row as soon as it is measured (the table prints as it goes). */
  readonly onRow?: (row: InferenceRow) => void;
}

export interface EngineResult {
  /** Median wall time of one predict plus reading its outputs back, in ms. */
  readonly medianMs: number;
  /** Peak tensor bytes allocated during one predict above what was live before it (tf.profile). */
  readonly peakBytes: number;
  /** Kernels one predict runs (tf.profile, after warm-up). */
  readonly kernelCount: number;
}

export type InferenceRow = {
  readonly model: BenchModel;
  readonly backend: BackendName;
  readonly batch: number;
} & (
  | {
      readonly ok: true;
      readonly kerasc: EngineResult;
      readonly tfjs: EngineResult;
      /** Largest |kerasc − TF.js| over the outputs, and the output scale it was judged against. */
      readonly maxAbsDiff: number;
    }
  | { readonly ok: false; readonly error: string }
);

const MODELS_DIR = join(import.meta.dirname, "../../bench/models");

/** Reads bench/models/<file>.kml (from the compiled dist-bench/bench or from bench/ under tsx). */
function modelSource(file: string): { source: string; fileName: string } {
  const candidates = [MODELS_DIR, join(import.meta.dirname, "models")];
  for (const dir of candidates) {
    try {
      const fileName = join(dir, `${file}.kml`);
      return { source: readFileSync(fileName, "utf8"), fileName };
    } catch {
      // try the next location
    }
  }
  throw new Error(`bench/models/${file}.kml not found`);
}

/** Every (model, backend, batch) row, measured one after another. */
export async function measureInference(options: InferenceOptions): Promise<InferenceRow[]> {
  const rows: InferenceRow[] = [];
  for (const model of options.models ?? MODELS) {
    const { source, fileName } = modelSource(model.file);
    const graph = typedGraph(source, fileName);
    for (const backend of options.backends ?? BACKENDS) {
      for (const batch of options.batches ?? BATCHES) {
        let row: InferenceRow;
        try {
          row = {
            model,
            backend,
            batch,
            ok: true,
            ...(await measureRow(model, source, fileName, graph, backend, batch, options)),
          };
        } catch (error) {
          row = {
            model,
            backend,
            batch,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          };
        }
        rows.push(row);
        options.onRow?.(row);
      }
    }
  }
  return rows;
}

/** A small seeded generator (mulberry32): the same inputs and weights on every run of the benchmark. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The weights both engines run with: kerasc's seeded initial values, except that biases and the
 * BatchNormalization parameters (zeros and ones at initialization, which would make folding them a no-op
 * and hide a mistake) are drawn at random in realistic ranges.
 */
function benchWeights(initial: ReadonlyMap<string, tf.Tensor>): Map<string, Float32Array | Int32Array> {
  const weights = new Map<string, Float32Array | Int32Array>();
  for (const [name, tensor] of initial) {
    const next = random(hashName(name));
    const fill = (low: number, high: number) =>
      Float32Array.from({ length: tensor.size }, () => low + (high - low) * next());
    const kind = name.slice(name.lastIndexOf("/") + 1);
    if (kind === "moving_variance") weights.set(name, fill(0.5, 1.5));
    else if (kind === "gamma") weights.set(name, fill(0.8, 1.2));
    else if (kind === "bias" || kind === "beta" || kind === "moving_mean") weights.set(name, fill(-0.1, 0.1));
    else weights.set(name, tensor.dataSync() as Float32Array | Int32Array);
  }
  return weights;
}

/** Seeded inputs for a batch: floats in [-1, 1), int32 indices in [0, indexHigh). */
function benchInputs(graph: Graph, batch: number, model: BenchModel): tf.Tensor[] {
  return graph.inputs.map((id, i) => {
    const type = graph.values.find((v) => v.id === id)!.type!;
    const shape = [batch, ...type.shape.slice(1).map((d) => (typeof d === "number" ? d : 8))];
    const size = shape.reduce((a, b) => a * b, 1);
    const next = random(1000 + i);
    if (type.dtype === "int32") {
      const high = model.indexHigh ?? 100;
      return tf.tensor(
        Int32Array.from({ length: size }, () => Math.floor(next() * high)),
        shape,
        "int32",
      );
    }
    return tf.tensor(
      Float32Array.from({ length: size }, () => next() * 2 - 1),
      shape,
      "float32",
    );
  });
}

/** Makes `backend` tfjs-core's active backend and checks it is (TF.js layers runs on whichever is active). */
async function activate(backend: BackendName): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`tfjs-core is on ${tf.getBackend()}, not ${backend}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The outputs of one engine: each a Float32Array copy, for comparing after both have run. */
function readOutputs(outputs: tf.Tensor[]): Float32Array[] {
  return outputs.map((t) => Float32Array.from(t.dataSync()));
}

/** Largest |a − b| over every output; throws naming the output when shapes or the tolerance disagree. */
function compareOutputs(ours: tf.Tensor[], theirs: tf.Tensor[]): number {
  if (ours.length !== theirs.length)
    throw new Error(`kerasc gives ${ours.length} outputs, TF.js ${theirs.length}`);
  let worst = 0;
  ours.forEach((tensor, i) => {
    const other = theirs[i]!;
    if (tensor.shape.join() !== other.shape.join()) {
      throw new Error(`output ${i}: kerasc shape (${tensor.shape}) vs TF.js (${other.shape})`);
    }
    const [a, b] = readOutputs([tensor, other]) as [Float32Array, Float32Array];
    let scale = 1;
    let diff = 0;
    for (let j = 0; j < a.length; j++) {
      scale = Math.max(scale, Math.abs(b[j]!));
      diff = Math.max(diff, Number.isNaN(a[j]! - b[j]!) ? Number.POSITIVE_INFINITY : Math.abs(a[j]! - b[j]!));
    }
    if (!(diff <= 1e-4 * scale)) {
      throw new Error(
        `outputs differ: max |kerasc − TF.js| = ${diff.toExponential(2)} on output ${i}, over the tolerance 1e-4 × ${scale.toPrecision(3)} — not timing different computations`,
      );
    }
    worst = Math.max(worst, diff);
  });
  return worst;
}

/** Peak bytes of tensors during `run` above the bytes live before it (tf.profile's kernel snapshots). */
/**
 * One profiled predict (after warm-up, untimed: tf.profile times and checks every kernel): the peak tensor
 * bytes above those live before it and the kernels it ran.
 */
async function profile(run: () => tf.Tensor[]): Promise<Omit<EngineResult, "medianMs">> {
  const before = tf.memory().numBytes;
  let outputs: tf.Tensor[] = [];
  const info = await tf.profile(() => {
    outputs = run();
    return [];
  });
  tf.dispose(outputs);
  // tfjs's customGrad wrappers ("fusedMatMul__op") enclose a kernel that is listed too.
  const kernelCount = info.kernels.filter((k) => !k.name.endsWith("__op")).length;
  return { peakBytes: info.peakBytes - before, kernelCount };
}

async function measureRow(
  spec: BenchModel,
  source: string,
  fileName: string,
  graph: Graph,
  backend: BackendName,
  batch: number,
  options: InferenceOptions,
): Promise<{ kerasc: EngineResult; tfjs: EngineResult; maxAbsDiff: number }> {
  // The weights: discovered (names, shapes, initial values) from an unoptimized load, then fixed.
  const probe = await loadKerascModel(source, backend, { fileName, optimize: false });
  const weights = benchWeights(probe.weights);
  probe.dispose();

  let model: Model | undefined;
  let twin: tfl.LayersModel | undefined;
  let inputs: tf.Tensor[] = [];
  const bytesBefore = tf.memory().numBytes;
  try {
    model = await loadKerascModel(source, backend, { fileName, optimize: true, weights });
    await activate(backend); // loading selected it; the twin creates its weights on the active backend
    twin = buildTwin(graph);
    setTwinWeights(twin, weights);
    inputs = benchInputs(graph, batch, spec);

    const kerasc = model;
    const reference = twin;
    const feed = inputs;
    const runKerasc = () => kerasc.predict(feed);
    const runTfjs = () => {
      const predicted = reference.predict(feed.length === 1 ? feed[0]! : feed);
      return Array.isArray(predicted) ? predicted : [predicted];
    };
    // kerasc's predict re-activates its backend; TF.js layers does not, so check before each of its runs.
    const onBackend = () => {
      if (tf.getBackend() !== backend) throw new Error(`tfjs-core switched to ${tf.getBackend()}`);
    };

    // Warm-up 1 checks that both compute the same outputs: a benchmark of different computations is worthless.
    const ours = runKerasc();
    onBackend();
    const theirs = runTfjs();
    let maxAbsDiff: number;
    try {
      maxAbsDiff = compareOutputs(ours, theirs);
    } finally {
      tf.dispose([...ours, ...theirs]);
    }

    const timeOnce = (run: () => tf.Tensor[]) => {
      const started = performance.now();
      const outputs = run();
      for (const output of outputs) output.dataSync();
      const elapsed = performance.now() - started;
      tf.dispose(outputs);
      return elapsed;
    };
    const warmupStarted = performance.now();
    const warming = (i: number) =>
      i < options.warmup ||
      (i < MAX_WARMUP_RUNS && performance.now() - warmupStarted < (options.warmupMs ?? DEFAULT_WARMUP_MS));
    for (let i = 1; warming(i); i++) {
      timeOnce(runKerasc);
      onBackend();
      timeOnce(runTfjs);
    }
    const oursProfile = await profile(runKerasc);
    onBackend();
    const theirsProfile = await profile(runTfjs);
    // Interleaved, alternating which goes first, so drift in the machine's load hits both alike.
    const oursMs: number[] = [];
    const theirsMs: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      if (i % 2 === 0) {
        oursMs.push(timeOnce(runKerasc));
        onBackend();
        theirsMs.push(timeOnce(runTfjs));
      } else {
        onBackend();
        theirsMs.push(timeOnce(runTfjs));
        oursMs.push(timeOnce(runKerasc));
      }
    }
    return {
      kerasc: { medianMs: median(oursMs), ...oursProfile },
      tfjs: { medianMs: median(theirsMs), ...theirsProfile },
      maxAbsDiff,
    };
  } finally {
    tf.dispose(inputs);
    twin?.dispose();
    model?.dispose();
    const leaked = tf.memory().numBytes - bytesBefore;
    if (leaked !== 0)
      console.warn(`bench: ${spec.file} on ${backend}, batch ${batch}: ${leaked} bytes left allocated`);
  }
}
