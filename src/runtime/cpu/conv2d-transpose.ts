// kerasc's transposed 2D convolution for tfjs's cpu backend (what Conv2DBackpropInput computes for
// tf.conv2dTranspose): each input pixel's channels times the filter give that pixel's contribution to a
// kh × kw window of the output (a product: (pixels, in) · (in, kh·kw·out)), added into the output at the
// window's place (col2im). tfjs-backend-cpu's kernel gathers every output value with bounds checks per
// tap; the product here is gemm.ts's 4 × 4 blocking, kept in float64 through the additions, so each output
// value is rounded once.

/** Sizes, strides and pads, named as for the convolution it transposes (its input is this one's output). */
export interface Conv2DTransposeGeometry {
  readonly batch: number;
  /** The output's (the convolution's input's) sizes. */
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** The input's (the convolution's output's) sizes. */
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  /**
   * The rows and columns of the input that count: the convolution's output size for the output's size, as
   * tfjs's kernel takes it (an output that is too small for the input leaves its last rows and columns out).
   */
  readonly usedHeight: number;
  readonly usedWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Output rows per product: a bound on the float64 columns held at once (~2 MB). */
const CHUNK_VALUES = 1 << 18;

/**
 * out (batch, height, width, channels) ← the transposed convolution of dy (batch, inHeight, inWidth,
 * inChannels) by filter [kh, kw, channels, inChannels] (tfjs's layout for conv2dTranspose).
 */
export function conv2dTranspose(
  dy: Float32Array,
  filter: Float32Array,
  g: Conv2DTransposeGeometry,
  out: Float32Array,
): void {
  const { height, width, channels, inHeight, inWidth, inChannels, filterHeight: kh, filterWidth: kw } = g;
  const window = kh * kw * channels;
  const pixels = inHeight * inWidth;
  if (g.batch === 0 || pixels === 0 || window === 0) return;
  // filter viewed as (window, inChannels), transposed: row d of it is input channel d's whole window.
  const filterT = new Float32Array(window * inChannels);
  for (let w = 0; w < window; w++)
    for (let d = 0; d < inChannels; d++) filterT[d * window + w] = filter[w * inChannels + d]!;
  const chunk = Math.max(4, Math.floor(CHUNK_VALUES / window / 4) * 4);
  const columns = new Float64Array(Math.min(chunk, pixels) * window);
  const image = new Float64Array(height * width * channels);
  for (let b = 0; b < g.batch; b++) {
    image.fill(0);
    for (let first = 0; first < pixels; first += chunk) {
      const rows = Math.min(chunk, pixels - first);
      product64(dy, filterT, rows, inChannels, window, columns, (b * pixels + first) * inChannels);
      for (let p = 0; p < rows; p++) {
        const iy = Math.floor((first + p) / inWidth);
        const ix = first + p - iy * inWidth;
        if (iy >= g.usedHeight || ix >= g.usedWidth) continue;
        const top = iy * g.strideHeight - g.padTop;
        const left = ix * g.strideWidth - g.padLeft;
        for (let r = 0; r < kh; r++) {
          const y = top + r;
          if (y < 0 || y >= height) continue;
          for (let c = 0; c < kw; c++) {
            const x = left + c;
            if (x < 0 || x >= width) continue;
            const to = (y * width + x) * channels;
            const from = p * window + (r * kw + c) * channels;
            for (let d = 0; d < channels; d++) image[to + d] = image[to + d]! + columns[from + d]!;
          }
        }
      }
    }
    out.set(image, b * height * width * channels);
  }
}

/** out (m, n) = a (m, k) · b (k, n) with a read from aOffset, kept in float64: gemm.ts's blocks. */
// biome-ignore format: the micro-kernel reads as a 4 × 4 grid
function product64(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array,
  aOffset: number,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const r0 = aOffset + i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    const o0 = i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let kk = 0, q = j; kk < k; kk++, q += n) {
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
      for (let kk = 0, q = j; kk < k; kk++, q += n) {
        const bv = b[q]!;
        c0 += a[r0 + kk]! * bv; c1 += a[r1 + kk]! * bv; c2 += a[r2 + kk]! * bv; c3 += a[r3 + kk]! * bv;
      }
      out[o0 + j] = c0; out[o0 + n + j] = c1; out[o0 + 2 * n + j] = c2; out[o0 + 3 * n + j] = c3;
    }
  }
  for (; i < m; i++) {
    const r = aOffset + i * k;
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let kk = 0, q = j; kk < k; kk++, q += n) c += a[r + kk]! * b[q]!;
      out[i * n + j] = c;
    }
  }
}
