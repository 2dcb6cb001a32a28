// kerasc's direct 2D convolution for tfjs's cpu backend: NHWC float32 input, [kh, kw, in, out] filter.
// tfjs-backend-cpu's Conv2D checks bounds per tap and adds each product into a Float32Array; this one
// copies each image once into a zero-padded buffer (no bounds checks), then computes 4 output pixels along
// a row × 4 output channels at a time with their sixteen running sums in locals (float64, rounded once when
// stored). With dilation 1 the kw taps × in channels of one kernel row are one contiguous run in the padded
// row and in the filter, so the inner loop is as long as the gemm's (gemm.ts); with dilation > 1 each tap is
// its own run of `in` values. 3–4× tfjs's Conv2D on this project's machine.

/** Sizes, strides, dilations and pads of one convolution (as backend_util.computeConv2DInfo gives them). */
export interface Conv2DGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** The contiguous runs of one output pixel's window: where each starts in the padded image and filter. */
interface Runs {
  readonly input: Int32Array;
  readonly filter: Int32Array;
  readonly length: number;
}

/** out (batch, outHeight, outWidth, outChannels) ← x ⊛ filter, no bias or activation. */
export function conv2d(x: Float32Array, filter: Float32Array, g: Conv2DGeometry, out: Float32Array): void {
  const { inHeight, inWidth, inChannels: cin, outHeight, outWidth, outChannels: cout } = g;
  if (g.batch === 0 || outHeight === 0 || outWidth === 0 || cout === 0) return;
  // Only the rows and columns some output pixel reads (a 'valid' stride may leave input unread).
  const paddedHeight = (outHeight - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1;
  const paddedWidth = (outWidth - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1;
  const rowStride = paddedWidth * cin;
  const padded = new Float32Array(paddedHeight * rowStride);
  const firstColumn = Math.max(0, g.padLeft);
  const lastColumn = Math.min(paddedWidth, g.padLeft + inWidth); // exclusive
  const runs = runsOf(g, rowStride);
  const imageSize = inHeight * inWidth * cin;
  const outImageSize = outHeight * outWidth * cout;
  for (let b = 0; b < g.batch; b++) {
    // The zero border stays zero: every image writes the same interior.
    if (lastColumn > firstColumn) {
      for (let r = Math.max(0, g.padTop); r < Math.min(paddedHeight, g.padTop + inHeight); r++) {
        const from = b * imageSize + ((r - g.padTop) * inWidth + (firstColumn - g.padLeft)) * cin;
        padded.set(
          x.subarray(from, from + (lastColumn - firstColumn) * cin),
          r * rowStride + firstColumn * cin,
        );
      }
    }
    const outBase = b * outImageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const rowBase = oy * g.strideHeight * rowStride;
      const pixelStep = g.strideWidth * cin;
      let ox = 0;
      for (; ox + 4 <= outWidth; ox += 4)
        pixelsOf4(
          padded,
          filter,
          runs,
          rowBase + ox * pixelStep,
          pixelStep,
          cout,
          out,
          outBase + (oy * outWidth + ox) * cout,
        );
      for (; ox < outWidth; ox++)
        pixelOf1(
          padded,
          filter,
          runs,
          rowBase + ox * pixelStep,
          cout,
          out,
          outBase + (oy * outWidth + ox) * cout,
        );
    }
  }
}

/** Dilation 1: one run per kernel row (its kw taps × in channels); otherwise one run per tap. */
function runsOf(g: Conv2DGeometry, rowStride: number): Runs {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = g;
  const perRow = g.dilationWidth === 1;
  const count = perRow ? kh : kh * kw;
  const input = new Int32Array(count);
  const filter = new Int32Array(count);
  for (let r = 0, i = 0; r < kh; r++) {
    for (let c = 0; c < (perRow ? 1 : kw); c++, i++) {
      input[i] = r * g.dilationHeight * rowStride + c * g.dilationWidth * cin;
      filter[i] = (r * kw + c) * cin * cout;
    }
  }
  return { input, filter, length: perRow ? kw * cin : cin };
}

/** Four output pixels (input windows `step` apart) × every channel: 4 × 4 blocks, then one channel at a time. */
// biome-ignore format: the micro-kernel reads as a 4 × 4 grid
function pixelsOf4(
  padded: Float32Array,
  filter: Float32Array,
  runs: Runs,
  base: number,
  step: number,
  cout: number,
  out: Float32Array,
  o0: number,
): void {
  const runInput = runs.input, runFilter = runs.filter, count = runInput.length, length = runs.length;
  let co = 0;
  for (; co + 4 <= cout; co += 4) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    for (let r = 0; r < count; r++) {
      const i0 = base + runInput[r]!, i1 = i0 + step, i2 = i1 + step, i3 = i2 + step;
      for (let t = 0, q = runFilter[r]! + co; t < length; t++, q += cout) {
        const f0 = filter[q]!, f1 = filter[q + 1]!, f2 = filter[q + 2]!, f3 = filter[q + 3]!;
        const x0 = padded[i0 + t]!, x1 = padded[i1 + t]!, x2 = padded[i2 + t]!, x3 = padded[i3 + t]!;
        c00 += x0 * f0; c01 += x0 * f1; c02 += x0 * f2; c03 += x0 * f3;
        c10 += x1 * f0; c11 += x1 * f1; c12 += x1 * f2; c13 += x1 * f3;
        c20 += x2 * f0; c21 += x2 * f1; c22 += x2 * f2; c23 += x2 * f3;
        c30 += x3 * f0; c31 += x3 * f1; c32 += x3 * f2; c33 += x3 * f3;
      }
    }
    let o = o0 + co;
    out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
    o += cout;
    out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
    o += cout;
    out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
    o += cout;
    out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
  }
  for (; co < cout; co++) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let r = 0; r < count; r++) {
      const i0 = base + runInput[r]!, i1 = i0 + step, i2 = i1 + step, i3 = i2 + step;
      for (let t = 0, q = runFilter[r]! + co; t < length; t++, q += cout) {
        const f = filter[q]!;
        c0 += padded[i0 + t]! * f; c1 += padded[i1 + t]! * f; c2 += padded[i2 + t]! * f; c3 += padded[i3 + t]! * f;
      }
    }
    out[o0 + co] = c0; out[o0 + cout + co] = c1; out[o0 + 2 * cout + co] = c2; out[o0 + 3 * cout + co] = c3;
  }
}

/** One output pixel (the last of a row whose width is not a multiple of 4): 4 channels at a time. */
// biome-ignore format: four running sums, one line each step
function pixelOf1(
  padded: Float32Array,
  filter: Float32Array,
  runs: Runs,
  base: number,
  cout: number,
  out: Float32Array,
  o: number,
): void {
  const runInput = runs.input, runFilter = runs.filter, count = runInput.length, length = runs.length;
  let co = 0;
  for (; co + 4 <= cout; co += 4) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let r = 0; r < count; r++) {
      const i = base + runInput[r]!;
      for (let t = 0, q = runFilter[r]! + co; t < length; t++, q += cout) {
        const xv = padded[i + t]!;
        c0 += xv * filter[q]!; c1 += xv * filter[q + 1]!; c2 += xv * filter[q + 2]!; c3 += xv * filter[q + 3]!;
      }
    }
    out[o + co] = c0; out[o + co + 1] = c1; out[o + co + 2] = c2; out[o + co + 3] = c3;
  }
  for (; co < cout; co++) {
    let c = 0;
    for (let r = 0; r < count; r++) {
      const i = base + runInput[r]!;
      for (let t = 0, q = runFilter[r]! + co; t < length; t++, q += cout) c += padded[i + t]! * filter[q]!;
    }
    out[o + co] = c;
  }
}
