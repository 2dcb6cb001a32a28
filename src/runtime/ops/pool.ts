// Pooling: `pool` (max or average windows over 1, 2 or 3 spatial axes of a channels-last input, TF's
// "same" excluding the padded cells from averages) and `reduce` (max or mean over whole axes: the global
// poolings, in either layout).
import type { Tensor, Tensor4D, Tensor5D } from "@tensorflow/tfjs-core";
import { AvgPool, AvgPool3D, Cast, Max, MaxPool, Mean, Reshape } from "@tensorflow/tfjs-core";
import { withRow } from "./conv.js";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/**
 * 3D max pooling as two 2D ones: rows and cols first, then dim1 (a box's max is the max over dim1 of each
 * slice's max, and TF pads each axis on its own, so "same" splits too). tfjs-backend-wasm 4.22's MaxPool3D
 * returns wrong values for negative inputs, so the runtime does not use it.
 */
function maxPool3dSeparable(
  x: Tensor,
  size: readonly [number, number, number],
  strides: readonly [number, number, number],
  padding: "valid" | "same",
  ops: TfOps,
): Tensor {
  const [batch, depth, rows, cols, channels] = x.shape as [number, number, number, number, number];
  const planes = ops.reshape(x, [batch * depth, rows, cols, channels]) as Tensor4D;
  const pooled = ops.maxPool(planes, [size[1], size[2]], [strides[1], strides[2]], padding);
  const [, outRows, outCols] = pooled.shape;
  const columns = ops.reshape(pooled, [batch, depth, outRows * outCols, channels]) as Tensor4D;
  const across = ops.maxPool(columns, [size[0], 1], [strides[0], 1], padding);
  return ops.reshape(across, [batch, across.shape[1], outRows, outCols, channels]);
}

/** The pooling ops. */
export const poolOps: OpGroup<"pool" | "reduce"> = {
  pool: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels(attrs) {
      const rank = attrs.poolSize.length;
      if (rank === 3) return attrs.mode === "max" ? [MaxPool, Reshape] : [AvgPool3D, Cast];
      // tf.avgPool casts its result back to the input's dtype (a float32 Cast, but a kernel run).
      const kernels = attrs.mode === "max" ? [MaxPool] : [AvgPool, Cast];
      return rank === 1 ? [...kernels, Reshape] : kernels;
    },
    run([x], attrs, _weights, ops) {
      const input = x!;
      const rank = attrs.poolSize.length;
      if (rank === 3) {
        const size = attrs.poolSize as [number, number, number];
        const strides = attrs.strides as [number, number, number];
        if (attrs.mode === "avg") return [ops.avgPool3d(input as Tensor5D, size, strides, attrs.padding)];
        return [maxPool3dSeparable(input, size, strides, attrs.padding, ops)];
      }
      // One spatial axis pools as two, over a size-1 row (as Keras's pool1d does).
      const oneAxis = rank === 1;
      const x4 = (oneAxis ? withRow(input, ops) : input) as Tensor4D;
      const size = (oneAxis ? [1, attrs.poolSize[0]!] : attrs.poolSize) as [number, number];
      const strides = (oneAxis ? [1, attrs.strides[0]!] : attrs.strides) as [number, number];
      const pool = attrs.mode === "max" ? ops.maxPool : ops.avgPool;
      const y: Tensor = pool(x4, size, strides, attrs.padding);
      return [oneAxis ? ops.reshape(y, [y.shape[0]!, ...y.shape.slice(2)]) : y];
    },
  },
  reduce: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: (attrs) => [attrs.mode === "max" ? Max : Mean],
    run: ([x], attrs, _weights, ops) => [
      attrs.mode === "max" ? ops.max(x!, [...attrs.axes]) : ops.mean(x!, [...attrs.axes]),
    ],
  },
};
