// Initializers: determinism, statistics derived from each formula, Orthogonal's QR, Identity, fans, errors.
import { describe, expect, it } from "vitest";
import type { ArgValue, ConfigObject } from "../../src/ir/graph.js";
import type { InitializerError } from "../../src/runtime/errors.js";
import { computeFans } from "../../src/runtime/fans.js";
import { householderQ, initializeWeight } from "../../src/runtime/initializers.js";
import { forKey } from "../../src/runtime/random.js";
import { extremes, moments } from "./stats.js";

const init = (className: string, config: Record<string, ArgValue> = {}): ConfigObject => ({
  className,
  config,
});
const vs = (scale: number, mode: string, distribution: string, seed: number | null = null) =>
  init("VarianceScaling", { scale, mode, distribution, seed });

function values(
  initializer: ConfigObject,
  shape: readonly number[],
  key = "layer/kernel",
  seed = 1,
): Float32Array {
  const result = initializeWeight(initializer, shape, forKey(seed, key));
  if (!result.ok) throw new Error(result.error.message);
  return result.values;
}

function failure(initializer: ConfigObject, shape: readonly number[]): InitializerError {
  const result = initializeWeight(initializer, shape, forKey(1, "k"));
  if (result.ok) throw new Error("expected an error");
  return result.error;
}

const bytes = (array: Float32Array) => new Uint8Array(array.buffer);

/** Entry (i, j) of AᵀB for row-major A (m×p) and B (m×q). */
function gram(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  p: number,
  q: number,
  i: number,
  j: number,
) {
  let sum = 0;
  for (let r = 0; r < m; r++) sum += a[r * p + i]! * b[r * q + j]!;
  return sum;
}

/** Max |AᵀA − I| for a row-major m×n A. */
function orthonormalityError(a: ArrayLike<number>, m: number, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      worst = Math.max(worst, Math.abs(gram(a, a, m, n, n, i, j) - (i === j ? 1 : 0)));
  return worst;
}

/** The transpose of a row-major rows×cols matrix. */
function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

describe("initializeWeight: determinism", () => {
  it("the same seed and key give identical bytes; other keys and seeds differ", () => {
    const glorot = vs(1, "fan_avg", "uniform");
    expect(bytes(values(glorot, [20, 30], "dense_1/kernel"))).toEqual(
      bytes(values(glorot, [20, 30], "dense_1/kernel")),
    );
    expect(values(glorot, [20, 30], "dense_2/kernel")).not.toEqual(
      values(glorot, [20, 30], "dense_1/kernel"),
    );
    expect(values(glorot, [20, 30], "dense_1/kernel", 2)).not.toEqual(
      values(glorot, [20, 30], "dense_1/kernel", 1),
    );
  });

  it("a seed in the config replaces the weight's stream, as Keras's seeded initializers repeat their values", () => {
    const seeded = init("RandomNormal", { mean: 0, stddev: 1, seed: 5 });
    expect(values(seeded, [4, 4], "a/kernel", 1)).toEqual(values(seeded, [4, 4], "b/kernel", 99));
    expect(values(seeded, [4, 4])).toEqual(forKey(5, "").normal(16, 0, 1));
    expect(values(vs(1, "fan_in", "normal", 5), [4, 4], "a")).toEqual(
      values(vs(1, "fan_in", "normal", 5), [4, 4], "b"),
    );
  });
});

describe("initializeWeight: constant classes", () => {
  it("Zeros, Ones, Constant(value)", () => {
    expect(values(init("Zeros"), [2, 3])).toEqual(new Float32Array(6));
    expect(values(init("Ones"), [4])).toEqual(new Float32Array(4).fill(1));
    expect(values(init("Constant", { value: -0.25 }), [2, 2])).toEqual(new Float32Array(4).fill(-0.25));
    expect(values(init("Ones"), [])).toEqual(new Float32Array([1]));
    expect(values(init("Zeros"), [3, 0])).toEqual(new Float32Array(0));
  });
});

describe("initializeWeight: random classes follow their formulas", () => {
  const n = 100_000;
  /** Six standard errors of a mean: a correct generator exceeds it about once in 10^9 runs. */
  const meanTolerance = (std: number) => (6 * std) / Math.sqrt(n);

  it("RandomNormal(mean, stddev), defaults 0 and 0.05", () => {
    const { mean, std } = moments(values(init("RandomNormal", { mean: 3, stddev: 2, seed: null }), [n]));
    expect(Math.abs(mean - 3)).toBeLessThan(meanTolerance(2));
    expect(Math.abs(std - 2)).toBeLessThan(0.02 * 2);
    expect(Math.abs(moments(values(init("random_normal"), [n])).std - 0.05)).toBeLessThan(0.001);
  });

  it("RandomUniform(minval, maxval), defaults ±0.05", () => {
    const drawn = values(init("RandomUniform", { minval: 1, maxval: 4, seed: null }), [n]);
    const { min, max } = extremes(drawn);
    expect(min).toBeGreaterThanOrEqual(1);
    expect(max).toBeLessThan(4);
    expect(Math.abs(moments(drawn).mean - 2.5)).toBeLessThan(meanTolerance(3 / Math.sqrt(12)));
    expect(extremes(values(init("uniform"), [n])).max).toBeLessThanOrEqual(0.05);
  });

  it("TruncatedNormal(mean, stddev): within two deviations, deviation 0.8796·stddev", () => {
    const drawn = values(init("TruncatedNormal", { mean: 1, stddev: 0.5, seed: null }), [n]);
    const { min, max } = extremes(drawn);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(2);
    expect(Math.abs(moments(drawn).std - 0.5 * 0.87962566)).toBeLessThan(0.01);
  });

  // A conv kernel (3, 3, 16, 32): receptive field 9, fan_in 144, fan_out 288, fan_avg 216.
  const conv = [3, 3, 16, 32];
  const fans = { fan_in: 144, fan_out: 288, fan_avg: 216 };

  for (const [mode, fan] of Object.entries(fans)) {
    it(`VarianceScaling uniform, ${mode}: within ±sqrt(3·scale/n), deviation sqrt(scale/n)`, () => {
      const scale = 2;
      const limit = Math.sqrt((3 * scale) / fan);
      const drawn = values(vs(scale, mode, "uniform"), conv);
      const { min, max } = extremes(drawn);
      expect(Math.max(-min, max)).toBeLessThanOrEqual(limit);
      expect(Math.max(-min, max)).toBeGreaterThan(0.99 * limit); // 41472 draws reach the edges
      expect(Math.abs(moments(drawn).std - Math.sqrt(scale / fan))).toBeLessThan(
        0.02 * Math.sqrt(scale / fan),
      );
    });
  }

  it("VarianceScaling normal (Keras 2: truncated, widened by 1/0.8796) and truncated_normal: deviation sqrt(scale/n)", () => {
    for (const distribution of ["normal", "truncated_normal"]) {
      const target = Math.sqrt(1 / 144);
      const drawn = values(vs(1, "fan_in", distribution), conv);
      const { min, max } = extremes(drawn);
      const bound = (2 * target) / 0.87962566103423978;
      expect(Math.max(-min, max)).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(Math.max(-min, max)).toBeGreaterThan(0.99 * bound);
      expect(Math.abs(moments(drawn).std - target)).toBeLessThan(0.02 * target);
    }
    // Keras 2 treats "normal" as "truncated_normal": the same values.
    expect(values(vs(1, "fan_in", "normal"), conv)).toEqual(
      values(vs(1, "fan_in", "truncated_normal"), conv),
    );
  });

  it("VarianceScaling untruncated_normal: a plain normal with deviation sqrt(scale/n)", () => {
    const target = Math.sqrt(3 / 288);
    const drawn = values(vs(3, "fan_out", "untruncated_normal"), conv);
    expect(extremes(drawn).max).toBeGreaterThan(2.5 * target); // tails a truncated normal never has
    expect(Math.abs(moments(drawn).std - target)).toBeLessThan(0.02 * target);
  });

  it("VarianceScaling divides by at least 1 (a zero-sized fan does not give Infinity)", () => {
    expect(values(vs(1, "fan_in", "uniform"), [0, 4])).toEqual(new Float32Array(0));
    expect(extremes(values(vs(1, "fan_in", "uniform"), [])).max).toBeLessThanOrEqual(Math.sqrt(3));
  });

  it("Glorot/He/LeCun names that arrive un-normalised are their VarianceScaling", () => {
    const pairs: [string, ConfigObject][] = [
      ["GlorotUniform", vs(1, "fan_avg", "uniform")],
      ["glorot_normal", vs(1, "fan_avg", "normal")],
      ["HeNormal", vs(2, "fan_in", "normal")],
      ["he_uniform", vs(2, "fan_in", "uniform")],
      ["LecunNormal", vs(1, "fan_in", "normal")],
      ["lecun_uniform", vs(1, "fan_in", "uniform")],
    ];
    for (const [name, expanded] of pairs) {
      expect(bytes(values(init(name, { seed: null }), [5, 7]))).toEqual(bytes(values(expanded, [5, 7])));
    }
    expect(values(init("GlorotUniform", { seed: 3 }), [5, 7], "x")).toEqual(
      values(vs(1, "fan_avg", "uniform", 3), [5, 7], "y"),
    );
  });

  it("missing config keys take Keras's defaults (VarianceScaling: 1, fan_in, normal)", () => {
    expect(values(init("VarianceScaling"), [6, 6])).toEqual(values(vs(1, "fan_in", "normal"), [6, 6]));
  });
});

describe("initializeWeight: Orthogonal", () => {
  const cases: [string, number[], number, number][] = [
    ["square", [64, 64], 64, 64],
    ["tall", [100, 30], 100, 30],
    ["wide (an LSTM recurrent kernel)", [16, 64], 16, 64],
    ["a conv kernel, flattened to (36, 8)", [3, 3, 4, 8], 36, 8],
  ];
  for (const [label, shape, rows, cols] of cases) {
    it(`${label}: orthonormal ${rows >= cols ? "columns" : "rows"} to 1e-5`, () => {
      const q = values(init("Orthogonal", { gain: 1, seed: null }), shape);
      expect(q.length).toBe(rows * cols);
      const error =
        rows >= cols
          ? orthonormalityError(q, rows, cols)
          : orthonormalityError(transpose(q, rows, cols), cols, rows);
      expect(error).toBeLessThan(1e-5);
    });
  }

  it("is the Q Keras computes: QᵀA is upper triangular with a positive diagonal for the drawn normal matrix A", () => {
    // Keras draws A of shape (max, min) = (7, 4) from the weight's stream, takes its QR, and fixes signs so
    // R's diagonal is positive; that Q is unique, so checking R = QᵀA pins the values down.
    for (const [shape, m, n] of [
      [[7, 4], 7, 4],
      [[4, 7], 7, 4],
    ] as const) {
      const weight = values(init("Orthogonal", { gain: 1, seed: null }), shape, "rnn/recurrent_kernel");
      const a = forKey(1, "rnn/recurrent_kernel").standardNormal(m * n);
      const q = shape[0] >= shape[1] ? weight : transpose(weight, shape[0], shape[1]);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const r = gram(q, a, m, n, n, i, j);
          if (i > j) expect(Math.abs(r)).toBeLessThan(1e-5);
          if (i === j) expect(r).toBeGreaterThan(0);
        }
    }
  });

  it("gain scales the matrix", () => {
    const plain = values(init("Orthogonal", { gain: 1, seed: null }), [10, 6]);
    const scaled = values(init("Orthogonal", { gain: 2.5, seed: null }), [10, 6]);
    scaled.forEach((value, i) => {
      expect(value).toBeCloseTo(2.5 * plain[i]!, 6);
    });
  });

  it("householderQ matches a hand-worked factorization", () => {
    // A = [[3, 1], [4, 2]] (column-major [3, 4, 1, 2]): Q's first column is (3, 4)/5, the second (−4, 3)/5
    // signed so R₂₂ = det(A)/5 · sign > 0: det = 2, so R₂₂ = 2/5 and Q₂ = (−0.8, 0.6).
    const q = householderQ(new Float64Array([3, 4, 1, 2]), 2, 2);
    const expected = [0.6, 0.8, -0.8, 0.6];
    q.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i]!, 12);
    });
  });

  it("refuses a weight of fewer than two dimensions", () => {
    expect(failure(init("Orthogonal"), [5])).toMatchObject({ code: "bad-shape" });
    expect(failure(init("Orthogonal"), [5]).message).toContain("at least 2 dimensions, got shape (5)");
  });
});

describe("initializeWeight: Identity", () => {
  it("gain · eye for square and rectangular matrices", () => {
    expect(Array.from(values(init("Identity", { gain: 2 }), [2, 3]))).toEqual([2, 0, 0, 0, 2, 0]);
    expect(Array.from(values(init("Identity"), [3, 2]))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it("refuses anything but a matrix", () => {
    expect(failure(init("Identity"), [3, 3, 3])).toMatchObject({
      kind: "initializer",
      code: "bad-shape",
      message: "Identity needs a 2D weight, got shape (3, 3, 3); use it for Dense kernels",
    });
  });
});

describe("initializeWeight: errors", () => {
  it("an unknown class lists the known ones", () => {
    const error = failure(init("Xavier"), [2]);
    expect(error.code).toBe("unknown-initializer");
    expect(error.message).toContain("unknown initializer 'Xavier'; expected one of zeros, ones, constant");
  });

  it("bad config values name the key and what it must be", () => {
    expect(failure(vs(1, "fan_inn", "normal"), [2, 2]).message).toBe(
      `VarianceScaling: 'mode' must be one of "fan_in", "fan_out", "fan_avg", got "fan_inn"`,
    );
    expect(failure(vs(0, "fan_in", "normal"), [2, 2]).message).toContain("'scale' must be greater than 0");
    expect(failure(init("RandomNormal", { stddev: -1 }), [2]).message).toContain(
      "'stddev' must be at least 0",
    );
    expect(failure(init("RandomUniform", { minval: 1, maxval: 0 }), [2]).message).toContain(
      "'maxval' must be at least 1",
    );
    expect(failure(init("RandomNormal", { seed: 1.5 }), [2]).message).toContain(
      "'seed' must be an integer or None",
    );
    expect(failure(init("Constant", { value: "one" }), [2])).toMatchObject({ code: "bad-config" });
  });

  it("bad shapes", () => {
    expect(failure(init("Zeros"), [2, -1]).code).toBe("bad-shape");
    expect(failure(init("Zeros"), [2.5]).code).toBe("bad-shape");
    expect(failure(init("Zeros"), [2 ** 40]).message).toContain("too large to allocate");
  });
});

describe("computeFans (Keras _compute_fans)", () => {
  it("scalars, vectors, matrices", () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([784, 10])).toEqual({ fanIn: 784, fanOut: 10 });
  });

  it("conv kernels: channels × receptive field", () => {
    // Conv1D kernel_size 5, 2 → 3 channels: receptive field 5.
    expect(computeFans([5, 2, 3])).toEqual({ fanIn: 10, fanOut: 15 });
    // Conv2D 3×3, 16 → 32: receptive field 9.
    expect(computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    // Conv3D 2×2×2, 3 → 4: receptive field 8.
    expect(computeFans([2, 2, 2, 3, 4])).toEqual({ fanIn: 24, fanOut: 32 });
  });
});
