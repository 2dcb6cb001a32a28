// Ops that move data without arithmetic: reshape, reshapeLike, expandDims, transpose, tile, concat, cast and
// identity.
import { Cast, Concat, ExpandDims, Reshape, Tile, Transpose } from "@tensorflow/tfjs-core";
import { exactly, NO_WEIGHTS, type OpGroup } from "./op-def.js";

/** The data-movement ops. */
export const shapeOps: OpGroup<
  "reshape" | "reshapeLike" | "expandDims" | "transpose" | "tile" | "concat" | "cast" | "identity"
> = {
  reshape: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Reshape],
    // 0 keeps the input's size at that index (the batch, for Keras's Reshape and Flatten).
    run: ([x], attrs, _weights, ops) => [
      ops.reshape(
        x!,
        attrs.shape.map((size, i) => (size === 0 ? x!.shape[i]! : size)),
      ),
    ],
  },
  // 0 takes the size of the second input at that index: sizes only known at run time, such as the batch
  // of a tensor whose batch axis another reshape merged (TimeDistributed).
  reshapeLike: {
    inputs: exactly(2),
    weights: NO_WEIGHTS,
    kernels: () => [Reshape],
    run: ([x, like], attrs, _weights, ops) => [
      ops.reshape(
        x!,
        attrs.shape.map((size, i) => (size === 0 ? like!.shape[i]! : size)),
      ),
    ],
  },
  expandDims: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [ExpandDims],
    run: ([x], attrs, _weights, ops) => [ops.expandDims(x!, attrs.axis)],
  },
  transpose: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Transpose],
    run: ([x], attrs, _weights, ops) => [ops.transpose(x!, [...attrs.perm])],
  },
  tile: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Tile],
    run: ([x], attrs, _weights, ops) => [ops.tile(x!, [...attrs.reps])],
  },
  concat: {
    inputs: { min: 1, max: Number.POSITIVE_INFINITY },
    weights: NO_WEIGHTS,
    kernels: () => [Concat],
    run: (inputs, attrs, _weights, ops) => [ops.concat([...inputs], attrs.axis)],
  },
  cast: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [Cast],
    run: ([x], attrs, _weights, ops) => [ops.cast(x!, attrs.dtype)],
  },
  identity: {
    inputs: exactly(1),
    weights: NO_WEIGHTS,
    kernels: () => [],
    run: ([x]) => [x!],
  },
};
