// Ops that resize axes without weights: `pad` (zeros), `crop`, `upsample` (nearest: each element
// repeated) and `resizeBilinear` — ZeroPadding, Cropping and UpSampling, and causal Conv1D's left padding.
import type { Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import { PadV2, Reshape, ResizeBilinear, Slice, Tile } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";

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
    kernels: () => [Reshape, Tile],
    run([x], attrs, _weights, ops) {
      // (…, n, …) → (…, n, 1, …), tiled to (…, n, f, …), merged to (…, n·f, …): each element f times.
      const input = x!;
      const split = input.shape.flatMap((length, i) => (attrs.factors[i]! > 1 ? [length, 1] : [length]));
      const reps = input.shape.flatMap((_, i) => (attrs.factors[i]! > 1 ? [1, attrs.factors[i]!] : [1]));
      const merged = input.shape.map((length, i) => length * attrs.factors[i]!);
      return [ops.reshape(ops.tile(ops.reshape(input, split), reps), merged)];
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
