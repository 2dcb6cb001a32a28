// Seeded, deterministic random numbers generated on the host (never tf.random), so every backend and
// every creation order sees the same weights: one xoshiro128** stream per (seed, key), e.g. "dense_1/kernel".
//
// Generator: xoshiro128** 1.0 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c), 128-bit
// state, period 2^128 − 1. Its state is filled by SplitMix64 (the seeding its authors recommend) started
// from mix64(seed) XOR FNV-1a-64(UTF-8 key): mixing the seed first makes (seed, key) collisions as unlikely
// as random 64-bit ones, even for small seeds and similar keys.
//
// Distributions:
// - uniform: one 32-bit draw, its top 24 bits as a float in [0, 1) — exactly representable in float32.
// - normal: Box–Muller on a 53-bit uniform in (0, 1] (radius) and a 32-bit one (angle); both outputs of a
//   pair are used. Every call starts a fresh pair, so a call's values depend only on the stream's position.
// - truncated normal: standard normals outside [−2, 2] are re-drawn, as TensorFlow's truncated_normal does.

/** A deterministic source of random values; one per weight (see `forKey`). */
export class RandomStream {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Prefer `forKey`; a stream starts from 128 bits of state (not all zero). */
  constructor(state: readonly [number, number, number, number]) {
    [this.#s0, this.#s1, this.#s2, this.#s3] = state.map((word) => word >>> 0) as [
      number,
      number,
      number,
      number,
    ];
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0)
      throw new RangeError("xoshiro128** state must not be all zero");
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits (two draws). */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** `n` values uniform in [min, max). */
  uniform(n: number, min: number, max: number): Float32Array {
    const out = new Float32Array(n);
    const width = max - min;
    for (let i = 0; i < n; i++) out[i] = min + width * ((this.nextUint32() >>> 8) * 2 ** -24);
    return out;
  }

  /** `n` standard normal values in float64 (for computations that round to float32 only at the end). */
  standardNormal(n: number): Float64Array {
    const out = new Float64Array(n);
    const next = this.#normalSource();
    for (let i = 0; i < n; i++) out[i] = next();
    return out;
  }

  /** `n` values from the normal distribution N(mean, std²). */
  normal(n: number, mean: number, std: number): Float32Array {
    const out = new Float32Array(n);
    const next = this.#normalSource();
    for (let i = 0; i < n; i++) out[i] = mean + std * next();
    return out;
  }

  /**
   * `n` values from N(mean, std²) restricted to [mean − 2·std, mean + 2·std]: a draw beyond two standard
   * deviations is discarded and re-drawn (TensorFlow's truncated_normal). The result's standard deviation
   * is about 0.87962566 · std.
   */
  truncatedNormal(n: number, mean: number, std: number): Float32Array {
    const out = new Float32Array(n);
    const next = this.#normalSource();
    for (let i = 0; i < n; i++) {
      let z = next();
      while (z < -2 || z > 2) z = next();
      out[i] = mean + std * z;
    }
    return out;
  }

  /** Standard normals from this stream by Box–Muller, both values of each pair used in turn. */
  #normalSource(): () => number {
    let spare: number | undefined;
    return () => {
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      const radius = Math.sqrt(-2 * Math.log(1 - this.nextDouble())); // 1 − u ∈ (0, 1]: log never sees 0
      const angle = 2 * Math.PI * this.nextUint32() * 2 ** -32;
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    };
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const MASK64 = (1n << 64n) - 1n;

/** The SplitMix64 output function (Stafford's Mix13 variant): a bijection on 64-bit integers. */
function mix64(value: bigint): bigint {
  let z = value & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`. */
function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  return hash;
}

/**
 * The stream for one named value under a seed: `forKey(seed, "dense_1/kernel")` gives the same numbers
 * whatever else was drawn before, in any process, on any backend. Seeds are integers (negative ones
 * wrap to 64 bits); a fractional or non-finite seed throws a RangeError (validate user input first).
 */
export function forKey(seed: number | bigint, key: string): RandomStream {
  if (typeof seed === "number" && !Number.isInteger(seed))
    throw new RangeError(`a random seed must be an integer, got ${seed}`);
  let state = mix64(BigInt.asUintN(64, BigInt(seed))) ^ fnv1a64(key);
  // SplitMix64: two outputs fill xoshiro128**'s four words. Two consecutive outputs come from distinct
  // states through a bijection, so they are never both zero and the state is never all zero.
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    const output = mix64(state);
    words.push(Number(output & 0xffffffffn), Number(output >> 32n));
  }
  return new RandomStream(words as [number, number, number, number]);
}
