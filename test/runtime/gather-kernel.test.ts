// Embedding's lookup as the runtime runs it (direct-kernels.ts `gather`): on cpu kerasc's row-copy kernel
// (src/runtime/cpu/gather-kernel.ts), on wasm GatherNd over the indices with a trailing axis (tfjs-wasm's
// GatherV2 is ~10× slower) — both bit-identical to tf.gather, both refusing an index outside the table
// with GatherV2's own message (GatherNd alone would read whatever lies past the table), and leak-free.
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type BackendName, selectBackend } from "../../src/runtime/backend.js";
import * as direct from "../../src/runtime/ops/direct-kernels.js";

const table = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 1.7) * 3),
    shape,
  );

describe.each<[BackendName, string]>([
  ["cpu", "KerascGather"],
  ["wasm", "GatherNd"],
])("gather on %s", (backend, kernel) => {
  it.each([
    [[7, 4], [5]],
    [
      [7, 4],
      [2, 3],
    ],
    [
      [7, 2, 3],
      [4, 1],
    ],
    [[7, 4], [0]],
  ])("rows of a %j table at %j indices equal tf.gather", async (shape, indexShape) => {
    await selectBackend(backend);
    const x = table(shape);
    const count = indexShape.reduce((a, b) => a * b, 1);
    const indices = tf.tensor(
      Int32Array.from({ length: count }, (_, i) => (i * 5 + 3) % shape[0]!),
      indexShape,
      "int32",
    );
    const before = tf.memory().numTensors;
    const ours = direct.gather(x, indices, 0);
    expect(tf.memory().numTensors).toBe(before + 1);
    const theirs = tf.gather(x, indices, 0);
    expect(ours.shape).toEqual(theirs.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    tf.dispose([x, indices, ours, theirs]);
  });

  it("runs its kernel alone", async () => {
    await selectBackend(backend);
    const x = table([7, 4]);
    const indices = tf.tensor1d([1, 6, 0], "int32");
    const profile = await tf.profile(() => {
      tf.dispose(direct.gather(x, indices, 0));
    });
    expect(profile.kernels.map((k) => k.name).filter((name) => name !== "Reshape")).toEqual([kernel]);
    tf.dispose([x, indices]);
  });

  it.each([7, -1, 1000])("refuses the index %i of a 7-row table as GatherV2 does", async (bad) => {
    await selectBackend(backend);
    const x = table([7, 4]);
    const indices = tf.tensor1d([2, bad], "int32");
    const before = tf.memory().numTensors;
    expect(() => direct.gather(x, indices, 0)).toThrow(`GatherV2: the index value ${bad} is not in [0, 6]`);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, indices]);
  });
});
