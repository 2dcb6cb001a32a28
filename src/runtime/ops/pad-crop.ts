// Ops that resize axes without weights: `pad` (zeros), `crop`, `upsample` (nearest: each element
// repeated, run as ResizeNearestNeighbor, Tile where that would not be exact) and `resizeBilinear` —
// ZeroPadding, Cropping and UpSampling, and causal Conv1D's left padding.
import type { Tensor, Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import { PadV2, Reshape, ResizeBilinear, ResizeNearestNeighbor, Slice, Tile } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/**
 * Whether tfjs's ResizeNearestNeighbor (no align_corners, no half-pixel centers) takes source row ⌊i / f⌋
 * for every output row i of an axis of length n upsampled f times. Its kernels compute
 * min(n − 1, ⌊(n / (n·f)) · i⌋) with a rounded scale — in float64 on cpu, in float32 on wasm — which is
 * ⌊i / f⌋ for most factors but not all (f = 41 picks a row early on some lengths), so both are checked
 * here; the check costs n·f steps, no more than the axis's output length.
 */
export function resizeIsExact(n: number, f: number): boolean {
  if (f === 1) return true;
  const scale64 = n / (n * f);
  // float32 n / float32 n·f, rounded once to float32 (exact: a float64 quotient rounds to the same float32).
  const scale32 = Math.fround(scale64);
  for (let i = 0; i < n * f; i++) {
    const row = (i - (i % f)) / f;
    if (Math.min(n - 1, Math.floor(scale64 * i)) !== row) return false;
    if (Math.min(n - 1, Math.floor(Math.fround(scale32 * i))) !== row) return false;
  }
  return true;
}

/**
 * Nearest upsampling with ResizeNearestNeighbor: each pair of adjacent upsampled axes is one resize of the
 * tensor viewed as (before, rows, cols, after), a lone upsampled axis one of (before, rows, 1, after); the
 * views are reshapes, skipped when the shape already is the view (2D channels-last: one kernel, nothing
 * else). Undefined when a resize would not be exact (see resizeIsExact) or x is not float32 (wasm's kernel
 * returns float32), for the tile below.
 */
function upsampleByResize(x: Tensor, factors: readonly number[], ops: TfOps): Tensor | undefined {
  if (x.dtype !== "float32") return undefined;
  const groups: [number, number][] = [];
  for (let axis = 0; axis < factors.length; axis++) {
    if (factors[axis] === 1) continue;
    const paired = axis + 1 < factors.length && factors[axis + 1] !== 1;
    groups.push([axis, paired ? axis + 1 : -1]);
    if (paired) axis++;
  }
  const exact = (axis: number) => axis < 0 || resizeIsExact(x.shape[axis]!, factors[axis]!);
  if (!groups.every(([a, b]) => exact(a) && exact(b))) return undefined;
  const product = (sizes: readonly number[]) => sizes.reduce((p, d) => p * d, 1);
  const shape = [...x.shape];
  let y = x;
  for (const [a, b] of groups) {
    const last = b < 0 ? a : b;
    const view = [
      product(shape.slice(0, a)),
      shape[a]!,
      b < 0 ? 1 : shape[b]!,
      product(shape.slice(last + 1)),
    ];
    const viewed = sameShape(y.shape, view) ? y : ops.reshape(y, view);
    y = ops.resizeNearestNeighbor(
      viewed as Tensor4D,
      [view[1]! * factors[a]!, view[2]! * (b < 0 ? 1 : factors[b]!)],
      false,
      false,
    );
    shape[a] = shape[a]! * factors[a]!;
    if (b >= 0) shape[b] = shape[b]! * factors[b]!;
  }
  return sameShape(y.shape, shape) ? y : ops.reshape(y, shape);
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Nearest upsampling with Tile: (…, n, …) → (…, n, 1, …), tiled to (…, n, f, …), merged to (…, n·f, …). */
function upsampleByTile(x: Tensor, factors: readonly number[], ops: TfOps): Tensor {
  const split = x.shape.flatMap((length, i) => (factors[i]! > 1 ? [length, 1] : [length]));
  const reps = x.shape.flatMap((_, i) => (factors[i]! > 1 ? [1, factors[i]!] : [1]));
  const merged = x.shape.map((length, i) => length * factors[i]!);
  return ops.reshape(ops.tile(ops.reshape(x, split), reps), merged);
}

/** The resizing ops. */
export const padCropOps: OpGroup<"pad" | "crop" | "upsample" | "resizeBilinear"> = {
  pad: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [PadV2],
    run: ([x], attrs, _weights, ops) => [
      ops.pad(
        x!,
        attrs.paddings.map(([before, after]) => [before, after] as [number, number]),
      ),
    ],
  },
  crop: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Slice],
    run([x], attrs, _weights, ops) {
      const input = x!;
      const begin = attrs.cropping.map(([before]) => before);
      const size = input.shape.map((length, i) => length - attrs.cropping[i]![0] - attrs.cropping[i]![1]);
      return [ops.slice(input, begin, size)];
    },
  },
  upsample: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [ResizeNearestNeighbor, Reshape, Tile],
    run([x], attrs, _weights, ops) {
      const input = x!;
      if (attrs.factors.every((f) => f === 1)) return [input];
      return [upsampleByResize(input, attrs.factors, ops) ?? upsampleByTile(input, attrs.factors, ops)];
    },
  },
  resizeBilinear: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [ResizeBilinear],
    run([x], attrs, _weights, ops) {
      // Keras 2's K.resize_images: tf.image.resize_bilinear without align_corners or half-pixel centers.
      const input = x! as Tensor4D | Tensor3D;
      const [rows, cols] = [input.shape[1]!, input.shape[2]!];
      return [ops.resizeBilinear(input, [rows * attrs.factors[0], cols * attrs.factors[1]], false, false)];
    },
  },
};
