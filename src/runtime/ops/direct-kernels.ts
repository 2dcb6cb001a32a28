// The hot products and pools of tf-ops.ts called as their kernels (tf.engine().runKernel), with the inputs
// and attributes tfjs's ops pass them. tfjs's op functions convert and check their arguments, record what a
// gradient would need (the fused ops through customGrad: a scope, saved tensors) and open a scope per call;
// at batch 1 that costs more than the kernel (tf.fused.conv2d ~7.6 µs against ~3.1 µs for its FusedConv2D
// on a small wasm input). kerasc only predicts and its plans are shape-checked, so these skip that work:
// the same kernels with the same attributes, so the same numbers. Each handles the case kerasc's kernels
// use (float32, the ranks the tfjs kernels take) and hands anything else to the tfjs op it stands for.
// On the cpu backend the products and 2D convolutions run kerasc's own kernels (../cpu/kernels.ts) in place
// of tfjs's.
import * as tf from "@tensorflow/tfjs-core";
import { checkGatherIndices, cpuSubstitute } from "../cpu/kernels.js";

type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];
type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];

const isFloatTensor = (t: unknown): t is tf.Tensor => t instanceof tf.Tensor && t.dtype === "float32";

/** A 2D convolution's input or filter as its kernels take it: float32 and 4D. */
const isFloat4D = (t: unknown): t is tf.Tensor4D => isFloatTensor(t) && t.rank === 4;

/** An optional operand as the fused kernels take it: absent, or a float32 tensor of rank ≤ 1. */
const isOptionalVector = (t: unknown) => t == null || (isFloatTensor(t) && t.rank <= 1);

/** `t` viewed with another shape (the Reshape kernel: no copy). */
const view = (t: tf.Tensor, shape: number[]): tf.Tensor =>
  tf.engine().runKernel(tf.Reshape, { x: t }, { shape: shape as unknown as tf.NamedAttrMap[string] });

/**
 * tf.fused.matMul of 2D float32 operands without transposes: _FusedMatMul on (1, m, k) · (1, k, n) views,
 * its (1, m, n) result viewed as (m, n) — what the op does, without its bookkeeping.
 */
export const fusedMatMul: typeof tf.fused.matMul = (args: FusedMatMulArgs) => {
  const { a, b, bias, preluActivationWeights } = args;
  if (
    !isFloatTensor(a) ||
    !isFloatTensor(b) ||
    a.rank !== 2 ||
    b.rank !== 2 ||
    args.transposeA ||
    args.transposeB ||
    !isOptionalVector(bias) ||
    !isOptionalVector(preluActivationWeights)
  ) {
    return tf.fused.matMul(args);
  }
  const attrs = {
    transposeA: false,
    transposeB: false,
    activation: args.activation ?? "linear",
    leakyreluAlpha: args.leakyreluAlpha ?? 0.2,
  };
  const substitute = cpuSubstitute(tf._FusedMatMul);
  if (substitute !== undefined) {
    const inputs: tf.NamedTensorMap = { a, b };
    if (bias != null) inputs.bias = bias as tf.Tensor;
    if (preluActivationWeights != null) inputs.preluActivationWeights = preluActivationWeights;
    return tf.engine().runKernel(substitute, inputs, attrs);
  }
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const a3 = view(a, [1, m, k]);
  const b3 = view(b, [1, k, n]);
  const inputs: tf.NamedTensorMap = { a: a3, b: b3 };
  if (bias != null) inputs.bias = bias as tf.Tensor;
  if (preluActivationWeights != null) inputs.preluActivationWeights = preluActivationWeights;
  const product = tf.engine().runKernel<tf.Tensor>(tf._FusedMatMul, inputs, attrs);
  const result = view(product, [m, n]);
  a3.dispose();
  b3.dispose();
  product.dispose();
  return result as tf.Tensor2D;
};

/**
 * tf.matMul of 2D float32 operands on the cpu backend: kerasc's product kernel (elsewhere, and for other
 * operands, tf.matMul itself: its BatchMatMul).
 */
export const matMul = ((a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false) => {
  const substitute = cpuSubstitute(tf.BatchMatMul);
  if (substitute === undefined || !isFloatTensor(a) || !isFloatTensor(b) || a.rank !== 2 || b.rank !== 2) {
    return tf.matMul(a, b, transposeA, transposeB);
  }
  return tf.engine().runKernel(substitute, { a, b }, { transposeA, transposeB, activation: "linear" });
}) as typeof tf.matMul;

/** tf.fused.conv2d of a 4D float32 NHWC input: the FusedConv2D kernel (on cpu, kerasc's convolution). */
export const fusedConv2d = ((args: FusedConv2dArgs): tf.Tensor => {
  const { x, filter, bias, preluActivationWeights } = args;
  if (
    !isFloat4D(x) ||
    !isFloat4D(filter) ||
    (args.dataFormat ?? "NHWC") !== "NHWC" ||
    args.dimRoundingMode !== undefined ||
    !isOptionalVector(bias) ||
    !isOptionalVector(preluActivationWeights)
  ) {
    return tf.fused.conv2d(args);
  }
  const inputs: tf.NamedTensorMap = { x, filter };
  if (bias != null) inputs.bias = bias as tf.Tensor;
  if (preluActivationWeights != null) inputs.preluActivationWeights = preluActivationWeights;
  return tf.engine().runKernel(cpuSubstitute(tf.FusedConv2D) ?? tf.FusedConv2D, inputs, {
    strides: args.strides,
    pad: args.pad,
    dataFormat: "NHWC",
    dilations: args.dilations ?? [1, 1],
    dimRoundingMode: undefined,
    activation: args.activation ?? "linear",
    leakyreluAlpha: args.leakyreluAlpha,
  } as unknown as tf.NamedAttrMap);
}) as typeof tf.fused.conv2d;

/**
 * tf.conv2d of a 4D float32 NHWC input on the cpu backend: kerasc's convolution kernel, without bias or
 * activation (elsewhere, and for other inputs, tf.conv2d itself: its Conv2D).
 */
export const conv2d = ((
  x,
  filter,
  strides,
  pad,
  dataFormat = "NHWC",
  dilations = [1, 1],
  dimRoundingMode,
) => {
  const substitute = cpuSubstitute(tf.Conv2D);
  if (
    substitute === undefined ||
    !isFloat4D(x) ||
    !isFloat4D(filter) ||
    dataFormat !== "NHWC" ||
    dimRoundingMode !== undefined
  ) {
    return tf.conv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
  }
  return tf.engine().runKernel(substitute, { x, filter }, {
    strides,
    pad,
    dataFormat: "NHWC",
    dilations,
    dimRoundingMode: undefined,
    activation: "linear",
  } as unknown as tf.NamedAttrMap);
}) as typeof tf.conv2d;

/**
 * tf.conv2dTranspose of a 4D float32 input on the cpu backend: kerasc's transposed convolution kernel
 * (elsewhere, and for other inputs, tf.conv2dTranspose itself: its Conv2DBackpropInput).
 */
export const conv2dTranspose = ((x, filter, outputShape, strides, pad, dimRoundingMode) => {
  const substitute = cpuSubstitute(tf.Conv2DBackpropInput);
  if (
    substitute === undefined ||
    !isFloat4D(x) ||
    !isFloat4D(filter) ||
    !Array.isArray(outputShape) ||
    outputShape.length !== 4 ||
    dimRoundingMode !== undefined
  ) {
    return tf.conv2dTranspose(x, filter, outputShape, strides, pad, dimRoundingMode);
  }
  return tf.engine().runKernel(substitute, { dy: x, filter }, {
    inputShape: outputShape,
    strides,
    pad,
    dataFormat: "NHWC",
    dimRoundingMode: undefined,
  } as unknown as tf.NamedAttrMap);
}) as typeof tf.conv2dTranspose;

/**
 * tf.gather of rows (axis 0) of a float32 table at int32 indices (Embedding): on cpu kerasc's row-copy
 * kernel; on wasm GatherNd over the indices given a trailing axis — the same rows, ~10× faster than
 * tfjs-wasm's GatherV2 — after checking the indices as GatherV2 does (GatherNd reads past the table).
 */
export const gather = ((x: tf.Tensor, indices: tf.Tensor, axis = 0, batchDims = 0) => {
  if (
    !isFloatTensor(x) ||
    !(indices instanceof tf.Tensor) ||
    indices.dtype !== "int32" ||
    axis !== 0 ||
    batchDims !== 0 ||
    x.rank < 1
  ) {
    return tf.gather(x, indices, axis, batchDims);
  }
  const substitute = cpuSubstitute(tf.GatherV2);
  if (substitute !== undefined)
    return tf.engine().runKernel(substitute, { x, indices }, { axis: 0, batchDims: 0 });
  if (tf.engine().backendName !== "wasm") return tf.gather(x, indices, axis, batchDims);
  checkGatherIndices(indices.dataSync(), x.shape[0]!);
  const nd = view(indices, [...indices.shape, 1]);
  const rows = tf.engine().runKernel<tf.Tensor>(tf.GatherNd, { params: x, indices: nd }, {});
  nd.dispose();
  return rows;
}) as typeof tf.gather;

/** tf.softmax over the last axis of a float32 tensor: the Softmax kernel. */
export const softmax: typeof tf.softmax = (logits, dim = -1) => {
  if (!isFloatTensor(logits) || logits.rank === 0 || (dim !== -1 && dim !== logits.rank - 1)) {
    return tf.softmax(logits, dim);
  }
  return tf.engine().runKernel(tf.Softmax, { logits }, { dim: logits.rank - 1 });
};

/** A 2D pooling (tf.maxPool, tf.avgPool) of a 4D float32 input: its kernel alone. */
function pool2d(kernel: string, fallback: typeof tf.maxPool): typeof tf.maxPool {
  return ((x, filterSize, strides, pad, dimRoundingMode) => {
    if (!isFloatTensor(x) || x.rank !== 4 || dimRoundingMode !== undefined) {
      return fallback(x, filterSize, strides, pad, dimRoundingMode);
    }
    return tf.engine().runKernel(kernel, { x }, {
      filterSize,
      strides,
      pad,
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  }) as typeof tf.maxPool;
}

/** tf.maxPool of a 4D float32 input: MaxPool. */
export const maxPool = pool2d(tf.MaxPool, tf.maxPool);

/** tf.avgPool of a 4D float32 input: AvgPool, without the op's float32 → float32 Cast of its result. */
export const avgPool = pool2d(tf.AvgPool, tf.avgPool);
