// Convolutions: `conv` over 1, 2 or 3 spatial axes, `depthwiseConv` over 1 or 2 and `convTranspose` over 2
// or 3, all on channels-last inputs (the lowering transposes channels_first around them). One spatial axis
// runs as two (a size-1 row) so it can use the fused 2D kernels; three have no fused kernel, so the bias
// and activation follow the product. conv and depthwiseConv (and matMul, matmul.ts) also take the prelu
// activation with its alpha as a last weight, fused when the kernels read alpha as the op means it. Off cpu,
// an undilated 2D convTranspose runs as a sub-pixel convolution (conv-transpose-subpixel.ts).
import type { fused, Rank, Tensor, Tensor4D, Tensor5D } from "@tensorflow/tfjs-core";
import {
  Add,
  Conv2D,
  Conv2DBackpropInput,
  Conv3D,
  DepthwiseConv2dNative,
  FusedConv2D,
  FusedDepthwiseConv2D,
  Multiply,
  Neg,
  PadV2,
  Relu,
  Reshape,
  Reverse,
  Slice,
  Sub,
  Transpose,
} from "@tensorflow/tfjs-core";
import type { ConvAttrs, FusedActivation, OpAttrs, ProductActivation } from "../program.js";
import { activationKernels, applyActivation } from "./activation.js";
import { prepareSubPixel, runSubPixel, SUBPIXEL_KERNELS } from "./conv-transpose-subpixel.js";
import { exactly, type OpDef, type OpGroup } from "./op-def.js";
import type { TfOps } from "./tf-ops.js";

type TfFusedActivation = NonNullable<Parameters<typeof fused.conv2d>[0]["activation"]>;

/** tf.fused spells leaky ReLU in lower case. */
export const TF_FUSED_NAMES: { readonly [F in ProductActivation]: TfFusedActivation } = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  sigmoid: "sigmoid",
  leakyRelu: "leakyrelu",
  prelu: "prelu",
};

/** A product's activation attributes. */
export interface ActivationAttrs {
  readonly activation: ProductActivation;
  readonly alpha?: number;
}

/** The activation and alpha of a step, as the `activation` op takes them. */
const activationOf = (attrs: { readonly activation: FusedActivation; readonly alpha?: number }) => ({
  fn: attrs.activation,
  ...(attrs.alpha === undefined ? {} : { alpha: attrs.alpha }),
});

/** The kernels of PReLU applied unfused, as the `prelu` op computes it. */
export const PRELU_KERNELS: readonly string[] = [Relu, Neg, Multiply, Sub];

/** PReLU unfused, as the `prelu` op computes it: relu(y) − alpha · relu(−y), alpha broadcast over y. */
export const applyPrelu = (y: Tensor, alpha: Tensor, ops: TfOps): Tensor =>
  ops.sub(ops.relu(y), ops.mul(alpha, ops.relu(ops.neg(y))));

/** Keras's ELU alpha when it is not 1: tf.fused's elu has none, so the product fuses elu and this follows. */
const eluAlpha = (attrs: ActivationAttrs) =>
  attrs.activation === "elu" && attrs.alpha !== undefined && attrs.alpha !== 1 ? attrs.alpha : undefined;

/**
 * After a product that fused elu: y = elu(z) scaled by alpha where y ≤ 0 (exactly where z ≤ 0), Keras 2's
 * K.elu(z, alpha), as relu(y) − alpha · relu(−y); y itself for alpha 1.
 */
export function afterFusedElu(y: Tensor, attrs: ActivationAttrs, ops: TfOps): Tensor {
  const alpha = eluAlpha(attrs);
  return alpha === undefined ? y : ops.sub(ops.relu(y), ops.mul(ops.relu(ops.neg(y)), alpha));
}

/** The kernels afterFusedElu runs for a step's attributes. */
export const afterFusedEluKernels = (attrs: ActivationAttrs): readonly string[] =>
  eluAlpha(attrs) === undefined ? [] : PRELU_KERNELS;

/** A product step's weights: the kernel, the bias when present, alpha (last) when the activation is prelu. */
export function productWeights<T>(
  weights: readonly T[],
  activation: ProductActivation,
): { kernel: T; bias: T | undefined; alpha: T | undefined } {
  const prelu = activation === "prelu";
  const hasBias = weights.length - (prelu ? 1 : 0) > 1;
  return {
    kernel: weights[0]!,
    bias: hasBias ? weights[1] : undefined,
    alpha: prelu ? weights.at(-1) : undefined,
  };
}

/** Whether a product step with `weightCount` weights has a bias. */
export const hasBiasWeight = (activation: ProductActivation, weightCount: number) =>
  weightCount - (activation === "prelu" ? 1 : 0) > 1;

/**
 * PReLU's alpha as the fused kernels take it for a product with `channels` output channels, or undefined
 * when they would read it otherwise than the op means: wasm applies it through XNNPACK's prelu_nc, which
 * takes alpha as one row of channels repeated over the output (element i uses alpha[i mod size]) instead of
 * broadcasting it, and the product may run flattened or with an extra row. A scalar or per-channel alpha
 * (any leading 1s: PReLU sharing every axis but the channels) reads the same on every backend.
 */
export function fusedPreluAlpha(alpha: Tensor, channels: number, ops: TfOps): Tensor | undefined {
  const perChannel = alpha.shape.every((d, i) => d === 1 || i === alpha.rank - 1);
  if (!perChannel || (alpha.size !== 1 && alpha.size !== channels)) return undefined;
  return ops.reshape(alpha, [alpha.size]);
}

/** Kernels of an unfused bias and activation after a product. */
function epilogueKernels(attrs: ActivationAttrs, hasBias: boolean): string[] {
  const { activation, alpha } = attrs;
  return [
    ...(hasBias ? [Add] : []),
    ...(activation === "linear"
      ? []
      : activation === "prelu"
        ? PRELU_KERNELS
        : activationKernels(activationOf({ activation, ...(alpha === undefined ? {} : { alpha }) }))),
  ];
}

/** Adds the bias (if any) and applies the activation (prelu with `preluAlpha`), unfused. */
function epilogue(
  y: Tensor,
  bias: Tensor | undefined,
  attrs: ActivationAttrs,
  ops: TfOps,
  preluAlpha?: Tensor,
): Tensor {
  const biased = bias ? ops.add(y, bias) : y;
  const { activation, alpha } = attrs;
  if (activation === "linear") return biased;
  if (activation === "prelu") return applyPrelu(biased, preluAlpha!, ops);
  return applyActivation(
    biased,
    ops,
    activationOf({ activation, ...(alpha === undefined ? {} : { alpha }) }),
  );
}

/** A product without bias or activation needs no fused kernel. */
const isPlain = (attrs: ActivationAttrs, hasBias: boolean) => !hasBias && attrs.activation === "linear";

/** tf.fused's activation arguments for a step (prelu with its alpha as fusedPreluAlpha shaped it). */
const fusedArgs = (attrs: ActivationAttrs, bias: Tensor | undefined, preluAlpha: Tensor | undefined) => ({
  ...(bias ? { bias } : {}),
  activation: TF_FUSED_NAMES[attrs.activation],
  ...(attrs.activation === "leakyRelu" ? { leakyreluAlpha: attrs.alpha ?? 0.3 } : {}),
  ...(preluAlpha ? { preluActivationWeights: preluAlpha } : {}),
});

/**
 * How a 1–2 spatial axes product runs its activation: fused (prelu with alpha per channel), or, for a
 * prelu alpha the fused kernels would misread, a linear product followed by PReLU on the real output.
 */
function fusedPlan(attrs: ConvAttrs, alpha: Tensor | undefined, channels: number, ops: TfOps) {
  const fusedAlpha = alpha ? fusedPreluAlpha(alpha, channels, ops) : undefined;
  const after = alpha !== undefined && fusedAlpha === undefined ? alpha : undefined;
  return { attrs: after ? { ...attrs, activation: "linear" as const } : attrs, fusedAlpha, after };
}

/** Kernels of a 1–2 spatial axes product: `plain` or `fused`, a Reshape for one axis, prelu's when asked. */
function twoDKernels(attrs: ConvAttrs, weightCount: number, plain: string, fused: string): string[] {
  const hasBias = hasBiasWeight(attrs.activation, weightCount);
  const prelu = attrs.activation === "prelu";
  const product = prelu ? [plain, fused] : [isPlain(attrs, hasBias) ? plain : fused];
  const reshape = attrs.strides.length === 1 || prelu ? [Reshape] : [];
  return [...product, ...reshape, ...(prelu ? PRELU_KERNELS : []), ...afterFusedEluKernels(attrs)];
}

/** 1 spatial axis as 2: x (b, w, c) → (b, 1, w, c), the kernel (k, ...) → (1, k, ...), strides [1, s]. */
function asTwoD(x: Tensor, kernel: Tensor, attrs: ConvAttrs, ops: TfOps) {
  if (attrs.strides.length === 2) {
    return {
      x: x as Tensor4D,
      kernel: kernel as Tensor4D,
      strides: attrs.strides as [number, number],
      dilations: attrs.dilations as [number, number],
    };
  }
  return {
    x: withRow(x, ops) as Tensor4D,
    kernel: withRow(kernel, ops, 0) as Tensor4D,
    strides: [1, attrs.strides[0]!] as [number, number],
    dilations: [1, attrs.dilations[0]!] as [number, number],
  };
}

/** `t` with a size-1 axis inserted at `axis` (a reshape). */
export function withRow(t: Tensor, ops: TfOps, axis = 1): Tensor {
  const shape: number[] = [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis)];
  return ops.reshape(t, shape);
}

/** Drops the size-1 row a 1-axis convolution ran with. */
const fromTwoD = (y: Tensor, oneAxis: boolean, ops: TfOps): Tensor =>
  oneAxis ? ops.reshape(y, [y.shape[0]!, ...y.shape.slice(2)]) : y;

const conv: OpDef<"conv"> = {
  inputs: exactly(1),
  // kernel, bias?, alpha (prelu)
  weights: { min: 1, max: 3 },
  kernels(attrs, weightCount) {
    if (attrs.strides.length === 3)
      return [Conv3D, ...epilogueKernels(attrs, hasBiasWeight(attrs.activation, weightCount))];
    return twoDKernels(attrs, weightCount, Conv2D, FusedConv2D);
  },
  run([x], attrs, weights, ops) {
    const { kernel, bias, alpha } = productWeights(weights, attrs.activation);
    if (attrs.strides.length === 3) {
      const y = ops.conv3d(
        x! as Tensor5D,
        kernel! as Tensor5D,
        attrs.strides as [number, number, number],
        attrs.padding,
        "NDHWC",
        attrs.dilations as [number, number, number],
      );
      return [epilogue(y, bias, attrs, ops, alpha)];
    }
    const two = asTwoD(x!, kernel!, attrs, ops);
    const plan = fusedPlan(attrs, alpha, kernel!.shape.at(-1)!, ops);
    const y = isPlain(plan.attrs, bias !== undefined)
      ? ops.conv2d(two.x, two.kernel, two.strides, attrs.padding, "NHWC", two.dilations)
      : ops.fusedConv2d({
          x: two.x,
          filter: two.kernel,
          strides: two.strides,
          pad: attrs.padding,
          dilations: two.dilations,
          ...fusedArgs(plan.attrs, bias, plan.fusedAlpha),
        });
    const output = afterFusedElu(fromTwoD(y, attrs.strides.length === 1, ops), plan.attrs, ops);
    return [plan.after ? applyPrelu(output, plan.after, ops) : output];
  },
};

const depthwiseConv: OpDef<"depthwiseConv"> = {
  inputs: exactly(1),
  // kernel, bias?, alpha (prelu)
  weights: { min: 1, max: 3 },
  kernels: (attrs, weightCount) =>
    twoDKernels(attrs, weightCount, DepthwiseConv2dNative, FusedDepthwiseConv2D),
  run([x], attrs, weights, ops) {
    const { kernel, bias, alpha } = productWeights(weights, attrs.activation);
    const two = asTwoD(x!, kernel!, attrs, ops);
    // Output channels: in · multiplier.
    const plan = fusedPlan(attrs, alpha, kernel!.shape.at(-2)! * kernel!.shape.at(-1)!, ops);
    const y = isPlain(plan.attrs, bias !== undefined)
      ? ops.depthwiseConv2d(two.x, two.kernel, two.strides, attrs.padding, "NHWC", two.dilations)
      : ops.fusedDepthwiseConv2d({
          x: two.x,
          filter: two.kernel,
          strides: two.strides,
          pad: attrs.padding,
          dilations: two.dilations,
          ...fusedArgs(plan.attrs, bias, plan.fusedAlpha),
        });
    const output = afterFusedElu(fromTwoD(y, attrs.strides.length === 1, ops), plan.attrs, ops);
    return [plan.after ? applyPrelu(output, plan.after, ops) : output];
  },
};

/**
 * Keras 2's deconv_length: without output padding valid L·s + max(k − s, 0) and same L·s; with it
 * (L − 1)·s + k − 2·pad + output_padding, pad = k // 2 for same and 0 for valid.
 */
export function transposedLength(
  length: number,
  kernel: number,
  stride: number,
  padding: OpAttrs["convTranspose"]["padding"],
  outputPadding: number | null,
): number {
  if (outputPadding === null) {
    return padding === "valid" ? length * stride + Math.max(kernel - stride, 0) : length * stride;
  }
  const pad = padding === "same" ? Math.floor(kernel / 2) : 0;
  return (length - 1) * stride + kernel - 2 * pad + outputPadding;
}

/**
 * `t` with `factor` − 1 zeros after each value along `axis`: (pre, n, 1, post) padded to (pre, n, factor,
 * post) and merged back (one pad per axis: wasm pads at most 6 axes).
 */
function spreadAxis(t: Tensor, axis: number, factor: number, ops: TfOps): Tensor {
  if (factor === 1) return t;
  const shape = t.shape;
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const spread = ops.pad(ops.reshape(t, [pre, shape[axis]!, 1, post]), [
    [0, 0],
    [0, 0],
    [0, factor - 1],
    [0, 0],
  ]);
  return ops.reshape(
    spread,
    shape.map((d, i) => (i === axis ? d * factor : d)),
  );
}

/**
 * The kernel (...window, out, in) of a dilated transposed convolution as the undilated kernel it equals:
 * d − 1 zeros between the taps of each spatial axis, d·(k − 1) + 1 long (the trailing zeros cut off).
 */
function dilateKernel(kernel: Tensor, dilations: readonly number[], ops: TfOps): Tensor {
  const spread = dilations.reduce((t, d, i) => spreadAxis(t, i, d, ops), kernel);
  if (spread === kernel) return kernel;
  const size = kernel.shape.map((k, i) => (i < dilations.length ? dilations[i]! * (k - 1) + 1 : k));
  return ops.slice(
    spread,
    size.map(() => 0),
    size,
  );
}

/** Whether a transposed convolution is dilated on some axis. */
const isDilated = (attrs: OpAttrs["convTranspose"]) => attrs.dilations?.some((d) => d !== 1) ?? false;

/**
 * A 3D transposed convolution as the direct convolution it equals: x with stride − 1 zeros after each value, padded by k − 1 − pad before and up to the output length + k − 1 after,
 * convolved (valid, stride 1) with the kernel flipped on its spatial axes and its channel axes swapped.
 * tfjs-backend-wasm 4.22's Conv3DBackpropInputV2 returns wrong values (cpu's agrees with the scatter), so
 * the runtime does not use it. `pad` before is TF's: ⌊max((L − 1)·s + k − O, 0) / 2⌋ for same, 0 for valid.
 */
function conv3dTransposeDirect(
  x: Tensor5D,
  kernel: Tensor5D,
  spatial: readonly number[],
  attrs: OpAttrs["convTranspose"],
  ops: TfOps,
): Tensor {
  const [batch, ...rest] = x.shape;
  const lengths = rest.slice(0, 3);
  const channels = rest[3]!;
  const strides = attrs.strides;
  const zeroInserted = strides.reduce<Tensor>((t, s, i) => spreadAxis(t, i + 1, s, ops), x);
  const windows = kernel.shape.slice(0, 3);
  const before = windows.map((k, i) => {
    const pad =
      attrs.padding === "same"
        ? Math.floor(Math.max((lengths[i]! - 1) * strides[i]! + k - spatial[i]!, 0) / 2)
        : 0;
    return k - 1 - pad;
  });
  // The padded input must be output + k − 1 long: pad after as needed, then cut any excess.
  const needed = windows.map((k, i) => spatial[i]! + k - 1);
  const padded = ops.pad(zeroInserted, [
    [0, 0],
    ...windows.map((_, i): [number, number] => [
      before[i]!,
      Math.max(needed[i]! - before[i]! - lengths[i]! * strides[i]!, 0),
    ]),
    [0, 0],
  ]);
  const cut = ops.slice(padded, [0, 0, 0, 0, 0], [batch, ...needed, channels]) as Tensor5D;
  const flipped = ops.transpose(ops.reverse(kernel, [0, 1, 2]), [0, 1, 2, 4, 3]) as Tensor5D;
  return ops.conv3d(cut, flipped, 1, "valid");
}

const convTranspose: OpDef<"convTranspose"> = {
  inputs: exactly(1),
  weights: { min: 1, max: 2 },
  kernels: (attrs, weightCount) => [
    ...(attrs.strides.length === 3
      ? [Reshape, PadV2, Slice, Reverse, Transpose, Conv3D]
      : isDilated(attrs)
        ? [Conv2DBackpropInput, Reshape, PadV2, Slice]
        : // Off cpu, undilated: a sub-pixel convolution (conv-transpose-subpixel.ts) when it applies.
          [Conv2DBackpropInput, ...SUBPIXEL_KERNELS, ...afterFusedEluKernels(attrs)]),
    ...epilogueKernels(attrs, weightCount > 1),
  ],
  // Off cpu, 2D and undilated: the sub-pixel filter and the bias tiled to its channels.
  prepare: prepareSubPixel,
  run([x], attrs, [weight, bias], ops, _ctx, prepared = []) {
    const input = x!;
    const rank = attrs.strides.length;
    // Dilation d is the transposed convolution by the kernel with d − 1 zeros between its taps.
    const kernel = isDilated(attrs) ? dilateKernel(weight!, attrs.dilations!, ops) : weight;
    const spatial = input.shape
      .slice(1, 1 + rank)
      .map((length, i) =>
        transposedLength(
          length,
          kernel!.shape[i]!,
          attrs.strides[i]!,
          attrs.padding,
          attrs.outputPadding?.[i] ?? null,
        ),
      );
    const filters = kernel!.shape[rank]!;
    const [subPixel, tiledBias] = prepared;
    if (subPixel) {
      const epilogue = isPlain(attrs, tiledBias !== undefined)
        ? undefined
        : fusedArgs(attrs, tiledBias, undefined);
      const y = runSubPixel(input as Tensor4D, weight!, spatial, attrs, subPixel, epilogue, ops);
      if (y) return [afterFusedElu(y, attrs, ops)];
    }
    const outputShape = [input.shape[0]!, ...spatial, filters];
    const y =
      rank === 3
        ? conv3dTransposeDirect(input as Tensor5D, kernel! as Tensor5D, spatial, attrs, ops)
        : ops.conv2dTranspose(
            input as Tensor4D,
            kernel! as Tensor4D,
            outputShape as [number, number, number, number],
            attrs.strides as [number, number],
            attrs.padding,
          );
    return [epilogue(y as Tensor<Rank>, bias, attrs, ops)];
  },
};

/** The convolution ops. */
export const convOps: OpGroup<"conv" | "depthwiseConv" | "convTranspose"> = {
  conv,
  depthwiseConv,
  convTranspose,
};
