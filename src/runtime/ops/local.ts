// The `localConv` op: Keras 2's local_conv (LocallyConnected1D/2D, implementation 1). Every output position
// has its own kernel, so the input's patches are gathered into (positions, batch, window·in) and multiplied
// by the kernel (positions, window·in, out) in one batched product. The patches come from one depthwise
// convolution with one-hot filters (channel c, offset k → output channel c·K + k: exact, since every other
// tap adds a zero), far faster than a slice per position or per offset. They flatten as Keras reshapes
// them in the input's own layout: (window, in) for channels_last, (in, window) for channels_first.
import type { Tensor, Tensor4D } from "@tensorflow/tfjs-core";
import { Add, BatchMatMul, DepthwiseConv2dNative, Reshape, Transpose } from "@tensorflow/tfjs-core";
import { activationKernels, applyActivation } from "./activation.js";
import { exactly, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

/** The depthwise filter (kh, kw, channels, K) whose output channel c·K + k is input channel c at offset k. */
function oneHotFilter(kh: number, kw: number, channels: number, ops: TfOps): Tensor4D {
  const window = kh * kw;
  const values = new Float32Array(window * channels * window);
  for (let k = 0; k < window; k++) {
    // Offset k = (i, j) row-major; the filter's layout is [i][j][c][m].
    for (let c = 0; c < channels; c++) values[(k * channels + c) * window + k] = 1;
  }
  return ops.tensor4d(values, [kh, kw, channels, window]);
}

/** The locally-connected op. */
export const localOps: OpGroup<"localConv"> = {
  localConv: {
    inputs: exactly(1),
    weights: { min: 1, max: 2 },
    kernels: (attrs, weightCount) => [
      DepthwiseConv2dNative,
      Reshape,
      Transpose,
      BatchMatMul,
      ...(weightCount > 1 ? [Add] : []),
      ...(attrs.activation === "linear"
        ? []
        : activationKernels({
            fn: attrs.activation,
            ...(attrs.alpha === undefined ? {} : { alpha: attrs.alpha }),
          })),
    ],
    run([x], attrs, [kernel, bias], ops) {
      const rank = attrs.kernelSize.length;
      // Channels last, and one spatial axis as two (a size-1 row).
      const input = attrs.channelsFirst
        ? ops.transpose(x!, [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1])
        : x!;
      const batch = input.shape[0]!;
      const channels = input.shape[rank + 1]!;
      const x4 = (rank === 1 ? ops.reshape(input, [batch, 1, input.shape[1]!, channels]) : input) as Tensor4D;
      const [kh, kw] = rank === 1 ? [1, attrs.kernelSize[0]!] : [attrs.kernelSize[0]!, attrs.kernelSize[1]!];
      const strides = (rank === 1 ? [1, attrs.strides[0]!] : attrs.strides) as [number, number];
      const window = kh * kw;
      // (b, rows, cols, channels·K): every output position's patch, channel-major.
      const gathered = ops.depthwiseConv2d(x4, oneHotFilter(kh, kw, channels, ops), strides, "valid");
      const outSpatial = rank === 1 ? [gathered.shape[2]] : [gathered.shape[1], gathered.shape[2]];
      const positions = gathered.shape[1] * gathered.shape[2];
      const split = ops.reshape(gathered, [batch, positions, channels, window]);
      // (P, b, in, K) for channels_first's order, (P, b, K, in) for channels_last's.
      const ordered = ops.transpose(split, attrs.channelsFirst ? [1, 0, 2, 3] : [1, 0, 3, 2]);
      const patches = ops.reshape(ordered, [positions, batch, channels * window]);
      const product = ops.matMul(patches, kernel!); // (P, b, out)
      const filters = kernel!.shape[2]!;
      let y: Tensor = attrs.channelsFirst
        ? ops.reshape(ops.transpose(product, [1, 2, 0]), [batch, filters, ...outSpatial])
        : ops.reshape(ops.transpose(product, [1, 0, 2]), [batch, ...outSpatial, filters]);
      if (bias) {
        // Keras's bias_add reshapes (not transposes) the (…out, filters) bias to channels_first's (filters, …out).
        y = ops.add(y, attrs.channelsFirst ? ops.reshape(bias, [filters, ...outSpatial]) : bias);
      }
      return [
        attrs.activation === "linear"
          ? y
          : applyActivation(y, ops, {
              fn: attrs.activation,
              ...(attrs.alpha === undefined ? {} : { alpha: attrs.alpha }),
            }),
      ];
    },
  },
};
