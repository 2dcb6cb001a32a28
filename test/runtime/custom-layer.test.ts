// Custom layers through the public API: the reference's "write your own layer" MyLayer (build a kernel of
// (input_dim, output_dim), call K.dot(x, kernel), compute_output_shape (batch, output_dim)) registered,
// compiled from .kml, checked, lowered and run on cpu and wasm against a hand-written product; a layer of
// two inputs with arguments; the errors a user meets.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { compile, loadModel, lowerProgram, registerLayer } from "../../src/index.js";
import type { BackendName } from "../../src/runtime/backend.js";
import { PROGRAM_VERSION, type Program } from "../../src/runtime/program.js";
import { expectClose, randomInputs } from "./executor-helpers.js";

registerLayer({
  name: "MyLayer",
  summary: "The Keras reference's example: x · kernel.",
  args: { output_dim: "int" },
  build: (inputShape, args) => [
    {
      name: "kernel",
      shape: [(inputShape as readonly number[])[1]!, args.output_dim as number],
      initializer: "uniform",
    },
  ],
  call: ([x], { kernel }) => tf.matMul(x!, kernel!),
  kernels: [tf.BatchMatMul],
  computeOutputShape: (inputShape, args) => [
    (inputShape as readonly (number | null)[])[0]!,
    args.output_dim as number,
  ],
});

registerLayer({
  name: "ScaledDifference",
  args: { factor: { type: "float", default: 2 }, squared: { type: "bool", default: false } },
  inputs: 2,
  call: ([a, b], _weights, args) => {
    const d = tf.mul(tf.sub(a!, b!), args.factor as number);
    return args.squared ? tf.square(d) : d;
  },
  computeOutputShape: (shapes) => {
    const [a, b] = shapes as readonly (readonly (number | null)[])[];
    if (a![1] !== b![1]) throw new Error(`the feature sizes differ: ${a![1]} and ${b![1]}`);
    return a!;
  },
});

function lowerText(text: string): Program {
  const compiled = compile(text, { fileName: "custom.kml" });
  expect(compiled.diagnostics).toEqual([]);
  const lowered = lowerProgram(compiled.ir!);
  expect(lowered.diagnostics).toEqual([]);
  return lowered.graphs[0]!.program!;
}

describe.each<BackendName>(["cpu", "wasm"])("custom layers on %s", (backend) => {
  it("MyLayer: compiles, declares its kernel, and computes x · kernel", async () => {
    const compiled = compile("sequential m(input_shape=(4,)) { MyLayer(output_dim=3) }", {
      fileName: "m.kml",
    });
    expect(compiled.diagnostics).toEqual([]);
    const graph = compiled.ir!.graphs[0]!;
    expect(graph.values.at(-1)!.type!.shape).toEqual([null, 3]);
    const program = lowerText("sequential m(input_shape=(4,)) { MyLayer(output_dim=3) }");
    expect(program.weights.map((w) => [w.name, w.shape, w.initializer?.className])).toEqual([
      ["my_layer_1/kernel", [4, 3], "RandomUniform"],
    ]);
    const model = await loadModel(program, { backend, seed: 5 });
    const kernel = model.weights.get("my_layer_1/kernel")!.dataSync();
    for (const v of kernel) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
    const [x] = randomInputs(program);
    const [y] = model.predict([x!]);
    const expected: number[] = [];
    for (let n = 0; n < 3; n++)
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let i = 0; i < 4; i++) sum += x!.data[n * 4 + i]! * kernel[i * 3 + j]!;
        expected.push(sum);
      }
    expect(y!.shape).toEqual([3, 3]);
    expectClose(y!, expected, 1e-5);
    tf.dispose(y!);
    model.dispose();
  });

  it("MyLayer inside a model, between built-in layers, leaves no tensors behind", async () => {
    const program = lowerText(
      'sequential m(input_shape=(6,)) { Dense(4, activation="relu")\n MyLayer(5)\n Activation("softmax") }',
    );
    const model = await loadModel(program, { backend });
    const [x] = randomInputs(program);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const [y] = model.predict([x!]);
      expect(y!.shape).toEqual([3, 5]);
      tf.dispose(y!);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("a custom layer of two inputs gets its arguments, defaults included", async () => {
    const program = lowerText(
      "model m { a = Input(shape=(3,))\n b = Input(shape=(3,))\n y = ScaledDifference(squared=True)([a, b])\n outputs y }",
    );
    const model = await loadModel(program, { backend });
    const [a, b] = randomInputs(program);
    const [y] = model.predict([a!, b!]);
    expectClose(
      y!,
      Array.from(a!.data, (v, i) => (2 * (v - b!.data[i]!)) ** 2),
      1e-5,
    );
    tf.dispose(y!);
    model.dispose();
  });
});

describe("custom layer errors", () => {
  it("a bad argument and a shape computeOutputShape rejects are diagnostics", () => {
    const bad = compile("sequential m(input_shape=(4,)) { MyLayer(output_dim=1.5) }", { fileName: "m.kml" });
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    const missing = compile("sequential m(input_shape=(4,)) { MyLayer() }", { fileName: "m.kml" });
    expect(missing.diagnostics.length).toBeGreaterThan(0);
    const clash = compile(
      "model m { a = Input(shape=(3,))\n b = Input(shape=(2,))\n y = ScaledDifference()([a, b])\n outputs y }",
      { fileName: "m.kml" },
    );
    expect(clash.diagnostics.map((d) => d.message).join("\n")).toContain("the feature sizes differ: 3 and 2");
  });

  it("registering a name twice throws", () => {
    expect(() =>
      registerLayer({
        name: "MyLayer",
        call: ([x]) => x!,
        computeOutputShape: (s) => s as readonly number[],
      }),
    ).toThrow();
  });

  it("a program naming a custom layer this runtime does not know fails at load, naming it", async () => {
    const program: Program = {
      version: PROGRAM_VERSION,
      inputs: [{ name: "x", slot: 0, shape: [null, 2], dtype: "float32" }],
      outputs: [{ name: "y", slot: 1 }],
      weights: [],
      steps: [
        {
          op: "custom",
          inputs: [0],
          outputs: [1],
          attrs: { layer: "Unknown", args: {}, weights: [] },
          weights: [],
          frees: [0],
        },
      ],
    };
    await expect(loadModel(program, { backend: "cpu" })).rejects.toThrow(/Unknown.*registerLayer/);
  });
});
