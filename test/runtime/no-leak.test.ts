// Memory over many predicts, for every model of every sample (samples/*.kml, found on disk, so a new sample
// is covered without a list to update): each predict leaves exactly the tensors it had before (the caller
// disposes the outputs), in inference and in training mode (dropout, noise and recurrent-dropout masks,
// batch statistics), with caller-owned tensors and with typed arrays; a stateful model holds a fixed set of
// states, freed by resetStates(); dispose() frees every weight.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import { disposeSteps, prepareSteps } from "../../src/runtime/executor.js";
import { loadModel } from "../../src/runtime/model.js";
import { defaultOps } from "../../src/runtime/ops/tf-ops.js";
import type { Program } from "../../src/runtime/program.js";
import { type InputSizes, type Lowered, lowerSource, randomInputs, SAMPLES } from "./executor-helpers.js";

/** `npm run test:slow` (CI runs it after `npm test`): the full 50 predicts everywhere, heavy models included. */
const SLOW = process.env.KERASC_SLOW_TESTS === "1";

/**
 * Predicts per model on each backend: the acceptance criterion's 50 on wasm, the default backend and the
 * faster; on cpu, where the samples' convolutions and recurrences take up to half a second a predict, one
 * in each input form, one of them in training mode, which shows a tensor any predict leaves behind.
 */
const PREDICTS: Readonly<Record<Exclude<BackendName, "webgl">, number>> = { wasm: 50, cpu: SLOW ? 50 : 2 };

/** Unknown dims kept small (a batch of 1, 3 timesteps): the count of tensors does not depend on them. */
const SIZES: InputSizes = { batch: 1, unknown: 3 };

/**
 * Models whose inputs are large and fixed, so that one predict costs about a second on wasm even at the
 * smallest sizes, and 15-45 s on cpu (measured on the 2-core development machine): ConvLSTM2D on 40x40
 * frames with 40 filters, four times; a Conv2D with 64 filters on ten 299x299 images. They run
 * `HEAVY_PREDICTS` predicts on wasm only, one batch sample and 2 timesteps (50 in `npm run test:slow`).
 */
const HEAVY = new Set(["conv_lstm_movies", "time_distributed_conv"]);
/** Each input form once, one of them in training mode; the criterion's 50 in the slow run. */
const HEAVY_PREDICTS = SLOW ? 50 : 2;
const HEAVY_SIZES: InputSizes = { batch: 1, unknown: 2 };

interface Case {
  /** "rnn_lstm.kml/stacked_lstm" */
  readonly label: string;
  readonly model: string;
  readonly lowered: Lowered;
}

/** Every sample file at the top of samples/ (samples/lib holds the blocks they import). */
const SAMPLE_FILES = readdirSync(SAMPLES)
  .filter((name) => name.endsWith(".kml") || name.endsWith(".kml.json"))
  .sort();

const CASES: Case[] = SAMPLE_FILES.flatMap((file) => {
  const path = join(SAMPLES, file);
  return lowerSource(readFileSync(path, "utf8"), path).map((lowered) => ({
    label: `${file}/${lowered.graph.name}`,
    model: lowered.graph.name,
    lowered,
  }));
});

/** Whether some step keeps state between predicts (Keras's stateful=True). */
const isStateful = (program: Program) =>
  program.steps.some((step) => (step.attrs as { readonly stateful?: unknown }).stateful === true);

/** How many tensors the ops' `prepare` make of these weights on the active backend (the model owns them too). */
function preparedCount(program: Program, weights: ReadonlyMap<string, tf.Tensor>): number {
  const steps = prepareSteps(program, weights, defaultOps);
  const count = steps.reduce((n, step) => n + step.prepared.length, 0);
  disposeSteps(steps);
  return count;
}

/**
 * Loads the model, runs `predicts` predicts checking the tensor count after each, then resets the states and
 * disposes the model, checking that the count is back where it was before loading.
 */
async function expectNoLeak(program: Program, backend: BackendName, predicts: number, sizes: InputSizes) {
  // Start the backend first: starting it may create tensors of its own.
  await selectBackend(backend);
  const start = tf.memory().numTensors;
  const model = await loadModel(program, { backend, seed: 3 });
  expect(tf.memory().numTensors).toBe(start + program.weights.length + preparedCount(program, model.weights));

  const typed = randomInputs(program, 1, sizes);
  const tensors = typed.map((input, i) => tf.tensor(input.data, input.shape, program.inputs[i]!.dtype));
  const before = tf.memory().numTensors;
  let steady: number | undefined;
  for (let i = 0; i < predicts; i++) {
    // Alternate the two input forms (caller-owned tensors; typed arrays the run turns into tensors), and
    // inference with training, in which dropout, noise and recurrent dropout draw masks: any two
    // consecutive predicts differ in form, predicts 1-2 in mode too, and predicts 1-4 are all four pairs.
    const training = i % 4 === 1 || i % 4 === 2;
    const outputs = model.predict(i % 2 === 0 ? tensors : typed, { training });
    expect(outputs).toHaveLength(program.outputs.length);
    tf.dispose(outputs);
    const count = tf.memory().numTensors;
    if (steady === undefined) {
      // The first predict may leave only the states a stateful layer holds for the next one.
      if (isStateful(program)) expect(count).toBeGreaterThan(before);
      else expect(count, "after the first predict").toBe(before);
      steady = count;
    }
    expect(count, `after predict ${i + 1} (${training ? "training" : "inference"})`).toBe(steady);
  }
  for (const tensor of tensors) expect(tensor.isDisposed).toBe(false);
  tf.dispose(tensors);
  model.resetStates();
  expect(tf.memory().numTensors).toBe(before - tensors.length);
  model.dispose();
  for (const weight of model.weights.values()) expect(weight.isDisposed).toBe(true);
  expect(tf.memory().numTensors).toBe(start);
}

describe("the samples", () => {
  it("are every .kml file of samples/, each defining at least one model", () => {
    expect(SAMPLE_FILES.length).toBeGreaterThan(20);
    for (const file of SAMPLE_FILES) expect(CASES.some((c) => c.label.startsWith(`${file}/`))).toBe(true);
  });

  it("name every heavy model among them", () => {
    for (const model of HEAVY) expect(CASES.map((c) => c.model)).toContain(model);
  });
});

describe.each(["wasm", "cpu"] as const)("memory on %s", (backend) => {
  const cases = CASES.filter((c) => backend === "wasm" || !HEAVY.has(c.model)).map((c) => {
    const heavy = HEAVY.has(c.model);
    return { ...c, predicts: heavy ? HEAVY_PREDICTS : PREDICTS[backend], sizes: heavy ? HEAVY_SIZES : SIZES };
  });
  it.each(cases)(
    "$label: $predicts predicts leave no tensor behind; dispose frees every weight",
    async ({ lowered, predicts, sizes }) => {
      await expectNoLeak(lowered.program, backend, predicts, sizes);
    },
    SLOW ? 900_000 : 30_000,
  );
});
