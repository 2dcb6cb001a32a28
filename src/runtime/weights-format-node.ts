// Weights on disk (Node only): a directory holding `weights_manifest.json` (a TF.js weights manifest array)
// beside its `group1-shard{i}of{n}.bin` shards. Reads TF.js model.json files too (their `weightsManifest`);
// writes a loaded model's weights in one call (saveModelWeights).
//
// Layout decision: the manifest alone, under the name TF.js's converter gives a weights-only manifest and
// `tf.io.loadWeights` reads, rather than a model.json, because kerasc keeps the model in its own file (the
// .kml source or the plan); a plan refers to a weights directory. Writing is all-or-nothing per file: every
// file is written to a temporary name first, and only when all are written are they renamed into place,
// shards before the manifest, so an error leaves no new or half-written file behind.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Outcome, WeightsError, WeightsErrorCode } from "./errors.js";
import type { Model } from "./model.js";
import {
  decodeWeights,
  type EncodeWeightsOptions,
  encodeWeights,
  type NamedWeight,
  type WeightShard,
} from "./weights-format.js";

/** The manifest's file name in a weights directory. */
export const WEIGHTS_MANIFEST_FILE = "weights_manifest.json";

/** Where weights were written: the manifest and every file, as paths under the directory. */
export type WriteWeightsResult = Outcome<
  { readonly manifestPath: string; readonly files: string[] },
  WeightsError
>;

/** Weights read from disk, and the manifest file they were found through. */
export type ReadWeightsResult = Outcome<
  { readonly weights: NamedWeight[]; readonly manifestPath: string },
  WeightsError
>;

/** Shard names this module writes; only such files are removed when a rewrite leaves them unused. */
const OWN_SHARD_NAME = /^group\d+-shard\d+of\d+\.bin$/;

/**
 * Writes `named` into `dir` (created if missing): the shards, then `weights_manifest.json`. Shards a
 * previous write left in `dir` and the new manifest no longer names are removed. I/O problems come back
 * as an error with nothing new left in `dir`; a weight whose data does not match its shape throws
 * (see encodeWeights).
 */
export async function writeWeightsDir(
  dir: string,
  named: readonly NamedWeight[],
  options: EncodeWeightsOptions = {},
): Promise<WriteWeightsResult> {
  const { manifest, shards } = encodeWeights(named, options);
  const manifestPath = join(dir, WEIGHTS_MANIFEST_FILE);
  let created: string | undefined;
  try {
    created = await mkdir(dir, { recursive: true });
  } catch (problem) {
    return ioError(dir, "cannot create the weights directory", problem);
  }
  const previous = await previousShards(manifestPath);
  const files: { final: string; bytes: Uint8Array | string }[] = [
    ...shards.map((shard) => ({ final: join(dir, shard.path), bytes: shard.bytes })),
    { final: manifestPath, bytes: `${JSON.stringify(manifest)}\n` },
  ];
  const suffix = `.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  const pending: string[] = [];
  const placed: string[] = [];
  const undo = async () => {
    await Promise.all([...pending, ...placed].map((path) => unlink(path).catch(() => undefined)));
    if (created !== undefined) await removeEmptyDirs(dir, created);
  };
  let current = "";
  try {
    for (const file of files) {
      current = file.final;
      await writeFile(file.final + suffix, file.bytes, { flag: "wx" });
      pending.push(file.final + suffix);
    }
    // Shards first and the manifest last: a reader never finds the new manifest without its shards.
    while (pending.length > 0) {
      const temporary = pending[0]!;
      current = temporary.slice(0, -suffix.length);
      await rename(temporary, current);
      pending.shift();
      placed.push(current);
    }
  } catch (problem) {
    await undo();
    return ioError(current, "cannot write weights", problem);
  }
  const kept = new Set(shards.map((shard) => shard.path));
  const stale = previous.filter((path) => !kept.has(path));
  await Promise.all(stale.map((path) => unlink(join(dir, path)).catch(() => undefined)));
  return { ok: true, manifestPath, files: files.map((file) => file.final) };
}

/**
 * Writes a loaded model's current weights into `dir` in the TF.js weights format (`weights_manifest.json`
 * and its shards, as `writeWeightsDir`), one entry per weight under its Keras name ("dense_1/kernel") in
 * the program's order: `readWeightsDir(dir)` gives them back for `loadModel`'s `weights`.
 */
export async function saveModelWeights(
  model: Pick<Model, "weights" | "getWeights">,
  dir: string,
  options: EncodeWeightsOptions = {},
): Promise<WriteWeightsResult> {
  const named = [...model.getWeights()].map(
    ([name, data]): NamedWeight => ({
      name,
      shape: model.weights.get(name)!.shape,
      dtype: data instanceof Int32Array ? "int32" : "float32",
      data,
    }),
  );
  return writeWeightsDir(dir, named, options);
}

/** Shard names the manifest already in the directory lists (none when there is none or it is unreadable). */
async function previousShards(manifestPath: string): Promise<string[]> {
  try {
    const manifest: unknown = JSON.parse(await readFile(manifestPath, "utf8"));
    if (!Array.isArray(manifest)) return [];
    return manifest
      .flatMap((group: { paths?: unknown }) => (Array.isArray(group?.paths) ? group.paths : []))
      .filter((path): path is string => typeof path === "string" && OWN_SHARD_NAME.test(path));
  } catch {
    return [];
  }
}

/** Removes `dir` and its parents up to `created` (the first directory mkdir made), while they are empty. */
async function removeEmptyDirs(dir: string, created: string): Promise<void> {
  let current = resolve(dir);
  const top = resolve(created);
  for (;;) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === top) return;
    current = dirname(current);
  }
}

/**
 * Reads weights from `path`: a directory (its `weights_manifest.json`, else its TF.js `model.json`), or a
 * JSON file holding either a manifest array or a model.json with `weightsManifest`. Shard paths are
 * resolved next to the JSON file and must stay inside its directory. Never throws.
 */
export async function readWeightsDir(path: string): Promise<ReadWeightsResult> {
  const located = await locateManifest(path);
  if (!located.ok) return located;
  const { manifestPath } = located;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (problem) {
    if (problem instanceof SyntaxError)
      return failure(
        "malformed-manifest",
        manifestPath,
        `${manifestPath} is not valid JSON: ${problem.message}`,
      );
    return ioError(manifestPath, "cannot read the weights manifest", problem);
  }
  const manifest = isModelJson(parsed) ? parsed.weightsManifest : parsed;
  if (!Array.isArray(manifest))
    return failure(
      "malformed-manifest",
      manifestPath,
      `${manifestPath} holds neither a weights manifest (an array of {paths, weights}) nor a TF.js model.json with 'weightsManifest'`,
    );
  const shards = await readShards(manifest, manifestPath);
  if (!shards.ok) return shards;
  const decoded = decodeWeights(manifest, shards.shards);
  if (!decoded.ok) {
    const { error } = decoded;
    // Manifest positions start with '['; anything else is a shard path, located in the directory.
    const where = error.where.startsWith("[")
      ? `${manifestPath}${error.where}`
      : join(dirname(manifestPath), error.where);
    return failure(error.code, where, `${manifestPath}: ${error.message}`);
  }
  return { ok: true, weights: decoded.weights, manifestPath };
}

async function locateManifest(path: string): Promise<Outcome<{ manifestPath: string }, WeightsError>> {
  try {
    if (!(await stat(path)).isDirectory()) return { ok: true, manifestPath: path };
  } catch (problem) {
    return ioError(path, "cannot read weights", problem);
  }
  for (const name of [WEIGHTS_MANIFEST_FILE, "model.json"]) {
    const candidate = join(path, name);
    if (await isFile(candidate)) return { ok: true, manifestPath: candidate };
  }
  return failure("io", path, `${path} holds no ${WEIGHTS_MANIFEST_FILE} or model.json`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function isModelJson(value: unknown): value is { weightsManifest: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "weightsManifest" in value;
}

/** Reads every shard the manifest's groups name, each once, relative to the manifest's directory. */
async function readShards(
  manifest: readonly unknown[],
  manifestPath: string,
): Promise<Outcome<{ shards: WeightShard[] }, WeightsError>> {
  const base = dirname(manifestPath);
  const paths = new Set<string>();
  for (const group of manifest) {
    const groupPaths = (group as { paths?: unknown } | null)?.paths;
    // A malformed group is left for decodeWeights to report with its position.
    if (Array.isArray(groupPaths)) for (const p of groupPaths) if (typeof p === "string") paths.add(p);
  }
  const shards: WeightShard[] = [];
  for (const shardPath of paths) {
    const full = resolve(base, shardPath);
    const inside = relative(resolve(base), full);
    if (isAbsolute(shardPath) || inside.startsWith("..") || isAbsolute(inside))
      return failure(
        "malformed-manifest",
        manifestPath,
        `${manifestPath}: shard path '${shardPath}' leaves the manifest's directory; shards must sit beside it`,
      );
    try {
      const buffer = await readFile(full);
      // A plain Uint8Array view (no copy): the runtime's code must not depend on Buffer.
      shards.push({
        path: shardPath,
        bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
      });
    } catch (problem) {
      if ((problem as NodeJS.ErrnoException).code === "ENOENT")
        return failure("missing-shard", full, `shard file ${full}, named in ${manifestPath}, does not exist`);
      return ioError(full, "cannot read a weights shard", problem);
    }
  }
  return { ok: true, shards };
}

function failure(code: WeightsErrorCode, where: string, message: string): { ok: false; error: WeightsError } {
  return { ok: false, error: { kind: "weights", code, where, message } };
}

/** An I/O failure; Node's message already names the path and the system's reason. */
function ioError(where: string, what: string, problem: unknown): { ok: false; error: WeightsError } {
  return failure("io", where, `${what}: ${problem instanceof Error ? problem.message : String(problem)}`);
}
