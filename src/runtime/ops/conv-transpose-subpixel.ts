// A 2D transposed convolution as a "sub-pixel" convolution: one ordinary conv2d whose sh·sw·out channels
// are the output's stride phases, rearranged into the output by reshapes and a transpose. tfjs-backend-wasm's
// Conv2DBackpropInput is a plain loop (~10.6 ms for x (32, 8, 8, 16), 3×3, 16 → 16, stride 2, same), while
// its conv2d runs XNNPACK; the sub-pixel form is ~2× faster there. cpu has kerasc's own transposed kernel
// (src/runtime/cpu/), so this path runs on the other backends only, undilated.
//
// The identity, per spatial axis (stride s, kernel k, input length L): the full transposed output is
// O[u] = Σ_{i, t: u = i·s + t} x[i]·W[t], u ∈ [0, (L − 1)·s + k). Split u = q·s + r by phase r ∈ [0, s):
// O[q·s + r] = Σ_{j: r + j·s < k} x[q − j]·W[r + j·s], j ∈ [0, J), J = ⌈k / s⌉. That is a forward
// correlation of x with the J-tap kernel V_r[m] = W[r + (J − 1 − m)·s] (zero where the index is ≥ k):
// O[q·s + r] = Σ_m xpad[q + m]·V_r[m] with xpad = x behind J − 1 zeros. Over both axes, phase (rh, rw) and
// output channel c become conv channel (rh·sw + rw)·out + c, so the conv's (B, Qh, Qw, sh·sw·out) result
// reshaped to (B, Qh, Qw, sh, sw, out), transposed [0, 1, 3, 2, 4, 5] and reshaped to (B, Qh·sh, Qw·sw, out)
// is O, row q·s + r at index q·s + r. The op's output is O[o + before], o ∈ [0, size), with `before` the
// top/left pad tfjs's Conv2DBackpropInput uses (computeConv2DInfo on the output shape): only the rows
// q ∈ [⌊before / s⌋, ⌊(before + size − 1) / s⌋] are computed (the conv's explicit padding picks them), then
// the rest of the crop is a slice, skipped when empty (as for stride 2, same, odd k). The bias, tiled
// sh·sw times, and the activation are elementwise, so they commute with the rearrangement and crop: both
// are fused into the conv. Stride 1 is the plain conv with the flipped kernel (no reshape or transpose).
import type { fused, Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import {
  backend_util,
  Conv2D,
  FusedConv2D,
  getBackend,
  Reshape,
  Slice,
  Transpose,
} from "@tensorflow/tfjs-core";
import type { OpAttrs } from "../program.js";
import type { TfOps } from "./tf-ops.js";

type Attrs = OpAttrs["convTranspose"];

/** tf.fused.conv2d's bias and activation arguments. */
export type FusedEpilogue = Omit<Parameters<typeof fused.conv2d>[0], "x" | "filter" | "strides" | "pad">;

/** The kernels the sub-pixel path may run. */
export const SUBPIXEL_KERNELS: readonly string[] = [Conv2D, FusedConv2D, Reshape, Transpose, Slice];

/** Whether a step runs as a sub-pixel convolution on the active backend: 2D, undilated, not cpu. */
const usesSubPixel = (attrs: Attrs) =>
  getBackend() !== "cpu" && attrs.strides.length === 2 && (attrs.dilations ?? []).every((d) => d === 1);

/**
 * The sub-pixel filter of a kernel [kh, kw, out, in] with strides [sh, sw]: [Jh, Jw, in, sh·sw·out],
 * V[mh, mw, i, (rh·sw + rw)·out + c] = W[rh + (Jh − 1 − mh)·sh, rw + (Jw − 1 − mw)·sw, c, i] (zero past k).
 */
export function subPixelFilter(kernel: Tensor, strides: readonly [number, number], ops: TfOps): Tensor4D {
  const [kh, kw, out, inC] = kernel.shape as [number, number, number, number];
  const [sh, sw] = strides;
  const jh = Math.ceil(kh / sh);
  const jw = Math.ceil(kw / sw);
  // Taps t = j·s + r, zero-padded to J·s: (j, r) axes, j reversed into m = J − 1 − j.
  const padded = ops.pad(kernel, [
    [0, jh * sh - kh],
    [0, jw * sw - kw],
    [0, 0],
    [0, 0],
  ]);
  // j reversed through rank-2 and rank-3 views of (jh, sh, jw, sw, out, in): webgl reverses at most rank 4.
  const rowsFlipped = ops.reverse(ops.reshape(padded, [jh, sh * jw * sw * out * inC]), [0]);
  const colsFlipped = ops.reverse(ops.reshape(rowsFlipped, [jh * sh, jw, sw * out * inC]), [1]);
  const flipped = ops.reshape(colsFlipped, [jh, sh, jw, sw, out, inC]);
  // (mh, rh, mw, rw, c, i) → (mh, mw, i, rh, rw, c).
  const arranged = ops.transpose(flipped, [0, 2, 5, 1, 3, 4]);
  return ops.reshape(arranged, [jh, jw, inC, sh * sw * out]) as Tensor4D;
}

/**
 * convTranspose's load-time preparation: [filter, bias tiled sh·sw times?] when the step runs as a
 * sub-pixel convolution on this backend, else nothing (the step runs Conv2DBackpropInput).
 */
export function prepareSubPixel(
  attrs: Attrs,
  [kernel, bias]: readonly Tensor[],
  ops: TfOps,
): Tensor[] | undefined {
  if (!usesSubPixel(attrs)) return undefined;
  const strides = attrs.strides as [number, number];
  const filter = subPixelFilter(kernel!, strides, ops);
  return bias ? [filter, ops.tile(bias, [strides[0] * strides[1]])] : [filter];
}

/** One axis of the sub-pixel run: the conv's padding, its rows and the crop of the rearranged result. */
interface AxisPlan {
  readonly padBefore: number;
  readonly padAfter: number;
  /** Conv output rows Q: the rearranged length is Q·s. */
  readonly rows: number;
  /** Where the op's output starts in the rearranged result. */
  readonly cropStart: number;
}

function axisPlan(length: number, k: number, s: number, size: number, before: number): AxisPlan | undefined {
  const taps = Math.ceil(k / s);
  const first = Math.floor(before / s);
  const last = Math.floor((before + size - 1) / s);
  const padBefore = taps - 1 - first;
  const padAfter = last - length + 1;
  if (padBefore < 0 || padAfter < 0) return undefined;
  return { padBefore, padAfter, rows: last - first + 1, cropStart: before - first * s };
}

/**
 * The transposed convolution of x (B, H, W, in) to `spatial` from the prepared filter, with `epilogue` (the
 * tiled bias and the activation) fused into the conv, or none (a plain Conv2D); undefined when the shapes are outside what the identity covers (tfjs's own kernel
 * would not see x as the forward convolution's output, or the crop reaches past the computed rows), so the
 * caller runs Conv2DBackpropInput.
 */
export function runSubPixel(
  x: Tensor4D,
  kernel: Tensor,
  spatial: readonly number[],
  attrs: Attrs,
  filter: Tensor,
  epilogue: FusedEpilogue | undefined,
  ops: TfOps,
): Tensor | undefined {
  const [batch, height, width] = x.shape;
  const [kh, kw, out] = kernel.shape as [number, number, number, number];
  const [sh, sw] = attrs.strides as [number, number];
  const [outH, outW] = spatial as [number, number];
  const info = backend_util.computeConv2DInfo(
    [batch, outH, outW, out],
    kernel.shape as [number, number, number, number],
    [sh, sw],
    1,
    attrs.padding,
  );
  if (info.outHeight !== height || info.outWidth !== width) return undefined;
  const rowsPlan = axisPlan(height, kh, sh, outH, info.padInfo.top);
  const colsPlan = axisPlan(width, kw, sw, outW, info.padInfo.left);
  if (!rowsPlan || !colsPlan) return undefined;
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [rowsPlan.padBefore, rowsPlan.padAfter],
    [colsPlan.padBefore, colsPlan.padAfter],
    [0, 0],
  ];
  const phases = epilogue
    ? ops.fusedConv2d({ x, filter: filter as Tensor4D, strides: 1, pad, ...epilogue })
    : ops.conv2d(x, filter as Tensor4D, 1, pad, "NHWC");
  const { rows } = rowsPlan;
  const cols = colsPlan.rows;
  let full: Tensor = phases;
  if (sh * sw > 1) {
    // Swapping the cols and row-phase axes moves nothing when either has size 1.
    const split = ops.reshape(phases, [batch, rows, cols, sh, sw, out]);
    const interleaved = sh > 1 && cols > 1 ? ops.transpose(split, [0, 1, 3, 2, 4, 5]) : split;
    full = ops.reshape(interleaved, [batch, rows * sh, cols * sw, out]);
  }
  const exact =
    rowsPlan.cropStart === 0 && colsPlan.cropStart === 0 && rows * sh === outH && cols * sw === outW;
  return exact
    ? full
    : ops.slice(full, [0, rowsPlan.cropStart, colsPlan.cropStart, 0], [batch, outH, outW, out]);
}
