// Convolution-window arithmetic, in one place for every layer that slides a window: the window arguments
// (kernel_size, strides, dilation_rate, padding, output_padding) normalised to one value per spatial axis,
// and Keras 2's output lengths (conv_utils.conv_output_length / deconv_length) for known, None and
// symbolic dims.
import type { Dim } from "../../ir/graph.js";
import { invalidArgument, notOneOf } from "../diagnostics/catalogue/args.js";
import { suggest } from "../diagnostics/suggest.js";
import { optional } from "./arg-scalars.js";
import { intTuple } from "./arg-shapes.js";
import type { ArgSpec } from "./schema.js";
import { type CommonOptions, makeSpec } from "./spec-core.js";

/** Every padding mode Keras 2's length arithmetic knows; layers accept a subset (`full` is internal). */
export const CONV_PADDINGS = ["valid", "same", "causal", "full"] as const;
export type ConvPadding = (typeof CONV_PADDINGS)[number];

/** One spatial axis of a window: its kernel size, stride and dilation. */
export interface AxisWindow {
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
}

/** The span of a dilated kernel: k + (k - 1)(d - 1), e.g. kernel 3 dilated by 2 covers 5 steps. */
export function dilatedKernelSize(kernel: number, dilation: number): number {
  return kernel + (kernel - 1) * (dilation - 1);
}

/**
 * Keras 2's `conv_output_length` for a known input length: valid keeps the positions where the dilated
 * kernel fits, same and causal keep every position, full adds the kernel's overhang; then one in `stride`.
 * May be 0 or negative when the kernel does not fit (callers report that).
 */
export function convOutputLength(length: number, window: AxisWindow, padding: ConvPadding): number {
  const span = dilatedKernelSize(window.kernel, window.dilation);
  const padded = padding === "valid" ? length - span + 1 : padding === "full" ? length + span - 1 : length;
  // Python's floor division, as Keras writes it: (padded + stride - 1) // stride.
  return Math.floor((padded + window.stride - 1) / window.stride);
}

/**
 * Keras 2's `deconv_length`: the output length of a transposed convolution. Without `outputPadding` the
 * length is inferred (valid: L*s + max(k - s, 0), same: L*s, full: L*s - (s + k - 2)); with it, the exact
 * (L - 1)*s + k - 2*pad + output_padding, where pad is 0 (valid), k // 2 (same) or k - 1 (full).
 */
export function transposedConvOutputLength(
  length: number,
  window: AxisWindow,
  padding: ConvPadding,
  outputPadding: number | null,
): number {
  const span = dilatedKernelSize(window.kernel, window.dilation);
  const { stride } = window;
  if (outputPadding === null) {
    if (padding === "valid") return length * stride + Math.max(span - stride, 0);
    if (padding === "full") return length * stride - (stride + span - 2);
    return length * stride;
  }
  const pad = padding === "same" ? Math.floor(span / 2) : padding === "full" ? span - 1 : 0;
  return (length - 1) * stride + span - 2 * pad + outputPadding;
}

/**
 * Applies a length rule to a dim. None stays None (Keras's behaviour); a symbolic dim `T` stays `T` only
 * when the rule is the identity (`keepsLength`), since a Dim cannot say "T - 2" — it becomes None.
 */
export function mapLength(dim: Dim, rule: (length: number) => number, keepsLength: boolean): Dim {
  if (typeof dim === "number") return rule(dim);
  return dim !== null && keepsLength ? dim : null;
}

/**
 * Whether a strided length rule is the identity. With stride 1 each of the rules above is L + c for a
 * constant c, so it keeps every length exactly when it maps 0 to 0; a larger stride never keeps them all.
 */
export function keepsEveryLength(stride: number, rule: (length: number) => number): boolean {
  return stride === 1 && rule(0) === 0;
}

/** The output dim of a convolution along one axis (None in, None out; `T` kept where the rule keeps it). */
export function convOutputDim(dim: Dim, window: AxisWindow, padding: ConvPadding): Dim {
  const rule = (length: number) => convOutputLength(length, window, padding);
  return mapLength(dim, rule, keepsEveryLength(window.stride, rule));
}

/** The output dim of a transposed convolution along one axis. */
export function transposedConvOutputDim(
  dim: Dim,
  window: AxisWindow,
  padding: ConvPadding,
  outputPadding: number | null,
): Dim {
  const rule = (length: number) => transposedConvOutputLength(length, window, padding, outputPadding);
  return mapLength(dim, rule, keepsEveryLength(window.stride, rule));
}

/** The normalised window arguments of one layer: a value per spatial axis each. */
export interface WindowArgs {
  readonly kernel_size: readonly number[];
  readonly strides: readonly number[];
  /** Layers without dilation (LocallyConnected) leave it out: 1 on every axis. */
  readonly dilation_rate?: readonly number[];
}

/** The per-axis windows of normalised window arguments. */
export function axisWindows(args: WindowArgs): AxisWindow[] {
  return args.kernel_size.map((kernel, i) => ({
    kernel,
    stride: args.strides[i] ?? 1,
    dilation: args.dilation_rate?.[i] ?? 1,
  }));
}

/** The number of kernel taps per channel: the product of the kernel sizes. */
export function kernelVolume(kernelSize: readonly number[]): number {
  return kernelSize.reduce((product, k) => product * k, 1);
}

const ones = (rank: number): readonly number[] => Array.from({ length: rank }, () => 1);
const perAxis = (rank: number) => (rank === 1 ? "" : `; an integer means the same on all ${rank} axes`);

/** `kernel_size`: an integer or a tuple of `rank` positive integers, normalised to the tuple (required). */
export function kernelSizeArg(rank: number): ArgSpec<readonly number[]> {
  return intTuple(rank, { min: 1, doc: `the size of the convolution window${perAxis(rank)}` });
}

/** `strides`: like kernel_size, default 1 on every axis. */
export function stridesArg(rank: number): ArgSpec<readonly number[]> {
  return intTuple(rank, {
    min: 1,
    default: ones(rank),
    doc: `the step of the window${perAxis(rank)}; a stride other than 1 excludes a dilation_rate other than 1`,
  });
}

/**
 * `dilation_rate`: like kernel_size, default 1 on every axis. Keyword-only where the reference's signature
 * leaves it out but Keras 2 accepts it (so the reference's positional order stays exact).
 */
export function dilationRateArg(rank: number, options: { readonly keywordOnly?: boolean } = {}) {
  return intTuple(rank, {
    min: 1,
    default: ones(rank),
    keywordOnly: options.keywordOnly ?? false,
    doc: `the dilation of the window${perAxis(rank)}; a rate other than 1 excludes strides other than 1`,
  });
}

/** `output_padding` of a transposed convolution: None (inferred lengths) or a non-negative int per axis. */
export function outputPaddingArg(
  rank: number,
  options: { readonly keywordOnly?: boolean } = {},
): ArgSpec<readonly number[] | null> {
  return optional(intTuple(rank, { min: 0 }), {
    keywordOnly: options.keywordOnly ?? false,
    doc: "extra rows/cols added to one side of the output, each smaller than its stride (None: inferred)",
  });
}

/** Why a padding mode Keras knows is refused by this layer, with what to do instead. */
export interface PaddingRefusal {
  readonly message: string;
  readonly hint?: string;
}

export interface PaddingArgOptions<P extends ConvPadding> extends CommonOptions<P> {
  /** A precise diagnostic for a known mode this layer does not take (`causal` on Conv2D). */
  readonly refuse?: (mode: ConvPadding) => PaddingRefusal | undefined;
}

/**
 * `padding`: one of `allowed`, any letter case (Keras lower-cases it). A mode Keras knows but this layer
 * does not take gets the layer's own reason ("causal padding is only for Conv1D"); other strings get
 * "must be one of" with a suggestion.
 */
export function paddingArg<const P extends ConvPadding>(
  allowed: readonly P[],
  options: PaddingArgOptions<P> = {},
): ArgSpec<P> {
  return makeSpec<P>(
    {
      expected: `one of ${allowed.map((p) => JSON.stringify(p)).join(", ")}`,
      matches: (input) => input.kind === "scalar" && typeof input.value === "string",
      convert: (input, check) => {
        const written = input.kind === "scalar" ? String(input.value) : "";
        const mode = written.toLowerCase();
        const found = allowed.find((p) => p === mode);
        if (found !== undefined) return found;
        const known = CONV_PADDINGS.find((p) => p === mode);
        const refusal = known === undefined ? undefined : options.refuse?.(known);
        check.report(
          refusal
            ? invalidArgument(input.span, check.owner, check.arg, refusal.message, refusal.hint)
            : notOneOf(input.span, check.owner, check.arg, allowed, written, suggest(mode, allowed)),
        );
        return undefined;
      },
    },
    { default: "valid" as P, doc: `${allowed.join(", ")} (default "valid")`, ...options },
  );
}
