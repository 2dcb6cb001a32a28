// kerasc's transposed 2D convolution for tfjs's cpu backend (what Conv2DBackpropInput computes for
// tf.conv2dTranspose): each input pixel's channels times the filter give that pixel's contribution to a
// kh × kw window of the output (a product: (pixels, in) · (in, kh·kw·out)), added into the output at the
// window's place (col2im). tfjs-backend-cpu's kernel gathers every output value with bounds checks per
// tap; the product here is gemm.ts's 4 × 4 blocking, kept in float64 through the additions, so each output
// value is rounded once.
import { gemm } from "./gemm.js";

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
      gemm(dy, filterT, rows, inChannels, window, columns, (b * pixels + first) * inChannels);
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
