// kerasc's matrix product for tfjs's cpu backend: out (m, n) = a (m, k) · b (k, n), all row-major float32.
// tfjs-backend-cpu's BatchMatMul walks b's columns with a stride of n and keeps its partial sums in a
// Float32Array; this one computes a 4 × 4 block of out at a time with its sixteen running sums in locals
// (JavaScript numbers: float64, rounded once when stored), reading four elements of a and four contiguous
// elements of b per k. On this project's machine that is 4–5× tfjs's kernel for Dense-sized products
// (32×784 · 784×512: ~11 ms against ~50 ms) and its sums are closer to the exact ones.

/**
 * out[i·n + j] = Σₖ a[aOffset + i·k + kk] · b[bOffset + kk·n + j], for i < m, j < n. A Float64Array `out`
 * keeps the sums unrounded (the transposed convolution adds several of them up before rounding).
 */
export function gemm(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  out: Float32Array | Float64Array,
  aOffset = 0,
  bOffset = 0,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) rowsOf4(a, b, i, k, n, out, aOffset, bOffset);
  for (; i < m; i++) rowOf1(a, b, i, k, n, out, aOffset, bOffset);
}

/** Rows i … i+3 of out: 4 × 4 blocks, then the last columns one at a time. */
// biome-ignore format: the micro-kernel reads as a 4 × 4 grid
function rowsOf4(
  a: Float32Array,
  b: Float32Array,
  i: number,
  k: number,
  n: number,
  out: Float32Array | Float64Array,
  aOffset: number,
  bOffset: number,
): void {
  const r0 = aOffset + i * k;
  const r1 = r0 + k;
  const r2 = r1 + k;
  const r3 = r2 + k;
  const o0 = i * n;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (let kk = 0, q = bOffset + j; kk < k; kk++, q += n) {
      const b0 = b[q]!, b1 = b[q + 1]!, b2 = b[q + 2]!, b3 = b[q + 3]!;
      const a0 = a[r0 + kk]!, a1 = a[r1 + kk]!, a2 = a[r2 + kk]!, a3 = a[r3 + kk]!;
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
      c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    }
    let o = o0 + j;
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
    o += n;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
    o += n;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
    o += n;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
  }
  for (; j < n; j++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let kk = 0, q = bOffset + j; kk < k; kk++, q += n) {
      const bv = b[q]!;
      c0 += a[r0 + kk]! * bv; c1 += a[r1 + kk]! * bv; c2 += a[r2 + kk]! * bv; c3 += a[r3 + kk]! * bv;
    }
    out[o0 + j] = c0; out[o0 + n + j] = c1; out[o0 + 2 * n + j] = c2; out[o0 + 3 * n + j] = c3;
  }
}

/** Row i of out alone (a row count that is not a multiple of 4: batch 1): 8 columns at a time. */
// biome-ignore format: eight running sums, one line each step
function rowOf1(
  a: Float32Array,
  b: Float32Array,
  i: number,
  k: number,
  n: number,
  out: Float32Array | Float64Array,
  aOffset: number,
  bOffset: number,
): void {
  const r = aOffset + i * k;
  const o = i * n;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
    for (let kk = 0, q = bOffset + j; kk < k; kk++, q += n) {
      const av = a[r + kk]!;
      c0 += av * b[q]!; c1 += av * b[q + 1]!; c2 += av * b[q + 2]!; c3 += av * b[q + 3]!;
      c4 += av * b[q + 4]!; c5 += av * b[q + 5]!; c6 += av * b[q + 6]!; c7 += av * b[q + 7]!;
    }
    out[o + j] = c0; out[o + j + 1] = c1; out[o + j + 2] = c2; out[o + j + 3] = c3;
    out[o + j + 4] = c4; out[o + j + 5] = c5; out[o + j + 6] = c6; out[o + j + 7] = c7;
  }
  for (; j < n; j++) {
    let c = 0;
    for (let kk = 0, q = bOffset + j; kk < k; kk++, q += n) c += a[r + kk]! * b[q]!;
    out[o + j] = c;
  }
}
