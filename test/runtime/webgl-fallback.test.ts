// webgl in Node: tfjs registers the webgl backend only in a browser, so asking for it warns once and runs on
// wasm, computing what cpu computes, with no tensor left behind (the browser test runs webgl itself).
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { compile, loadPlan, type Plan } from "../../src/index.js";
import { selectBackend } from "../../src/runtime/backend.js";
import { expectClose, randomInputs } from "./executor-helpers.js";

const SAMPLES = join(import.meta.dirname, "../../samples");

/** One model of each kind the executor treats per backend: dense, convolutional, recurrent (Embedding + LSTM). */
const PLANS: readonly string[] = ["mnist_mlp", "conv_autoencoder", "embedding"];

function planOf(sample: string): Plan {
  const result = compile({ path: join(SAMPLES, `${sample}.kml`) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.plan!;
}

describe("webgl in Node", () => {
  it("selectBackend warns once and falls back to wasm", async () => {
    const warnings: string[] = [];
    expect(await selectBackend("webgl", { warn: (m) => warnings.push(m) })).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(warnings).toEqual(["kerasc: the webgl backend could not start; running on wasm instead"]);
  });

  it.each(PLANS)("%s loads on webgl, runs on wasm, equals cpu and leaks nothing", async (sample) => {
    const plan = planOf(sample);
    const inputs = randomInputs(plan, 7);
    const warnings: string[] = [];
    const fallback = await loadPlan(plan, { backend: "webgl", seed: 1, warn: (m) => warnings.push(m) });
    const cpu = await loadPlan(plan, { backend: "cpu", seed: 1 });
    try {
      expect(fallback.backend).toBe("wasm");
      expect(warnings).toHaveLength(1);
      await selectBackend(fallback.backend);
      const before = tf.memory().numTensors;
      const actual = fallback.predict(inputs);
      const values = actual.map((t) => Float32Array.from(t.dataSync()));
      tf.dispose(actual);
      expect(tf.memory().numTensors).toBe(before);
      const expected = cpu.predict(inputs);
      expected.forEach((t, i) => {
        expectClose(tf.tensor(values[i]!, t.shape), t);
      });
      tf.dispose(expected);
    } finally {
      fallback.dispose();
      cpu.dispose();
    }
  });
});
