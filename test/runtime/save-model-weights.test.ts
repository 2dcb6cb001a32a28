// Saving a loaded model's weights in one call: Model.getWeights (a copy, by Keras name, in C order) and
// saveModelWeights writing the TF.js weights format, read back with readWeightsDir into a second load of the
// same program: identical predictions, and a manifest listing every weight of the program.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import {
  readWeightsDir,
  saveModelWeights,
  WEIGHTS_MANIFEST_FILE,
} from "../../src/runtime/weights-format-node.js";
import { lowerOne, randomInputs } from "./executor-helpers.js";

// Trainable and non-trainable weights (BatchNormalization's moving statistics), of several ranks.
const SOURCE = `sequential m(input_shape=(6, 5, 2)) {
  Conv2D(3, (3, 2), activation="relu")
  BatchNormalization()
  Flatten()
  Dense(4, activation="tanh")
  Dense(2, use_bias=False)
}`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "kerasc-save-weights-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The model's single output for `inputs`, as plain numbers. */
function predictValues(model: api.Model, inputs: ReturnType<typeof randomInputs>): Float32Array {
  const [y] = model.predict(inputs);
  const values = y!.dataSync().slice() as Float32Array;
  y!.dispose();
  return values;
}

describe.each<BackendName>(["cpu", "wasm"])("saving a model's weights on %s", (backend) => {
  it("getWeights is a copy of every weight, by Keras name in the program's order", async () => {
    const { program } = lowerOne(SOURCE);
    const model = await loadModel(program, { backend, seed: 11 });
    const weights = model.getWeights();
    expect([...weights.keys()]).toEqual(program.weights.map((w) => w.name));
    for (const decl of program.weights) {
      const values = weights.get(decl.name)!;
      expect(values).toBeInstanceOf(Float32Array);
      expect(values.length).toBe(decl.shape.reduce((a, b) => a * b, 1));
      expect(Array.from(values)).toEqual(Array.from(model.weights.get(decl.name)!.dataSync()));
    }
    // Writing into the copy changes neither the model nor a later copy.
    const kernel = program.weights[0]!.name;
    const before = weights.get(kernel)![0]!;
    weights.get(kernel)!.fill(123);
    expect(model.getWeights().get(kernel)![0]).toBe(before);
    expect(model.weights.get(kernel)!.dataSync()[0]).toBe(before);
    model.dispose();
    expect(() => model.getWeights()).toThrow(/disposed/);
  });

  it("saveModelWeights writes a manifest of every weight; loading it back predicts the same numbers", async () => {
    const { program } = lowerOne(SOURCE);
    const inputs = randomInputs(program);
    const saved = await loadModel(program, { backend, seed: 11 });
    const expected = predictValues(saved, inputs);
    const dir = join(root, "weights");
    const written = await saveModelWeights(saved, dir, { shardBytes: 256 });
    expect(written.ok).toBe(true);
    saved.dispose();

    // The manifest, read as plain JSON: every weight of the program with its shape and dtype, in order.
    const manifest = JSON.parse(readFileSync(join(dir, WEIGHTS_MANIFEST_FILE), "utf8")) as {
      paths: string[];
      weights: { name: string; shape: number[]; dtype: string }[];
    }[];
    const listed = manifest.flatMap((group) => group.weights);
    expect(listed.map((w) => [w.name, w.shape, w.dtype])).toEqual(
      program.weights.map((w) => [w.name, [...w.shape], "float32"]),
    );
    const shards = manifest.flatMap((group) => group.paths);
    expect(shards.length).toBeGreaterThan(1);
    expect(readdirSync(dir).sort()).toEqual([...shards, WEIGHTS_MANIFEST_FILE].sort());

    const read = await readWeightsDir(dir);
    if (!read.ok) throw new Error(read.error.message);
    const values = new Map(read.weights.map((w) => [w.name, w.data as Float32Array]));
    // Another seed: only the saved weights can make the outputs agree (checked: its own differ).
    const reseeded = await loadModel(program, { backend, seed: 12 });
    expect(Array.from(predictValues(reseeded, inputs))).not.toEqual(Array.from(expected));
    reseeded.dispose();
    const loaded = await loadModel(program, { backend, seed: 12, weights: values });
    expect(Array.from(predictValues(loaded, inputs))).toEqual(Array.from(expected));
    loaded.dispose();
  });

  it("is part of the public API", async () => {
    expect(api.saveModelWeights).toBe(saveModelWeights);
    const { program } = lowerOne("sequential m(input_shape=(3,)) { Dense(2) }");
    const model = await api.loadModel(program, { backend });
    const start = tf.memory().numTensors;
    const written = await api.saveModelWeights(model, join(root, "dense"));
    expect(tf.memory().numTensors).toBe(start);
    expect(written.ok && written.files.length).toBe(2);
    model.dispose();
  });
});
