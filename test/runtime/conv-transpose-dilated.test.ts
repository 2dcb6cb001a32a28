// Conv2DTranspose with dilation_rate ≠ 1 executing, against a plain-loop transposed convolution written from
// the definition: every input value times the kernel, scattered at stride and dilation offsets into the full
// output, then cropped to Keras 2's deconv_length as TF pads (the "same" crop split floor-first). Both data
// formats, cpu and wasm. Keras 2 refuses strides ≠ 1 with a dilation, so output_padding can only be 0 here.
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import {
  type Array_,
  expectMatches,
  forEachIndex,
  offsetOf,
  runOurs,
  single,
  toChannelsFirst,
  toChannelsLast,
} from "./conv-test-helpers.js";

type Format = "channels_last" | "channels_first";

/** keras/utils/conv_utils.py deconv_length (Keras 2.2), the kernel dilated first. */
function deconvLength(
  length: number,
  stride: number,
  kernel: number,
  padding: "valid" | "same",
  outputPadding: number | null,
  dilation: number,
): number {
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === null)
    return padding === "valid" ? length * stride + Math.max(k - stride, 0) : length * stride;
  const pad = padding === "same" ? Math.floor(k / 2) : 0;
  return (length - 1) * stride + k - 2 * pad + outputPadding;
}

/**
 * y[b, o, f] = Σ x[b, i, c] · kernel[t, f, c] over i·s + t·d = o + before, channels last; the full scatter is
 * (L − 1)·s + d·(k − 1) + 1 long and `before` is 0 for valid, ⌊max(full − O, 0) / 2⌋ for same.
 */
function dilatedTransposeReference(
  x: Array_,
  kernel: Array_,
  bias: Array_ | undefined,
  o: {
    readonly strides: readonly number[];
    readonly dilations: readonly number[];
    readonly padding: "valid" | "same";
    readonly outSpatial: readonly number[];
  },
): Array_ {
  const rank = o.strides.length;
  const window = kernel.shape.slice(0, rank);
  const [outC, inC] = kernel.shape.slice(rank) as [number, number];
  const shape = [x.shape[0]!, ...o.outSpatial, outC];
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const before = window.map((k, axis) => {
    const full = (x.shape[axis + 1]! - 1) * o.strides[axis]! + o.dilations[axis]! * (k - 1) + 1;
    return o.padding === "valid" ? 0 : Math.floor(Math.max(full - o.outSpatial[axis]!, 0) / 2);
  });
  forEachIndex(x.shape.slice(0, -1), ([b, ...i]) => {
    forEachIndex(window, (t) => {
      const at = i.map((ii, axis) => ii * o.strides[axis]! + t[axis]! * o.dilations[axis]! - before[axis]!);
      if (at.some((p, axis) => p < 0 || p >= o.outSpatial[axis]!)) return;
      for (let f = 0; f < outC; f++) {
        for (let c = 0; c < inC; c++) {
          data[offsetOf(shape, [b!, ...at, f])]! +=
            x.data[offsetOf(x.shape, [b!, ...i, c])]! * kernel.data[offsetOf(kernel.shape, [...t, f, c])]!;
        }
      }
    });
  });
  if (bias) for (let n = 0; n < data.length; n++) data[n]! += bias.data[n % outC]!;
  return { data, shape };
}

interface Case {
  readonly name: string;
  /** Rows and cols of the input; 2 channels. */
  readonly spatial: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: "valid" | "same";
  readonly outputPadding: readonly [number, number] | null;
  readonly activation?: "relu";
  readonly useBias?: boolean;
  /** The output rows and cols, worked out by hand from deconv_length. */
  readonly out: readonly [number, number];
}

const CASES: readonly Case[] = [
  // valid: L + d·(k − 1) = 4 + 2·2, 5 + 2·2
  {
    name: "kernel 3, dilation 2, valid",
    spatial: [4, 5],
    kernel: [3, 3],
    dilation: [2, 2],
    padding: "valid",
    outputPadding: null,
    out: [8, 9],
  },
  // same without output_padding: L
  {
    name: "kernel 3, dilation (2, 3), same",
    spatial: [4, 5],
    kernel: [3, 3],
    dilation: [2, 3],
    padding: "same",
    outputPadding: null,
    out: [4, 5],
  },
  // dilated kernels (4, 5): the even one is cropped 1 before and 2 after
  {
    name: "kernel (2, 3), dilation (3, 2), same, relu",
    spatial: [3, 4],
    kernel: [2, 3],
    dilation: [3, 2],
    padding: "same",
    outputPadding: null,
    activation: "relu",
    out: [3, 4],
  },
  // (L − 1) + k_d + 0: (3 − 1) + 4, (4 − 1) + 5
  {
    name: "kernel (2, 3), dilation (3, 2), valid, output_padding 0",
    spatial: [3, 4],
    kernel: [2, 3],
    dilation: [3, 2],
    padding: "valid",
    outputPadding: [0, 0],
    out: [6, 8],
  },
  // (L − 1) + 5 − 2·2 + 0 = L
  {
    name: "kernel 3, dilation 2, same, output_padding 0, no bias",
    spatial: [4, 3],
    kernel: [3, 3],
    dilation: [2, 2],
    padding: "same",
    outputPadding: [0, 0],
    useBias: false,
    out: [4, 3],
  },
  // a dilation on one axis only
  {
    name: "kernel (3, 2), dilation (1, 4), valid",
    spatial: [3, 3],
    kernel: [3, 2],
    dilation: [1, 4],
    padding: "valid",
    outputPadding: null,
    out: [5, 7],
  },
];

const tuple = (v: readonly number[]) => `(${v.join(", ")})`;

describe.each<BackendName>(["cpu", "wasm"])("Conv2DTranspose with a dilation on %s", (backend) => {
  it.each(
    CASES.flatMap((c) =>
      (["channels_last", "channels_first"] as Format[]).map((f) => [`${c.name}, ${f}`, c, f] as const),
    ),
  )("%s: the dilated scatter", async (_name, c, f) => {
    const shape = f === "channels_first" ? [2, ...c.spatial] : [...c.spatial, 2];
    const layer = [
      `Conv2DTranspose(3, ${tuple(c.kernel)}, padding="${c.padding}", data_format="${f}"`,
      `dilation_rate=${tuple(c.dilation)}`,
      ...(c.outputPadding ? [`output_padding=${tuple(c.outputPadding)}`] : []),
      ...(c.activation ? [`activation="${c.activation}"`] : []),
      ...(c.useBias === false ? ["use_bias=False"] : []),
    ].join(", ");
    const out = c.spatial.map((length, axis) =>
      deconvLength(length, 1, c.kernel[axis]!, c.padding, c.outputPadding?.[axis] ?? null, c.dilation[axis]!),
    );
    expect(out).toEqual(c.out);
    const run = await runOurs(single(tuple(shape), `${layer})`), backend);
    const x = f === "channels_first" ? toChannelsLast(run.x) : run.x;
    let expected = dilatedTransposeReference(x, run.weights.get("kernel")!, run.weights.get("bias"), {
      strides: [1, 1],
      dilations: c.dilation,
      padding: c.padding,
      outSpatial: out,
    });
    if (c.activation === "relu")
      expected = { ...expected, data: Array.from(expected.data, (v) => Math.max(v, 0)) };
    expectMatches(run, f === "channels_first" ? toChannelsFirst(expected) : expected);
  });
});
