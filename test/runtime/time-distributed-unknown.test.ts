// TimeDistributed when neither the batch nor the timesteps are known at compile time (Input(shape=(None, ...))
// or a symbolic dim T): one loaded model fed two different timestep counts (and batch sizes), each output
// compared with TF.js layers' TimeDistributed run on cpu with the same weights.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { forKey } from "../../src/runtime/random.js";
import { expectClose, lowerOne } from "./executor-helpers.js";

interface Case {
  readonly name: string;
  readonly source: string;
  /** The shape of one timestep (after batch and time). */
  readonly step: readonly number[];
  /** The TF.js layers twin, built on an input of shape (None, None, ...step). */
  readonly twin: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor;
}

const CASES: readonly Case[] = [
  {
    name: "TimeDistributed(Dense) on Input(shape=(None, 8))",
    source: `model m { x = Input(shape=(None, 8))\n y = TimeDistributed(Dense(4, activation="tanh"))(x)\n outputs y }`,
    step: [8],
    twin: (x) =>
      tfl.layers
        .timeDistributed({ layer: tfl.layers.dense({ units: 4, activation: "tanh" }) })
        .apply(x) as tfl.SymbolicTensor,
  },
  {
    name: "TimeDistributed(Dense) on a symbolic T, 4D steps",
    source: `dim T\nmodel m { x = Input(shape=(T, 3, 5))\n y = TimeDistributed(Dense(2))(x)\n outputs y }`,
    step: [3, 5],
    twin: (x) =>
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }) }).apply(x) as tfl.SymbolicTensor,
  },
  {
    name: "TimeDistributed(Conv2D), then Flatten and Dense per timestep",
    source: [
      "model m {",
      "  x = Input(shape=(None, 6, 5, 2))",
      '  c = TimeDistributed(Conv2D(3, (3, 2), activation="relu"))(x)',
      "  f = TimeDistributed(Flatten())(c)",
      "  y = TimeDistributed(Dense(4))(f)",
      "  outputs c, y",
      "}",
    ].join("\n"),
    step: [6, 5, 2],
    twin: (x) => {
      const c = tfl.layers
        .timeDistributed({ layer: tfl.layers.conv2d({ filters: 3, kernelSize: [3, 2], activation: "relu" }) })
        .apply(x) as tfl.SymbolicTensor;
      const f = tfl.layers.timeDistributed({ layer: tfl.layers.flatten() }).apply(c) as tfl.SymbolicTensor;
      const y = tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4 }) }).apply(f);
      return [c, y] as unknown as tfl.SymbolicTensor;
    },
  },
];

/** (batch, timesteps) pairs fed to the same loaded model. */
const FEEDS: readonly (readonly [number, number])[] = [
  [2, 3],
  [3, 7],
];

interface Expected {
  readonly weights: Map<string, Float32Array>;
  readonly inputs: { data: Float32Array; shape: number[] }[];
  readonly outputs: { data: Float32Array; shape: number[] }[][];
}

/** The twin's initial weights (named as the program's, positionally) and its outputs for every feed, on cpu. */
async function reference(c: Case, weightNames: readonly string[]): Promise<Expected> {
  await selectBackend("cpu");
  const x = tfl.input({ shape: [null, ...c.step] });
  const out = c.twin(x);
  const twin = tfl.model({ inputs: x, outputs: out });
  const values = twin.getWeights();
  expect(values.length).toBe(weightNames.length);
  const weights = new Map(weightNames.map((name, i) => [name, values[i]!.dataSync() as Float32Array]));
  const inputs = FEEDS.map(([batch, steps], i) => {
    const shape = [batch, steps, ...c.step];
    const size = shape.reduce((a, b) => a * b, 1);
    return { data: forKey(7, `feed/${i}`).uniform(size, -1, 1), shape };
  });
  const outputs = inputs.map((input) => {
    const tx = tf.tensor(input.data, input.shape);
    const predicted = twin.predict(tx);
    const list = Array.isArray(predicted) ? predicted : [predicted];
    const result = list.map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape }));
    tf.dispose([tx, ...list]);
    return result;
  });
  twin.dispose();
  return { weights, inputs, outputs };
}

describe.each(["cpu", "wasm"] as BackendName[])(
  "TimeDistributed with unknown batch and timesteps on %s",
  (backend) => {
    it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const { program } = lowerOne(c.source);
      expect(program.inputs[0]!.shape.slice(0, 2).some((d) => typeof d === "number")).toBe(false);
      const expected = await reference(
        c,
        program.weights.map((w) => w.name),
      );
      const model = await loadModel(program, { backend, weights: expected.weights });
      expect(model.backend).toBe(backend);
      expected.inputs.forEach((input, feed) => {
        const start = tf.memory().numTensors;
        const ours = model.predict([input]);
        expect(ours.length).toBe(expected.outputs[feed]!.length);
        ours.forEach((tensor, i) => {
          const want = expected.outputs[feed]![i]!;
          expect(tensor.shape).toEqual(want.shape);
          expectClose(tensor, want.data);
        });
        tf.dispose(ours);
        expect(tf.memory().numTensors).toBe(start);
      });
      model.dispose();
    });
  },
);
