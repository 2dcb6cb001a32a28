// Weights directories on disk: the layout written, reading it and TF.js model.json files back, atomic writes.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeWeights, type NamedWeight } from "../../src/runtime/weights-format.js";
import {
  readWeightsDir,
  WEIGHTS_MANIFEST_FILE,
  writeWeightsDir,
} from "../../src/runtime/weights-format-node.js";

const weights: NamedWeight[] = [
  {
    name: "conv2d/kernel",
    shape: [3, 3, 1, 2],
    dtype: "float32",
    data: Float32Array.from({ length: 18 }, (_, i) => i - 9),
  },
  { name: "conv2d/bias", shape: [2], dtype: "float32", data: new Float32Array([0.25, -0.75]) },
];

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "kerasc-weights-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function read(path: string) {
  const result = await readWeightsDir(path);
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

describe("writeWeightsDir / readWeightsDir", () => {
  it("writes weights_manifest.json and TF.js-named shards, creating the directory, and reads them back", async () => {
    const dir = join(root, "out", "weights");
    const written = await writeWeightsDir(dir, weights, { shardBytes: 32 });
    expect(written).toEqual({
      ok: true,
      manifestPath: join(dir, WEIGHTS_MANIFEST_FILE),
      files: [
        "group1-shard1of3.bin",
        "group1-shard2of3.bin",
        "group1-shard3of3.bin",
        WEIGHTS_MANIFEST_FILE,
      ].map((name) => join(dir, name)),
    });
    expect(readdirSync(dir).sort()).toEqual([
      "group1-shard1of3.bin",
      "group1-shard2of3.bin",
      "group1-shard3of3.bin",
      "weights_manifest.json",
    ]);
    expect(JSON.parse(readFileSync(join(dir, WEIGHTS_MANIFEST_FILE), "utf8"))).toEqual(
      encodeWeights(weights, { shardBytes: 32 }).manifest,
    );
    const back = await read(dir);
    expect(back.weights).toEqual(weights);
    expect(back.manifestPath).toBe(join(dir, WEIGHTS_MANIFEST_FILE));
    expect((await read(join(dir, WEIGHTS_MANIFEST_FILE))).weights).toEqual(weights);
  });

  it("rewriting removes shards the new manifest no longer names, and only those", async () => {
    await writeWeightsDir(root, weights, { shardBytes: 16 });
    writeFileSync(join(root, "notes.txt"), "mine");
    await writeWeightsDir(root, weights);
    expect(readdirSync(root).sort()).toEqual(["group1-shard1of1.bin", "notes.txt", "weights_manifest.json"]);
    expect((await read(root)).weights).toEqual(weights);
  });

  it("reads a TF.js model.json's weightsManifest, with shards beside it", async () => {
    const { manifest, shards } = encodeWeights(weights);
    const modelJson = { format: "layers-model", modelTopology: {}, weightsManifest: manifest };
    writeFileSync(join(root, "model.json"), JSON.stringify(modelJson));
    for (const shard of shards) writeFileSync(join(root, shard.path), shard.bytes);
    expect((await read(root)).weights).toEqual(weights);
    expect((await read(join(root, "model.json"))).manifestPath).toBe(join(root, "model.json"));
  });

  it("leaves no file behind when a write fails midway, and keeps what was there", async () => {
    const dir = join(root, "w");
    mkdirSync(dir);
    writeFileSync(join(dir, "keep.txt"), "x");
    // A directory where the second shard must go makes its rename fail after the first shard was placed.
    mkdirSync(join(dir, "group1-shard2of2.bin"));
    const result = await writeWeightsDir(dir, weights, { shardBytes: 48 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      kind: "weights",
      code: "io",
      where: join(dir, "group1-shard2of2.bin"),
    });
    expect(result.error.message).toMatch(/^cannot write weights: /);
    expect(readdirSync(dir).sort()).toEqual(["group1-shard2of2.bin", "keep.txt"]);
  });

  it("removes a directory it created when the write fails", async () => {
    const blocker = join(root, "file");
    writeFileSync(blocker, "");
    const result = await writeWeightsDir(join(blocker, "sub"), weights);
    expect(result).toMatchObject({ ok: false, error: { code: "io", where: join(blocker, "sub") } });
    expect(readdirSync(root)).toEqual(["file"]);
  });
});

describe("readWeightsDir errors", () => {
  it("a missing path or a directory without a manifest", async () => {
    expect(await readWeightsDir(join(root, "nope"))).toMatchObject({ ok: false, error: { code: "io" } });
    const result = await readWeightsDir(root);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "io", message: `${root} holds no weights_manifest.json or model.json` },
    });
  });

  it("invalid JSON, or JSON that is no manifest", async () => {
    const path = join(root, WEIGHTS_MANIFEST_FILE);
    writeFileSync(path, "[{");
    expect(await readWeightsDir(root)).toMatchObject({
      ok: false,
      error: { code: "malformed-manifest", where: path },
    });
    writeFileSync(path, "{}");
    const result = await readWeightsDir(root);
    expect(result.ok || result.error.message).toContain("holds neither a weights manifest");
  });

  it("a missing shard file names its full path", async () => {
    await writeWeightsDir(root, weights, { shardBytes: 48 });
    rmSync(join(root, "group1-shard2of2.bin"));
    expect(await readWeightsDir(root)).toMatchObject({
      ok: false,
      error: { code: "missing-shard", where: join(root, "group1-shard2of2.bin") },
    });
  });

  it("decoding problems carry the manifest file and position", async () => {
    await writeWeightsDir(root, weights);
    writeFileSync(join(root, "group1-shard1of1.bin"), new Uint8Array(10));
    const path = join(root, WEIGHTS_MANIFEST_FILE);
    const result = await readWeightsDir(root);
    expect(result).toMatchObject({ ok: false, error: { code: "size-mismatch", where: `${path}[0].paths` } });
    expect(result.ok || result.error.message).toMatch(
      new RegExp(`^${path}: the shards of weight group 0 hold 10 bytes`),
    );
  });

  it("shard paths may not leave the manifest's directory", async () => {
    const manifest = [{ paths: ["../secret.bin"], weights: [] }];
    writeFileSync(join(root, WEIGHTS_MANIFEST_FILE), JSON.stringify(manifest));
    const result = await readWeightsDir(root);
    expect(result).toMatchObject({ ok: false, error: { code: "malformed-manifest" } });
    expect(result.ok || result.error.message).toContain(
      "shard path '../secret.bin' leaves the manifest's directory",
    );
  });
});
