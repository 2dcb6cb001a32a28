// LocallyConnected1D/2D executing (SPEC §7), which TF.js layers lacks: against Keras 2's local_conv written as
// plain loops (conv-test-helpers' localConvReference), on cpu and wasm, in both data formats, with strides,
// activations and without bias; the samples' models run without leaking.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { expectMatches, localConvReference, runOurs, single } from "./conv-test-helpers.js";
import { lowerSample, randomInputs } from "./executor-helpers.js";

type Format = "channels_last" | "channels_first";
const FORMATS: readonly Format[] = ["channels_last", "channels_first"];
const shapeOf = (spatial: readonly number[], channels: number, f: Format) =>
  `(${(f === "channels_first" ? [channels, ...spatial] : [...spatial, channels]).join(", ")})`;

const ACTIVATIONS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  tanh: Math.tanh,
};

/** (label, spatial input, kerasc arguments, kernel size, strides, activation, bias). */
const CASES = [
  ["1D kernel 3", [7], "3", [3], [1], "linear", true],
  ["1D kernel 2 strides 2 relu", [7], '2, strides=2, activation="relu"', [2], [2], "relu", true],
  ["1D kernel 1, no bias", [5], "1, use_bias=False", [1], [1], "linear", false],
  ["2D kernel 3", [5, 6], "(3, 3)", [3, 3], [1, 1], "linear", true],
  [
    "2D kernel (2, 3) strides (2, 1) tanh",
    [6, 5],
    '(2, 3), strides=(2, 1), activation="tanh"',
    [2, 3],
    [2, 1],
    "tanh",
    true,
  ],
  ["2D kernel 2 strides 2, no bias", [5, 5], "2, strides=2, use_bias=False", [2, 2], [2, 2], "linear", false],
] as const;

describe.each<BackendName>(["cpu", "wasm"])("locally-connected layers on %s", (backend) => {
  it.each(CASES.flatMap((c) => FORMATS.map((f) => [`${c[0]} ${f}`, f, c] as const)))(
    "LocallyConnected%s matches Keras's local_conv",
    async (_name, f, [, spatial, args, kernelSize, strides, activation, bias]) => {
      const rank = spatial.length;
      const run = await runOurs(
        single(shapeOf(spatial, 3, f), `LocallyConnected${rank}D(4, ${args}, data_format="${f}")`),
        backend,
      );
      expect(run.weights.has("bias")).toBe(bias);
      const linear = localConvReference(
        run.x,
        run.weights.get("kernel")!,
        run.weights.get("bias"),
        kernelSize,
        strides,
        f === "channels_first",
      );
      expectMatches(run, { data: Array.from(linear.data, ACTIVATIONS[activation]!), shape: linear.shape });
    },
  );

  it("LocallyConnected2D softmax is over the output's last axis, channels_first too", async () => {
    const run = await runOurs(
      single("(2, 4, 5)", 'LocallyConnected2D(3, 2, activation="softmax", data_format="channels_first")'),
      backend,
    );
    const linear = localConvReference(
      run.x,
      run.weights.get("kernel")!,
      run.weights.get("bias"),
      [2, 2],
      [1, 1],
      true,
    );
    const width = linear.shape[linear.shape.length - 1]!;
    const data = Array.from(linear.data);
    for (let start = 0; start < data.length; start += width) {
      const row = data.slice(start, start + width);
      const max = Math.max(...row);
      const sum = row.reduce((a, v) => a + Math.exp(v - max), 0);
      row.forEach((v, i) => {
        data[start + i] = Math.exp(v - max) / sum;
      });
    }
    expectMatches(run, { data, shape: linear.shape });
  });

  it("the locally_connected sample's models run without leaking", async () => {
    for (const { program } of lowerSample("locally_connected")) {
      const start = tf.memory().numTensors;
      const model = await loadModel(program, { backend });
      const inputs = randomInputs(program);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const outputs = model.predict(inputs);
        expect(outputs[0]!.shape[0]).toBe(3);
        tf.dispose(outputs);
        expect(tf.memory().numTensors).toBe(before);
      }
      model.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});
