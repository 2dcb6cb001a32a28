// The `upsample` op (nearest UpSampling1D/2D/3D) against its plain definition, y[i] = x[⌊i / f⌋] on every
// axis, on cpu and wasm: the ResizeNearestNeighbor path in every layout and rank, the tile fallback (int32,
// factors the resize kernels round wrong), and which kernels run (2D channels-last: one resize, nothing
// else). resizeIsExact is checked against the kernels themselves.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { resizeIsExact } from "../../src/runtime/ops/pad-crop.js";
import { PROGRAM_VERSION, type Program } from "../../src/runtime/program.js";
import { upsampleReference } from "./conv-test-helpers.js";

/** One upsample step over an input of `shape`. */
function upsampleProgram(
  shape: readonly number[],
  factors: readonly number[],
  dtype: "float32" | "int32",
): Program {
  return {
    version: PROGRAM_VERSION,
    inputs: [{ name: "x", slot: 0, shape, dtype }],
    outputs: [{ name: "y", slot: 1 }],
    weights: [],
    steps: [{ op: "upsample", attrs: { factors }, inputs: [0], outputs: [1], weights: [], frees: [0] }],
  };
}

/** Distinct values (so a wrong source index shows), negative ones too. */
const values = (size: number) => Float32Array.from({ length: size }, (_, i) => ((i * 7919) % 1000) - 500.25);

const CASES: readonly (readonly [string, number[], number[]])[] = [
  ["2D channels-last (2, 2)", [2, 5, 4, 3], [1, 2, 2, 1]],
  ["2D channels-last (2, 3)", [3, 4, 5, 2], [1, 2, 3, 1]],
  ["2D channels-last rows only", [2, 3, 4, 2], [1, 3, 1, 1]],
  ["2D channels-last cols only", [2, 3, 4, 2], [1, 1, 4, 1]],
  ["2D channels-first (2, 3)", [2, 3, 4, 5], [1, 1, 2, 3]],
  ["1D channels-last 3", [2, 4, 3], [1, 3, 1]],
  ["1D channels-first 2", [2, 3, 4], [1, 1, 2]],
  ["3D channels-last (2, 1, 3)", [2, 2, 3, 2, 2], [1, 2, 1, 3, 1]],
  ["3D channels-last (2, 2, 2)", [1, 2, 3, 4, 2], [1, 2, 2, 2, 1]],
  ["3D channels-first (3, 2, 2)", [2, 2, 2, 3, 2], [1, 1, 3, 2, 2]],
  ["non-adjacent axes", [2, 3, 2, 4], [1, 2, 1, 3]],
  ["a factor the resize kernels round wrong (41): tile", [1, 2, 3, 2], [1, 41, 2, 1]],
  ["large factors (7, 16)", [1, 9, 5, 2], [1, 7, 16, 1]],
];

describe.each<BackendName>(["cpu", "wasm"])("upsample on %s", (backend) => {
  it.each(CASES)("%s equals the plain definition", async (_label, shape, factors) => {
    const model = await loadModel(upsampleProgram(shape, factors, "float32"), { backend });
    const data = values(shape.reduce((a, b) => a * b, 1));
    const before = tf.memory().numTensors;
    const [y] = model.predict([{ data, shape }]);
    const expected = upsampleReference({ data, shape }, factors);
    expect(y!.shape).toEqual(expected.shape);
    expect(y!.dtype).toBe("float32");
    // Copies of the input's values: exactly equal.
    expect(Array.from(y!.dataSync())).toEqual(Array.from(expected.data));
    y!.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("keeps int32 inputs int32 (tile)", async () => {
    const shape = [2, 3, 2, 2];
    const factors = [1, 2, 3, 1];
    const model = await loadModel(upsampleProgram(shape, factors, "int32"), { backend });
    const data = Int32Array.from({ length: 24 }, (_, i) => i * 3 - 20);
    const [y] = model.predict([{ data, shape }]);
    expect(y!.dtype).toBe("int32");
    expect(Array.from(y!.dataSync())).toEqual(Array.from(upsampleReference({ data, shape }, factors).data));
    y!.dispose();
    model.dispose();
  });

  it("2D channels-last runs one ResizeNearestNeighbor and no other kernel", async () => {
    const shape = [2, 4, 4, 3];
    const model = await loadModel(upsampleProgram(shape, [1, 2, 2, 1], "float32"), { backend });
    const profile = await tf.profile(() => {
      tf.dispose(model.predict([{ data: values(96), shape }]));
    });
    expect(profile.kernels.map((k) => k.name)).toEqual(["ResizeNearestNeighbor"]);
    model.dispose();
  });

  it("all factors 1 returns the input's values without a kernel", async () => {
    const shape = [1, 2, 2, 1];
    const model = await loadModel(upsampleProgram(shape, [1, 1, 1, 1], "float32"), { backend });
    const data = values(4);
    const [y] = model.predict([{ data, shape }]);
    expect(Array.from(y!.dataSync())).toEqual(Array.from(data));
    y!.dispose();
    model.dispose();
  });

  it("resizeIsExact holds the kernel to ⌊i / f⌋ (lengths 1–40, factors 1–48), and is false where it misses", async () => {
    await selectBackend(backend);
    const wrong: string[] = [];
    const guarded: string[] = [];
    for (let n = 1; n <= 40; n++) {
      // Each source row holds its own index.
      const rows = tf.tensor4d(
        Float32Array.from({ length: n }, (_, i) => i),
        [1, n, 1, 1],
      );
      for (let f = 1; f <= 48; f++) {
        const resized = tf.image.resizeNearestNeighbor(rows, [n * f, 1], false, false);
        const got = resized.dataSync();
        resized.dispose();
        const exact = got.every((row, i) => row === Math.floor(i / f));
        if (resizeIsExact(n, f) && !exact) wrong.push(`${n}×${f}`);
        if (!resizeIsExact(n, f)) guarded.push(`${n}×${f}`);
      }
      rows.dispose();
    }
    expect(wrong).toEqual([]);
    // The guard is needed: some factor in this range is rounded wrong by a kernel.
    expect(guarded.length).toBeGreaterThan(0);
  });
});
