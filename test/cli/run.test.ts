// `kerasc run` as a user drives it: .npy inputs by name or order, outputs into a file or a directory,
// TF.js weights, seeded random inputs with statistics, and clear errors (exit 2, no output file) for bad
// .npy files, wrong shapes and unknown names; exit 1 for a model kerasc cannot execute yet.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { RANDOM_INDEX_LIMIT, randomIndexLimit, randomIndices } from "../../cli/commands/run.js";
import { lowerGraph } from "../../src/compiler/5-lower/lower.js";
import { compile } from "../../src/compiler/index.js";
import { nodeHost } from "../../src/node-host.js";
import { loadModel } from "../../src/runtime/model.js";
import { type NpyArray, parseNpy, serializeNpy } from "../../src/runtime/npy.js";
import { forKey } from "../../src/runtime/random.js";
import { writeWeightsDir } from "../../src/runtime/weights-format-node.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "kerasc-run-"));
const SAMPLES = join(import.meta.dirname, "../../samples");
const twoTowers = join(SAMPLES, "two_towers.kml");
const mlp = join(dir, "mlp.kml");
writeFileSync(mlp, 'sequential mlp(input_shape=(4,)) {\n  Dense(3, activation="tanh")\n  Dense(2)\n}\n');

function writeNpy(name: string, array: NpyArray): string {
  const path = join(dir, name);
  writeFileSync(path, serializeNpy(array));
  return path;
}

function readNpy(path: string): NpyArray {
  // A copy: parseNpy misreads a pooled Buffer's view (see cli/commands/run.ts readNpyFile).
  const parsed = parseNpy(new Uint8Array(readFileSync(path)));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.array;
}

const x = writeNpy("x.npy", {
  dtype: "float32",
  shape: [2, 4],
  data: Float32Array.from([1, 2, 3, 4, -1, 0, 1, 0.5]),
});

/** What the runtime computes for the same file, model, inputs and seed: the reference for the CLI. */
async function expected(file: string, inputs: NpyArray[], seed: number): Promise<number[][]> {
  const compiled = compile({ path: file }, { host: nodeHost });
  const program = lowerGraph(compiled.ir!.graphs[0]!).program!;
  const model = await loadModel(program, { backend: "cpu", seed });
  const outputs = model.predict(inputs.map((i) => ({ data: i.data, shape: i.shape })));
  const values = outputs.map((t) => Array.from(t.dataSync()));
  tf.dispose(outputs);
  model.dispose();
  return values;
}

/** The rows of the file's `embedding_1/embeddings` as the runtime initialises them under `seed`. */
async function embeddingsTable(file: string, seed: number): Promise<number[][]> {
  const program = lowerGraph(compile({ path: file }, { host: nodeHost }).ir!.graphs[0]!).program!;
  const model = await loadModel(program, { backend: "cpu", seed });
  const table = model.weights.get("embedding_1/embeddings")!.arraySync() as number[][];
  model.dispose();
  return table;
}

describe("kerasc run", () => {
  it("writes the single output to a .npy file, as the runtime computes it", async () => {
    const out = join(dir, "y.npy");
    const run = await runCli(["run", mlp, "--input", x, "--output", out, "--backend", "cpu", "--seed", "4"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`dense_2: (2, 2) float32 → ${out}\n`);
    const y = readNpy(out);
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual((await expected(mlp, [readNpy(x)], 4))[0]);
  });

  it("writes one <name>.npy per output into a directory, inputs given by name", async () => {
    const query = writeNpy("q.npy", {
      dtype: "float32",
      shape: [1, 3, 16],
      data: new Float32Array(48).fill(0.5),
    });
    const document = writeNpy("d.npy", {
      dtype: "float32",
      shape: [1, 3, 16],
      data: new Float32Array(48).fill(-1),
    });
    const out = join(dir, "towers");
    mkdirSync(out);
    const run = await runCli([
      "run",
      twoTowers,
      "-i",
      `document=${document}`,
      "-i",
      `query=${query}`,
      "-o",
      out,
    ]);
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["d_t.npy", "score.npy"]);
    expect(readNpy(join(out, "score.npy")).shape).toEqual([1, 3, 1]);
    expect(readNpy(join(out, "d_t.npy")).shape).toEqual([1, 8, 3]);
    const [score] = await expected(twoTowers, [readNpy(query), readNpy(document)], 0);
    expect(Array.from(readNpy(join(out, "score.npy")).data)).toEqual(score);
  });

  it("loads TF.js weights and leaves the others to their initializers", async () => {
    const weights = join(dir, "weights");
    const kernel = Float32Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const written = await writeWeightsDir(weights, [
      { name: "dense_1/kernel", shape: [4, 3], dtype: "float32", data: kernel },
      { name: "dense_1/bias", shape: [3], dtype: "float32", data: new Float32Array(3) },
      {
        name: "dense_2/kernel",
        shape: [3, 2],
        dtype: "float32",
        data: Float32Array.from([1, 0, 0, 1, 0, 0]),
      },
    ]);
    expect(written.ok).toBe(true);
    const out = join(dir, "weighted.npy");
    const run = await runCli(["run", mlp, "-i", x, "-o", out, "--weights", weights]);
    expect(run.code).toBe(0);
    // kernel picks inputs 0 and 1 (then 2), dense_2 passes the first two on, its bias is zeros.
    const rows = [
      [1, 2],
      [-1, 0],
    ];
    expect(Array.from(readNpy(out).data)).toEqual(rows.flat().map((v) => Math.fround(Math.tanh(v))));
  });

  it("feeds seeded random inputs when none are given and prints output statistics", async () => {
    const first = await runCli(["run", mlp, "--seed", "7"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("random input input_1: shape (1, 4), seed 7");
    expect(first.stdout).toMatch(/^dense_2: \(1, 2\) float32 {2}min \S+ {2}max \S+ {2}mean \S+\n$/);
    expect((await runCli(["run", mlp, "--seed", "7"])).stdout).toBe(first.stdout);
    expect((await runCli(["run", mlp, "--seed", "8"])).stdout).not.toBe(first.stdout);
  });

  it("draws random int32 inputs as indices every Embedding of the model takes", async () => {
    const embedding = join(SAMPLES, "embedding.kml");
    const out = join(dir, "embedded.npy");
    const run = await runCli(["run", embedding, "--seed", "3", "--backend", "cpu", "-o", out]);
    expect(run.stderr).toContain("random input embedding_1_input: shape (1, 10), seed 3");
    expect(run.code).toBe(0);
    const y = readNpy(out);
    expect(y.shape).toEqual([1, 10, 64]);
    // Every output row is a row of the seeded table, at an index below 10 (RANDOM_INDEX_LIMIT).
    const table = await embeddingsTable(embedding, 3);
    const picked = Array.from({ length: 10 }, (_, t) => {
      const row = Array.from(y.data.subarray(t * 64, (t + 1) * 64));
      return table.findIndex((candidate) => candidate.every((v, i) => v === row[i]));
    });
    for (const index of picked) expect(index).toBeGreaterThanOrEqual(0);
    expect(Math.max(...picked)).toBeLessThan(RANDOM_INDEX_LIMIT);
    expect(new Set(picked).size).toBeGreaterThan(1);
    // A vocabulary smaller than the limit bounds the indices: Embedding(3, ...) only takes 0, 1, 2.
    const small = join(dir, "small_vocabulary.kml");
    writeFileSync(small, "sequential m {\n  Embedding(3, 2, input_length=40)\n}\n");
    const program = lowerGraph(compile({ path: small }, { host: nodeHost }).ir!.graphs[0]!).program!;
    expect(randomIndexLimit(program)).toBe(3);
    const drawn = Array.from(randomIndices(program, forKey(1, "input"), 1000));
    expect(new Set(drawn)).toEqual(new Set([0, 1, 2]));
    expect((await runCli(["run", small, "--backend", "cpu"])).code).toBe(0);
  });

  it("feeds an int32 .npy to an Embedding, and a float32 one of whole numbers as the same indices", async () => {
    const embedding = join(SAMPLES, "embedding.kml");
    const indices = [0, 999, 5, 5, 17, 998, 1, 0, 500, 42];
    const ints = writeNpy("indices.npy", { dtype: "int32", shape: [1, 10], data: Int32Array.from(indices) });
    const floats = writeNpy("indices-f.npy", {
      dtype: "float32",
      shape: [1, 10],
      data: Float32Array.from(indices),
    });
    const table = await embeddingsTable(embedding, 2);
    for (const input of [ints, floats]) {
      const out = join(dir, "looked-up.npy");
      const run = await runCli(["run", embedding, "-i", input, "-o", out, "--seed", "2", "--backend", "cpu"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(Array.from(readNpy(out).data)).toEqual(indices.flatMap((i) => table[i]!));
    }
  });

  it("runs the chosen model of a file that defines several, and asks for one otherwise", async () => {
    const file = join(SAMPLES, "permute_repeat.kml");
    const ambiguous = await runCli(["run", file]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("defines 2 models (permute, repeat); choose one with --model");
    const chosen = await runCli(["run", file, "--model", "repeat"]);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toMatch(/^repeat_vector_1: \(1, 3, 32\) float32/);
  });

  it("rejects a truncated .npy with exit 2 and writes nothing", async () => {
    const bytes = serializeNpy({ dtype: "float32", shape: [2, 4], data: new Float32Array(8) });
    const truncated = join(dir, "truncated.npy");
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 5));
    const out = join(dir, "never.npy");
    const run = await runCli(["run", mlp, "-i", truncated, "-o", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kerasc: .*truncated\.npy: .* \(at byte \d+\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an input of the wrong shape, an unknown input name and extra inputs", async () => {
    const wrong = writeNpy("wrong.npy", { dtype: "float32", shape: [2, 5], data: new Float32Array(10) });
    const out = join(dir, "never2.npy");
    const shape = await runCli(["run", mlp, "-i", wrong, "-o", out]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toBe('kerasc: input "input_1" must have shape (None, 4), got (2, 5): axis 1 is 5\n');
    expect(existsSync(out)).toBe(false);
    const unknown = await runCli(["run", mlp, "-i", `pixels=${x}`]);
    expect(unknown.stderr).toBe(
      `kerasc: --input pixels=${x}: the model has no input "pixels" (its inputs: input_1)\n`,
    );
    const extra = await runCli(["run", mlp, "-i", x, "-i", x]);
    expect(extra.stderr).toBe("kerasc: 2 --input files for the model's 1 input(s): input_1\n");
    const missing = await runCli(["run", twoTowers, "-i", `query=${x}`]);
    expect(missing.stderr).toBe('kerasc: no --input for "document"\n');
  });

  it("refuses one output file for several outputs", async () => {
    const out = join(dir, "two.npy");
    const run = await runCli(["run", twoTowers, "-o", out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the model has 2 outputs (score, d_t); give an existing directory");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 1 with a KML70x error for a model kerasc cannot execute", async () => {
    // Every layer lowers now; a configuration can still be refused (two sizes known only at run time).
    const path = join(dir, "unreshapable.kml");
    writeFileSync(
      path,
      "dim T\ndim U\nmodel m {\n  x = Input(shape=(T, U, 4))\n  y = Reshape((U, T, 4))(x)\n  outputs y\n}\n",
    );
    const run = await runCli(["run", path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error KML703: .*Reshape.* cannot be executed: .*2 sizes known only at run time/,
    );
  });
});
