// The TF.js weights format: round trips, sharding, byte-for-byte agreement with tfjs-core's own encoder
// and loader, quantized weights, and every decoding error.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import type { WeightsError } from "../../src/runtime/errors.js";
import {
  DEFAULT_SHARD_BYTES,
  decodeWeights,
  encodeWeights,
  type NamedWeight,
  type WeightShard,
} from "../../src/runtime/weights-format.js";

const sample: NamedWeight[] = [
  {
    name: "dense_1/kernel",
    shape: [3, 4],
    dtype: "float32",
    data: Float32Array.from({ length: 12 }, (_, i) => i / 7 - 1),
  },
  { name: "dense_1/bias", shape: [4], dtype: "float32", data: new Float32Array([0.5, -0.5, 1e-8, 3e30]) },
  { name: "embedding/ids", shape: [2, 1], dtype: "int32", data: new Int32Array([-2147483648, 7]) },
  { name: "scalar", shape: [], dtype: "float32", data: new Float32Array([Math.PI]) },
  { name: "empty", shape: [0, 5], dtype: "float32", data: new Float32Array(0) },
];

function decoded(manifest: unknown, shards: readonly WeightShard[]): NamedWeight[] {
  const result = decodeWeights(manifest, shards);
  if (!result.ok) throw new Error(result.error.message);
  return result.weights;
}

function failure(manifest: unknown, shards: readonly WeightShard[]): WeightsError {
  const result = decodeWeights(manifest, shards);
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

const concat = (shards: readonly WeightShard[]) => {
  const out = new Uint8Array(shards.reduce((sum, shard) => sum + shard.bytes.length, 0));
  let offset = 0;
  for (const shard of shards) {
    out.set(shard.bytes, offset);
    offset += shard.bytes.length;
  }
  return out;
};

describe("encodeWeights / decodeWeights", () => {
  it("round-trip names, shapes, dtypes and values in one 4 MiB shard", () => {
    const { manifest, shards } = encodeWeights(sample);
    expect(DEFAULT_SHARD_BYTES).toBe(4194304);
    expect(manifest).toEqual([
      {
        paths: ["group1-shard1of1.bin"],
        weights: sample.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      },
    ]);
    expect(shards.map((shard) => shard.bytes.length)).toEqual([12 * 4 + 4 * 4 + 2 * 4 + 4]);
    expect(decoded(manifest, shards)).toEqual(sample);
  });

  it("split at shardBytes, weights straddling shard boundaries, and rejoin", () => {
    const { manifest, shards } = encodeWeights(sample, { shardBytes: 10 });
    expect(shards.map((shard) => shard.path)).toEqual(
      Array.from({ length: 8 }, (_, i) => `group1-shard${i + 1}of8.bin`),
    );
    expect(shards.map((shard) => shard.bytes.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 6]);
    expect(manifest[0]!.paths).toEqual(shards.map((shard) => shard.path));
    expect(decoded(manifest, [...shards].reverse())).toEqual(sample); // looked up by path, not position
  });

  it("no weights, or only empty ones, need no shards", () => {
    expect(encodeWeights([])).toEqual({ manifest: [{ paths: [], weights: [] }], shards: [] });
    const empty = encodeWeights([sample[4]!]);
    expect(empty.shards).toEqual([]);
    expect(decoded(empty.manifest, [])).toEqual([sample[4]]);
  });

  it("encodeWeights refuses inconsistent input (caller bugs)", () => {
    const weight = sample[0]!;
    expect(() => encodeWeights([{ ...weight, shape: [5] }])).toThrow(
      /declared float32 \[5\] but holds 12 float32/,
    );
    expect(() => encodeWeights([{ ...weight, dtype: "int32" }])).toThrow(RangeError);
    expect(() => encodeWeights([weight, weight])).toThrow(/two weights are named 'dense_1\/kernel'/);
    expect(() => encodeWeights(sample, { shardBytes: 0 })).toThrow(RangeError);
  });
});

describe("compatibility with tfjs-core", () => {
  const tensors = () =>
    sample.map(({ name, shape, dtype, data }) => ({ name, tensor: tf.tensor(data, [...shape], dtype) }));

  it("our bytes and manifest entries equal tf.io.encodeWeights' for the same tensors", async () => {
    const named = tensors();
    const theirs = await tf.io.encodeWeights(named);
    const ours = encodeWeights(sample, { shardBytes: 16 });
    expect(concat(ours.shards)).toEqual(new Uint8Array(theirs.data));
    expect(ours.manifest[0]!.weights).toEqual(theirs.specs);
    tf.dispose(named.map((each) => each.tensor));
  });

  it("we decode tf.io.encodeWeights' bytes; tf.io.decodeWeights decodes ours to the same values", async () => {
    const named = tensors();
    const theirs = await tf.io.encodeWeights(named);
    const ours = decoded(
      [{ paths: ["w.bin"], weights: theirs.specs }],
      [{ path: "w.bin", bytes: new Uint8Array(theirs.data) }],
    );
    expect(ours).toEqual(sample);
    const { manifest, shards } = encodeWeights(sample);
    const back = tf.io.decodeWeights(concat(shards).buffer, [
      ...manifest[0]!.weights,
    ] as tf.io.WeightsManifestEntry[]);
    for (const weight of sample) expect(back[weight.name]!.dataSync()).toEqual(weight.data);
    tf.dispose([...Object.values(back), ...named.map((each) => each.tensor)]);
  });

  it("TF.js's sharded weights loader reads our manifest and shards", async () => {
    const { manifest, shards } = encodeWeights(sample, { shardBytes: 12 });
    const files = new Map(shards.map((shard) => [shard.path, shard.bytes]));
    // The loader fetches `${prefix}/${path}`, as it would from a model.json's directory.
    const fetched: string[] = [];
    const load = tf.io.weightsLoaderFactory(async (urls) => {
      fetched.push(...urls);
      return urls.map((url) => files.get(url.replace("model/", ""))!.slice().buffer);
    });
    const loaded = await load(manifest as tf.io.WeightsManifestConfig, "model");
    expect(fetched).toEqual(shards.map((shard) => `model/${shard.path}`));
    for (const weight of sample) {
      expect(loaded[weight.name]!.shape).toEqual(weight.shape);
      expect(loaded[weight.name]!.dataSync()).toEqual(weight.data);
    }
    tf.dispose(Object.values(loaded));
  });

  it("dequantizes uint8, uint16 and float16 weights as tf.io.decodeWeights does", () => {
    const specs: tf.io.WeightsManifestEntry[] = [
      { name: "q8", shape: [3], dtype: "float32", quantization: { dtype: "uint8", scale: 0.1, min: -1 } },
      { name: "q16", shape: [2], dtype: "int32", quantization: { dtype: "uint16", scale: 0.5, min: 3 } },
      { name: "f16", shape: [2], dtype: "float32", quantization: { dtype: "float16" } },
    ];
    // uint8 [0, 10, 255] | uint16 LE [1, 65535] | float16 LE [1.5, -2]: 3 + 4 + 4 bytes (weights need not align).
    const data = Uint8Array.from([0, 10, 255, 1, 0, 0xff, 0xff, 0x00, 0x3e, 0x00, 0xc0]);
    const ours = decoded([{ paths: ["q.bin"], weights: specs }], [{ path: "q.bin", bytes: data }]);
    const theirs = tf.io.decodeWeights(data.buffer, specs);
    for (const weight of ours) expect(weight.data).toEqual(theirs[weight.name]!.dataSync());
    expect(ours.map((weight) => Array.from(weight.data))).toEqual([
      [Math.fround(-1), Math.fround(0), Math.fround(24.5)],
      [4, 32771],
      [1.5, -2],
    ]);
    expect(ours.map((weight) => weight.dtype)).toEqual(["float32", "int32", "float32"]);
    tf.dispose(Object.values(theirs));
  });
});

describe("decodeWeights errors", () => {
  const { manifest, shards } = encodeWeights(sample, { shardBytes: 32 });

  it("a missing shard is named", () => {
    expect(failure(manifest, shards.slice(1))).toEqual({
      kind: "weights",
      code: "missing-shard",
      where: "group1-shard1of3.bin",
      message: "shard 'group1-shard1of3.bin' (weight group 0, path 0) is missing",
    });
  });

  it("too few or too many bytes in a group's shards", () => {
    const short = [shards[0]!, shards[1]!, { path: shards[2]!.path, bytes: shards[2]!.bytes.subarray(1) }];
    const tooShort = failure(manifest, short);
    expect(tooShort).toMatchObject({ code: "size-mismatch", where: "[0].paths" });
    expect(tooShort.message).toBe(
      "the shards of weight group 0 hold 75 bytes, but its weights need 76: 'scalar' (float32 []) would end at byte 76",
    );
    const long = [
      ...shards.slice(0, 2),
      { path: shards[2]!.path, bytes: new Uint8Array(shards[2]!.bytes.length + 8) },
    ];
    expect(failure(manifest, long).message).toBe(
      "the shards of weight group 0 hold 84 bytes, 8 more than its weights need (76); the manifest does not describe these shards",
    );
  });

  it("unsupported dtypes are named, before any size check", () => {
    const withBool = [{ paths: ["a.bin"], weights: [{ name: "mask", shape: [2], dtype: "bool" }] }];
    expect(failure(withBool, [])).toEqual({
      kind: "weights",
      code: "unsupported-dtype",
      where: "[0].weights[0].dtype",
      message: "weight 'mask' has dtype 'bool'; kerasc reads float32 and int32 weights",
    });
    const complex = [{ paths: [], weights: [{ name: "z", shape: [1], dtype: "complex64" }] }];
    expect(failure(complex, []).message).toContain("dtype 'complex64'");
    const q4 = [
      { paths: [], weights: [{ name: "w", shape: [1], dtype: "float32", quantization: { dtype: "int4" } }] },
    ];
    expect(failure(q4, [])).toMatchObject({
      code: "unsupported-dtype",
      where: "[0].weights[0].quantization.dtype",
    });
    const f16Int = [
      { paths: [], weights: [{ name: "w", shape: [1], dtype: "int32", quantization: { dtype: "float16" } }] },
    ];
    expect(failure(f16Int, []).message).toContain("float16 quantization is only for float32 weights");
  });

  it("malformed manifests are located", () => {
    expect(failure({ weightsManifest: [] }, [])).toMatchObject({ code: "malformed-manifest", where: "" });
    expect(failure([null], [])).toMatchObject({ where: "[0]" });
    expect(failure([{ paths: "a.bin", weights: [] }], [])).toMatchObject({ where: "[0].paths" });
    expect(failure([{ paths: [], weights: {} }], [])).toMatchObject({ where: "[0].weights" });
    expect(failure([{ paths: [], weights: [{ shape: [1], dtype: "float32" }] }], [])).toMatchObject({
      where: "[0].weights[0].name",
    });
    expect(
      failure([{ paths: [], weights: [{ name: "w", shape: [1.5], dtype: "float32" }] }], []),
    ).toMatchObject({
      where: "[0].weights[0].shape",
    });
    expect(failure([{ paths: [], weights: [{ name: "w", shape: [1], dtype: 4 }] }], [])).toMatchObject({
      where: "[0].weights[0].dtype",
    });
    const noScale = [
      {
        paths: [],
        weights: [{ name: "w", shape: [1], dtype: "float32", quantization: { dtype: "uint8", min: 0 } }],
      },
    ];
    expect(failure(noScale, [])).toMatchObject({
      where: "[0].weights[0].quantization.scale",
      message: "weight 'w': uint8 quantization needs a numeric 'scale'",
    });
  });

  it("duplicate names, even across groups", () => {
    const twice = [...manifest, { paths: [], weights: [{ name: "empty", shape: [0], dtype: "float32" }] }];
    expect(failure(twice, shards)).toMatchObject({ code: "duplicate-name", where: "[1].weights[0].name" });
  });
});
