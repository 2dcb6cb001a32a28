// The TF.js weights format: a manifest of groups, each naming its shard files and its weights
// ({name, shape, dtype}), and binary shards that are consecutive slices of the group's weights'
// little-endian bytes concatenated in manifest order (a weight may straddle two shards).
import {
  elementCount,
  float16BitsToNumber,
  type NumericArray,
  readLittleEndian32,
  toLittleEndianBytes,
} from "./binary.js";
import type { Outcome, WeightsError, WeightsErrorCode } from "./errors.js";

/** Element types kerasc keeps weights in. */
export type WeightDType = "float32" | "int32";

/** One weight: a Keras weight name (`dense_1/kernel`), its shape and values in C order. */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: WeightDType;
  readonly data: NumericArray;
}

/** How a quantized weight is stored: `value = stored · scale + min` (uint8/uint16) or float16 bits. */
export interface WeightQuantization {
  readonly dtype: "uint8" | "uint16" | "float16";
  readonly scale?: number;
  readonly min?: number;
}

/** A weight's entry in a manifest (TF.js's WeightsManifestEntry). */
export interface WeightsManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: WeightQuantization;
  /** TF.js's weight group ("model" / "optimizer"); carried, not interpreted. */
  readonly group?: string;
}

/** A group of weights stored together in `paths`, in order (TF.js's WeightsManifestGroupConfig). */
export interface WeightsManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightsManifestEntry[];
}

/** A whole manifest: what `weightsManifest` holds in a TF.js model.json (TF.js's WeightsManifestConfig). */
export type WeightsManifest = readonly WeightsManifestGroup[];

/** A shard's bytes and the manifest path it is stored under. */
export interface WeightShard {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** TF.js's converter splits weights into shards of at most this many bytes (4 MiB). */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/** Options for encodeWeights. */
export interface EncodeWeightsOptions {
  /** Largest shard, in bytes (default 4 MiB, as TF.js). */
  readonly shardBytes?: number;
}

/**
 * Encodes weights as one manifest group and its shards, named `group1-shard{i}of{n}.bin` as TF.js's
 * converter names them; `shards[i]` is stored under `manifest[0].paths[i]` (no shards when every weight is
 * empty). Shards are views into one buffer. Throws a RangeError when a weight's data does not match its
 * shape or dtype, or two weights share a name: a bug in the caller, not bad user input.
 */
export function encodeWeights(
  named: readonly NamedWeight[],
  options: EncodeWeightsOptions = {},
): { manifest: WeightsManifest; shards: WeightShard[] } {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes <= 0)
    throw new RangeError(`encodeWeights: shardBytes must be a positive integer, got ${shardBytes}`);
  const names = new Set<string>();
  for (const weight of named) {
    if (names.has(weight.name)) throw new RangeError(`encodeWeights: two weights are named '${weight.name}'`);
    names.add(weight.name);
    const count = elementCount(weight.shape);
    const arrayDtype = weight.data instanceof Float32Array ? "float32" : "int32";
    if (count !== weight.data.length || arrayDtype !== weight.dtype)
      throw new RangeError(
        `encodeWeights: '${weight.name}' is declared ${weight.dtype} [${weight.shape.join(", ")}] ` +
          `but holds ${weight.data.length} ${arrayDtype} values`,
      );
  }
  const total = named.reduce((sum, weight) => sum + weight.data.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const weight of named) {
    all.set(toLittleEndianBytes(weight.data), offset);
    offset += weight.data.byteLength;
  }
  const shardCount = Math.ceil(total / shardBytes);
  const shards: WeightShard[] = [];
  for (let i = 0; i < shardCount; i++) {
    const path = `group1-shard${i + 1}of${shardCount}.bin`;
    shards.push({ path, bytes: all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)) });
  }
  const weights = named.map(({ name, shape, dtype }) => ({ name, shape: [...shape], dtype }));
  return { manifest: [{ paths: shards.map((shard) => shard.path), weights }], shards };
}

/** Decoded weights, in manifest order, or the first problem found. */
export type DecodeWeightsResult = Outcome<{ readonly weights: NamedWeight[] }, WeightsError>;

/**
 * Decodes the weights a manifest describes from its shards (looked up by path; shards the manifest does
 * not name are ignored). `manifest` is checked as untrusted JSON. Reads float32 and int32 weights, and
 * TF.js's uint8/uint16/float16 quantization of them (dequantized as tfjs-core does). Never throws.
 */
export function decodeWeights(manifest: unknown, shards: readonly WeightShard[]): DecodeWeightsResult {
  try {
    const groups = checkManifest(manifest);
    const byPath = new Map<string, Uint8Array>();
    for (const shard of shards) if (!byPath.has(shard.path)) byPath.set(shard.path, shard.bytes);
    const weights: NamedWeight[] = [];
    const seen = new Set<string>();
    groups.forEach((group, g) => {
      const bytes = concatenateShards(group, g, byPath);
      let offset = 0;
      group.weights.forEach((entry, w) => {
        const where = `[${g}].weights[${w}]`;
        if (seen.has(entry.name))
          fail("duplicate-name", `${where}.name`, `two weights in the manifest are named '${entry.name}'`);
        seen.add(entry.name);
        const layout = storage(entry);
        const count = elementCount(entry.shape)!;
        const end = offset + count * bytesPerValue(entry);
        if (end > bytes.length)
          fail("size-mismatch", `[${g}].paths`, tooShortMessage(g, bytes, group, entry, end));
        weights.push({
          name: entry.name,
          shape: entry.shape,
          dtype: layout.dtype,
          data: layout.read(bytes, offset, count),
        });
        offset = end;
      });
      if (offset < bytes.length)
        fail(
          "size-mismatch",
          `[${g}].paths`,
          `the shards of weight group ${g} hold ${bytes.length} bytes, ${bytes.length - offset} more than its ` +
            `weights need (${offset}); the manifest does not describe these shards`,
        );
    });
    return { ok: true, weights };
  } catch (problem) {
    if (problem instanceof WeightsProblem) return { ok: false, error: problem.error };
    throw problem;
  }
}

/** Internal early exit carrying the error decodeWeights returns. */
class WeightsProblem {
  constructor(readonly error: WeightsError) {}
}

function fail(code: WeightsErrorCode, where: string, message: string): never {
  throw new WeightsProblem({ kind: "weights", code, message, where });
}

function tooShortMessage(
  g: number,
  bytes: Uint8Array,
  group: WeightsManifestGroup,
  entry: WeightsManifestEntry,
  end: number,
): string {
  const needed = group.weights.reduce(
    (sum, each) => sum + elementCount(each.shape)! * bytesPerValue(each),
    0,
  );
  return (
    `the shards of weight group ${g} hold ${bytes.length} bytes, but its weights need ${needed}: ` +
    `'${entry.name}' (${entry.dtype} [${entry.shape.join(", ")}]) would end at byte ${end}`
  );
}

/** Bytes per stored value of an entry checkManifest accepted. */
function bytesPerValue(entry: WeightsManifestEntry): number {
  const stored = entry.quantization?.dtype;
  return stored === "uint8" ? 1 : stored === "uint16" || stored === "float16" ? 2 : 4;
}

/** The group's shards joined in path order (the one shard itself when there is one). */
function concatenateShards(
  group: WeightsManifestGroup,
  g: number,
  byPath: Map<string, Uint8Array>,
): Uint8Array {
  const parts = group.paths.map((path, p) => {
    const bytes = byPath.get(path);
    if (!bytes) fail("missing-shard", path, `shard '${path}' (weight group ${g}, path ${p}) is missing`);
    return bytes;
  });
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** How one entry's values are stored and read back. */
interface Storage {
  readonly dtype: WeightDType;
  readonly read: (bytes: Uint8Array, offset: number, count: number) => NumericArray;
}

/** The storage of an entry checkManifest accepted (so its dtype is float32 or int32). */
function storage(entry: WeightsManifestEntry): Storage {
  const { quantization } = entry;
  const dtype = entry.dtype as WeightDType;
  if (!quantization)
    return { dtype, read: (bytes, offset, count) => readLittleEndian32(bytes, offset, count, dtype) };
  if (quantization.dtype === "float16") {
    return {
      dtype,
      read: (bytes, offset, count) => {
        const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 2);
        const out = new Float32Array(count);
        for (let i = 0; i < count; i++) out[i] = float16BitsToNumber(view.getUint16(i * 2, true));
        return out;
      },
    };
  }
  const size = quantization.dtype === "uint8" ? 1 : 2;
  const scale = quantization.scale!;
  const min = quantization.min!;
  return {
    dtype,
    read: (bytes, offset, count) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size);
      const out = dtype === "float32" ? new Float32Array(count) : new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const stored = size === 1 ? view.getUint8(i) : view.getUint16(i * 2, true);
        // tfjs-core rounds dequantized int32 values and stores float32 ones as computed.
        out[i] = dtype === "int32" ? Math.round(stored * scale + min) : stored * scale + min;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Manifest validation: the manifest is JSON from a user's file.

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkManifest(manifest: unknown): WeightsManifest {
  if (!Array.isArray(manifest))
    fail(
      "malformed-manifest",
      "",
      "a weights manifest must be an array of groups, each {paths: [...], weights: [...]} (TF.js's weightsManifest)",
    );
  manifest.forEach((group: unknown, g) => {
    const where = `[${g}]`;
    if (!isObject(group))
      fail("malformed-manifest", where, `weight group ${g} must be an object {paths, weights}`);
    if (!Array.isArray(group.paths) || !group.paths.every((path) => typeof path === "string"))
      fail(
        "malformed-manifest",
        `${where}.paths`,
        `weight group ${g}: 'paths' must be an array of file names`,
      );
    if (!Array.isArray(group.weights))
      fail("malformed-manifest", `${where}.weights`, `weight group ${g}: 'weights' must be an array`);
    group.weights.forEach((entry: unknown, w) => {
      checkEntry(entry, `${where}.weights[${w}]`);
    });
  });
  return manifest as WeightsManifest;
}

function checkEntry(entry: unknown, where: string): void {
  if (!isObject(entry))
    fail("malformed-manifest", where, "a weight entry must be an object {name, shape, dtype}");
  const { name, shape, dtype, quantization } = entry;
  if (typeof name !== "string" || name === "")
    fail("malformed-manifest", `${where}.name`, "a weight entry needs a non-empty string 'name'");
  const label = `weight '${name}'`;
  if (!Array.isArray(shape) || elementCount(shape) === undefined)
    fail(
      "malformed-manifest",
      `${where}.shape`,
      `${label}: 'shape' must be an array of non-negative integers`,
    );
  if (typeof dtype !== "string")
    fail("malformed-manifest", `${where}.dtype`, `${label}: 'dtype' must be a string`);
  // Checked for every entry before any bytes are read, so a bool or string weight is reported as such
  // rather than as a size mismatch its unknown byte length would cause.
  if (dtype !== "float32" && dtype !== "int32")
    fail(
      "unsupported-dtype",
      `${where}.dtype`,
      `${label} has dtype '${dtype}'; kerasc reads float32 and int32 weights`,
    );
  if (quantization === undefined) return;
  const qWhere = `${where}.quantization`;
  if (!isObject(quantization))
    fail("malformed-manifest", qWhere, `${label}: 'quantization' must be an object`);
  const qDtype = quantization.dtype;
  if (qDtype !== "uint8" && qDtype !== "uint16" && qDtype !== "float16")
    fail(
      "unsupported-dtype",
      `${qWhere}.dtype`,
      `${label} is quantized as ${JSON.stringify(qDtype)}; kerasc reads uint8, uint16 and float16 quantization`,
    );
  if (qDtype === "float16") {
    // tfjs-core decodes float16 only into float32 weights.
    if (dtype !== "float32")
      fail(
        "unsupported-dtype",
        `${qWhere}.dtype`,
        `${label}: float16 quantization is only for float32 weights`,
      );
    return;
  }
  for (const key of ["scale", "min"] as const) {
    const value = quantization[key];
    if (typeof value !== "number" || !Number.isFinite(value))
      fail(
        "malformed-manifest",
        `${qWhere}.${key}`,
        `${label}: ${qDtype} quantization needs a numeric '${key}'`,
      );
  }
}
