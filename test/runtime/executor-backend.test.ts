// The wasm fallback: with the wasm backend unavailable (its package mocked away, so it never registers),
// selecting wasm warns and runs on cpu, and a model loads and predicts there.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it, vi } from "vitest";
import { selectBackend } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { PROGRAM_VERSION, type Program } from "../../src/runtime/program.js";

vi.mock("@tensorflow/tfjs-backend-wasm", () => ({ setWasmPaths: () => {} }));

/** y = relu(x): the smallest program with a step. */
const RELU: Program = {
  version: PROGRAM_VERSION,
  inputs: [{ name: "x", slot: 0, shape: [null, 2], dtype: "float32" }],
  outputs: [{ name: "y", slot: 1 }],
  weights: [],
  steps: [{ op: "activation", inputs: [0], outputs: [1], attrs: { fn: "relu" }, weights: [], frees: [0] }],
};

describe("when wasm cannot start", () => {
  it("selectBackend warns and falls back to cpu", async () => {
    const warnings: string[] = [];
    expect(await selectBackend("wasm", { warn: (m) => warnings.push(m) })).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(warnings).toEqual(["kerasc: the wasm backend could not start; running on cpu instead"]);
  });

  it("loadModel runs on cpu, the default backend being wasm", async () => {
    const warn = vi.fn();
    const model = await loadModel(RELU, { warn });
    expect(model.backend).toBe("cpu");
    expect(warn).toHaveBeenCalledOnce();
    const [y] = model.predict([{ data: new Float32Array([-1, 2]), shape: [1, 2] }]);
    expect(Array.from(y!.dataSync())).toEqual([0, 2]);
    tf.dispose(y!);
    model.dispose();
  });
});
