// Output types of the sliding-window ops (conv.ts, pool.ts, local.ts): each spatial length by Keras 2's
// arithmetic in conv-arithmetic.ts (which TF's "valid"/"same" lengths equal), the channels from the kernel.
import type { WindowPadding } from "../../../runtime/program.js";
import {
  type AxisWindow,
  convOutputLength,
  transposedConvOutputLength,
} from "../../layers/conv-arithmetic.js";
import { input, type OpShapeRules, sized, sizesOfInput, weight } from "./rule.js";
import { knownSize, mapSize, multiply, type Size } from "./size.js";

/** The output lengths of a convolution or pooling over `spatial`, one window per axis. */
export function windowSizes(
  spatial: readonly Size[],
  windows: readonly AxisWindow[],
  padding: WindowPadding,
): Size[] {
  return spatial.map((size, i) => {
    const window = windows[i]!;
    return mapSize(size, (length) => convOutputLength(length, window, padding), window.stride);
  });
}

/** The per-axis windows of a step: kernel sizes, strides and dilations (1 when absent). */
export const windowsOf = (
  kernel: readonly number[],
  strides: readonly number[],
  dilations?: readonly number[],
) => kernel.map((k, i) => ({ kernel: k, stride: strides[i] ?? 1, dilation: dilations?.[i] ?? 1 }));

/** Splits a channels-last x (batch, ...spatial, channels) of `rank` spatial axes. */
function channelsLast(sizes: readonly Size[], rank: number) {
  if (sizes.length !== rank + 2)
    throw new Error(`the input has rank ${sizes.length}, the op needs ${rank + 2}`);
  return { batch: sizes[0]!, spatial: sizes.slice(1, -1), channels: sizes[rank + 1]! };
}

/** The kernel's `rank` spatial sizes and the sizes after them. */
function kernelOf(weights: readonly (readonly number[])[], rank: number) {
  const kernel = weight(weights);
  if (kernel.length !== rank + 2)
    throw new Error(`the kernel has rank ${kernel.length}, the op needs ${rank + 2}`);
  return { spatial: kernel.slice(0, rank), a: kernel[rank]!, b: kernel[rank + 1]! };
}

/** The sliding-window ops' rules. */
export const windowRules: Pick<
  OpShapeRules,
  "conv" | "depthwiseConv" | "convTranspose" | "pool" | "localConv"
> = {
  // kernel (...k, in, out) → (batch, ...windows, out).
  conv: (inputs, attrs, weights) => {
    const rank = attrs.strides.length;
    const x = channelsLast(sizesOfInput(inputs), rank);
    const kernel = kernelOf(weights, rank);
    const spatial = windowSizes(
      x.spatial,
      windowsOf(kernel.spatial, attrs.strides, attrs.dilations),
      attrs.padding,
    );
    return [sized([x.batch, ...spatial, knownSize(kernel.b)], "float32")];
  },
  // kernel (...k, in, multiplier) → (batch, ...windows, in · multiplier).
  depthwiseConv: (inputs, attrs, weights) => {
    const rank = attrs.strides.length;
    const x = channelsLast(sizesOfInput(inputs), rank);
    const kernel = kernelOf(weights, rank);
    const spatial = windowSizes(
      x.spatial,
      windowsOf(kernel.spatial, attrs.strides, attrs.dilations),
      attrs.padding,
    );
    return [sized([x.batch, ...spatial, multiply(x.channels, knownSize(kernel.b))], "float32")];
  },
  // kernel (...k, out, in) → (batch, ...deconv lengths of the dilated kernel, out).
  convTranspose: (inputs, attrs, weights) => {
    const rank = attrs.strides.length;
    const x = channelsLast(sizesOfInput(inputs), rank);
    const kernel = kernelOf(weights, rank);
    // `dilations` is optional (older programs lack it); read without naming it in the attrs' type.
    const { dilations } = attrs as { readonly dilations?: readonly number[] };
    const windows = windowsOf(kernel.spatial, attrs.strides, dilations);
    const spatial = x.spatial.map((size, i) => {
      const padded = attrs.outputPadding?.[i] ?? null;
      const rule = (length: number) => transposedConvOutputLength(length, windows[i]!, attrs.padding, padded);
      return mapSize(size, rule, windows[i]!.stride);
    });
    return [sized([x.batch, ...spatial, knownSize(kernel.a)], "float32")];
  },
  // tf.maxPool keeps the dtype; avgPool takes float32 only.
  pool: (inputs, attrs) => {
    const rank = attrs.poolSize.length;
    const x = channelsLast(sizesOfInput(inputs), rank);
    const spatial = windowSizes(x.spatial, windowsOf(attrs.poolSize, attrs.strides), attrs.padding);
    const dtype = attrs.mode === "max" ? input(inputs).dtype : "float32";
    return [sized([x.batch, ...spatial, x.channels], dtype)];
  },
  // Valid windows in the input's own layout; kernel (positions, window · in, out).
  localConv: (inputs, attrs, weights) => {
    const rank = attrs.kernelSize.length;
    const sizes = sizesOfInput(inputs, 0, rank + 2);
    const spatial = attrs.channelsFirst ? sizes.slice(2) : sizes.slice(1, -1);
    const out = windowSizes(spatial, windowsOf(attrs.kernelSize, attrs.strides), "valid");
    const [, , units] = weight(weights);
    if (units === undefined) throw new Error("localConv's kernel must be (positions, window · in, out)");
    const filters = knownSize(units);
    const layout = attrs.channelsFirst ? [filters, ...out] : [...out, filters];
    return [sized([sizes[0]!, ...layout], "float32")];
  },
};
