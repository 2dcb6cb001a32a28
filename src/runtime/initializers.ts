// Initial weight values for every Keras 2 initializer class, computed on the host from a seeded stream so
// every backend gets identical weights. Returns an InitializerError instead of throwing.
//
// Input is the normalised ConfigObject the layer schemas produce (nine classes: Zeros, Ones, Constant,
// RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Orthogonal, Identity). A Keras or TF.js
// file may still carry shorthand classes (GlorotUniform, he_normal, ...) or omit config keys, so class
// names are matched ignoring case and underscores, shorthands map to their VarianceScaling, and missing
// keys take Keras's defaults.
import type { ArgValue, ConfigObject } from "../ir/graph.js";
import { elementCount } from "./binary.js";
import type { InitializerError, InitializerErrorCode, Outcome } from "./errors.js";
import { computeFans } from "./fans.js";
import { forKey, type RandomStream } from "./random.js";

/** Initial values in C order, or why they could not be made. */
export type InitializeResult = Outcome<{ readonly values: Float32Array }, InitializerError>;

/**
 * The initial values of a weight of `shape` (C order, float32) under `initializer`, drawn from `rng`
 * (normally `forKey(seed, "<layer>/<weight>")`). A `seed` in the initializer's config replaces `rng` with
 * `forKey(seed, "")`, independent of the weight's name: in Keras 2 an initializer with a fixed seed gives
 * the same values every time it is called, so two weights of one shape with the same seeded initializer
 * are equal. Returns an error rather than throwing for any config or shape problem.
 */
export function initializeWeight(
  initializer: ConfigObject,
  shape: readonly number[],
  rng: RandomStream,
): InitializeResult {
  try {
    const count = elementCount(shape);
    if (count === undefined)
      fail("bad-shape", `weight shape (${shape.join(", ")}) is not a list of non-negative integers`);
    const key = initializer.className.toLowerCase().replace(/_/g, "");
    const generate = GENERATORS[ALIASES[key] ?? key];
    if (!generate)
      fail(
        "unknown-initializer",
        `unknown initializer '${initializer.className}'; expected one of ${Object.keys(GENERATORS).join(", ")}`,
      );
    const values = generate({ config: new ConfigReader(initializer), shape, count, rng });
    return { ok: true, values };
  } catch (problem) {
    if (problem instanceof InitializerProblem) return { ok: false, error: problem.error };
    // Typed arrays throw RangeError when a shape is too large to allocate: the user's shape, not a bug.
    if (problem instanceof RangeError) {
      const message = `a weight of shape (${shape.join(", ")}) is too large to allocate (${problem.message})`;
      return { ok: false, error: { kind: "initializer", code: "bad-shape", message } };
    }
    throw problem;
  }
}

/** Internal early exit carrying the error initializeWeight returns. */
class InitializerProblem {
  constructor(readonly error: InitializerError) {}
}

function fail(code: InitializerErrorCode, message: string): never {
  throw new InitializerProblem({ kind: "initializer", code, message });
}

/** Typed access to an initializer's config, with Keras's defaults for missing keys. */
class ConfigReader {
  constructor(private readonly initializer: ConfigObject) {}

  #value(key: string): ArgValue | undefined {
    return this.initializer.config[key];
  }

  #bad(key: string, expected: string): never {
    const value = JSON.stringify(this.#value(key));
    return fail("bad-config", `${this.initializer.className}: '${key}' must be ${expected}, got ${value}`);
  }

  /** A finite number; `min` (inclusive unless `minExclusive`) bounds it from below. */
  number(key: string, fallback: number, min?: { value: number; exclusive: boolean }): number {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) return this.#bad(key, "a number");
    if (min && (min.exclusive ? value <= min.value : value < min.value))
      this.#bad(key, `${min.exclusive ? "greater than" : "at least"} ${min.value}`);
    return value;
  }

  oneOf<T extends string>(key: string, fallback: T, choices: readonly T[]): T {
    const value = this.#value(key) ?? fallback;
    if (typeof value !== "string" || !(choices as readonly string[]).includes(value))
      return this.#bad(key, `one of ${choices.map((choice) => `"${choice}"`).join(", ")}`);
    return value as T;
  }

  /** The stream to draw from: the config's own seed when it has one, else the weight's stream. */
  stream(rng: RandomStream): RandomStream {
    const seed = this.#value("seed") ?? null;
    if (seed === null) return rng;
    if (typeof seed !== "number" || !Number.isInteger(seed)) return this.#bad("seed", "an integer or None");
    return forKey(seed, "");
  }
}

interface GenerateRequest {
  readonly config: ConfigReader;
  readonly shape: readonly number[];
  readonly count: number;
  readonly rng: RandomStream;
}

type Generator = (request: GenerateRequest) => Float32Array;

const nonNegative = { value: 0, exclusive: false };
const positive = { value: 0, exclusive: true };

/** The divisor a VarianceScaling mode takes from the fans. */
type FanMode = "fan_in" | "fan_out" | "fan_avg";
type VarianceDistribution = "normal" | "uniform" | "truncated_normal" | "untruncated_normal";

/** The standard deviation of a standard normal truncated to [−2, 2] (scipy.stats.truncnorm.std(-2, 2)). */
const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/**
 * Keras 2 VarianceScaling: variance scale / n, n the chosen fan (at least 1). "normal" is Keras 2's
 * name for "truncated_normal": a normal truncated at two standard deviations, widened by 1/0.8796 so the
 * result's deviation is sqrt(scale / n). "uniform" draws from ±sqrt(3 · scale / n), which has that deviation too.
 */
function varianceScaling(
  { shape, count }: GenerateRequest,
  rng: RandomStream,
  scale: number,
  mode: FanMode,
  distribution: VarianceDistribution,
): Float32Array {
  const { fanIn, fanOut } = computeFans(shape);
  const fan = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
  const variance = scale / Math.max(1, fan);
  switch (distribution) {
    case "normal":
    case "truncated_normal":
      return rng.truncatedNormal(count, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STD);
    case "untruncated_normal":
      return rng.normal(count, 0, Math.sqrt(variance));
    case "uniform": {
      const limit = Math.sqrt(3 * variance);
      return rng.uniform(count, -limit, limit);
    }
  }
}

/** A Glorot/He/LeCun shorthand: VarianceScaling with fixed parameters and the config's seed. */
function shorthand(scale: number, mode: FanMode, distribution: VarianceDistribution): Generator {
  return (request) => varianceScaling(request, request.config.stream(request.rng), scale, mode, distribution);
}

/** Generators by class name, lower-cased without underscores. */
const GENERATORS: Readonly<Record<string, Generator>> = {
  zeros: ({ count }) => new Float32Array(count),
  ones: ({ count }) => new Float32Array(count).fill(1),
  constant: ({ config, count }) => new Float32Array(count).fill(config.number("value", 0)),
  randomnormal: ({ config, count, rng }) =>
    config.stream(rng).normal(count, config.number("mean", 0), config.number("stddev", 0.05, nonNegative)),
  randomuniform: ({ config, count, rng }) => {
    const minval = config.number("minval", -0.05);
    const maxval = config.number("maxval", 0.05, { value: minval, exclusive: false });
    return config.stream(rng).uniform(count, minval, maxval);
  },
  truncatednormal: ({ config, count, rng }) =>
    config
      .stream(rng)
      .truncatedNormal(count, config.number("mean", 0), config.number("stddev", 0.05, nonNegative)),
  variancescaling: (request) => {
    const { config, rng } = request;
    const scale = config.number("scale", 1, positive);
    const mode = config.oneOf<FanMode>("mode", "fan_in", ["fan_in", "fan_out", "fan_avg"]);
    const distribution = config.oneOf<VarianceDistribution>("distribution", "normal", [
      "normal",
      "uniform",
      "truncated_normal",
      "untruncated_normal",
    ]);
    return varianceScaling(request, config.stream(rng), scale, mode, distribution);
  },
  orthogonal: ({ config, shape, rng }) => orthogonal(shape, config.number("gain", 1), config.stream(rng)),
  identity: ({ config, shape }) => identity(shape, config.number("gain", 1)),
  glorotuniform: shorthand(1, "fan_avg", "uniform"),
  glorotnormal: shorthand(1, "fan_avg", "normal"),
  heuniform: shorthand(2, "fan_in", "uniform"),
  henormal: shorthand(2, "fan_in", "normal"),
  lecununiform: shorthand(1, "fan_in", "uniform"),
  lecunnormal: shorthand(1, "fan_in", "normal"),
};

/** Keras's short names for classes (`initializers.get("normal")` is RandomNormal). */
const ALIASES: Readonly<Record<string, string>> = {
  zero: "zeros",
  one: "ones",
  normal: "randomnormal",
  uniform: "randomuniform",
};

/** Keras 2 Identity: `gain · eye(rows, cols)`; only for matrices (rectangular ones too). */
function identity(shape: readonly number[], gain: number): Float32Array {
  if (shape.length !== 2)
    fail(
      "bad-shape",
      `Identity needs a 2D weight, got shape (${shape.join(", ")}); use it for Dense kernels`,
    );
  const [rows, cols] = shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
  return out;
}

/**
 * Keras 2 Orthogonal: the weight is flattened to a (prod(shape[:-1]), shape[-1]) matrix; a standard normal
 * matrix of shape (max, min) of those is drawn (row-major), its QR factorization taken, Q's columns
 * sign-corrected so R's diagonal is positive, Q transposed when the weight has fewer rows than columns,
 * and scaled by gain. With R's diagonal positive, Q is unique, so these are the values Keras would compute
 * from the same normal matrix.
 */
function orthogonal(shape: readonly number[], gain: number, rng: RandomStream): Float32Array {
  if (shape.length < 2)
    fail("bad-shape", `Orthogonal needs a weight of at least 2 dimensions, got shape (${shape.join(", ")})`);
  const cols = shape.at(-1)!;
  const rows = shape.slice(0, -1).reduce((product, dim) => product * dim, 1);
  if (rows === 0 || cols === 0) return new Float32Array(0);
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const drawn = rng.standardNormal(m * n);
  // Householder works on columns, so keep the matrix column-major: column j is a[j*m .. j*m + m).
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = drawn[i * n + j]!;
  const q = householderQ(a, m, n);
  const out = new Float32Array(rows * cols);
  if (rows < cols) {
    // The weight is Qᵀ (rows = n, cols = m): row r of Qᵀ is column r of Q, contiguous in column-major q.
    for (let k = 0; k < q.length; k++) out[k] = gain * q[k]!;
  } else {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = gain * q[j * m + i]!;
  }
  return out;
}

/**
 * The m×n Q (column-major, m ≥ n) of the thin QR factorization of `a` (column-major, overwritten), by
 * Householder reflections in float64, with each column's sign chosen so R's diagonal is non-negative.
 * (A zero diagonal, probability zero for random input, keeps its column as computed; Keras would zero it.)
 */
export function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const reflectors: { v: Float64Array; vv: number }[] = [];
  const rDiagonal = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const column = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[column + i]! ** 2;
    norm = Math.sqrt(norm);
    // v = x − α·e₁ with α of the opposite sign to x₀, so v₀ does not cancel; H = I − 2vvᵀ/(vᵀv) maps x to α·e₁.
    const alpha = a[column + k]! >= 0 ? -norm : norm;
    const v = a.slice(column + k, column + m);
    v[0]! -= alpha;
    let vv = 0;
    for (const x of v) vv += x * x;
    reflectors.push({ v, vv });
    if (vv > 0) reflect(a, m, k, n, v, vv);
    rDiagonal[k] = a[column + k]!;
  }
  // Q = H₀H₁…Hₙ₋₁ applied to the first n columns of the identity, innermost reflection first. Hₖ leaves
  // columns before k alone (they are unit vectors above row k), so it only touches columns k..n−1.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const { v, vv } = reflectors[k]!;
    if (vv > 0) reflect(q, m, k, n, v, vv);
  }
  for (let j = 0; j < n; j++) {
    if (rDiagonal[j]! < 0) for (let i = 0; i < m; i++) q[j * m + i] = -q[j * m + i]!;
  }
  return q;
}

/**
 * Applies I − 2vvᵀ/(vᵀv) to rows k..m−1 of columns k..n−1 of the column-major m-row matrix `x`.
 * Columns go four at a time: each load of v serves four dot products with independent accumulators,
 * which halves the time of an LSTM-sized (2048 × 512) factorization.
 */
function reflect(x: Float64Array, m: number, k: number, n: number, v: Float64Array, vv: number): void {
  const length = v.length;
  const scale = 2 / vv;
  let j = k;
  for (; j + 3 < n; j += 4) {
    const c0 = j * m + k;
    const c1 = c0 + m;
    const c2 = c1 + m;
    const c3 = c2 + m;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let i = 0; i < length; i++) {
      const vi = v[i]!;
      d0 += vi * x[c0 + i]!;
      d1 += vi * x[c1 + i]!;
      d2 += vi * x[c2 + i]!;
      d3 += vi * x[c3 + i]!;
    }
    d0 *= scale;
    d1 *= scale;
    d2 *= scale;
    d3 *= scale;
    for (let i = 0; i < length; i++) {
      const vi = v[i]!;
      x[c0 + i]! -= d0 * vi;
      x[c1 + i]! -= d1 * vi;
      x[c2 + i]! -= d2 * vi;
      x[c3 + i]! -= d3 * vi;
    }
  }
  for (; j < n; j++) {
    const column = j * m + k;
    let dot = 0;
    for (let i = 0; i < length; i++) dot += v[i]! * x[column + i]!;
    dot *= scale;
    for (let i = 0; i < length; i++) x[column + i]! -= dot * v[i]!;
  }
}
