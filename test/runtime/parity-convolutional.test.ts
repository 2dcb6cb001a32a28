// The convolutional family executing (SPEC §7): parity with TF.js layers on cpu and wasm over a grid of
// strides, dilations, paddings, activations and both data formats; plain-loop references for what TF.js
// layers lacks (causal Conv1D, SeparableConv1D, output_padding, Cropping1D/3D, UpSampling1D/3D,
// ZeroPadding1D/3D); no leaks; the load-time kernel check naming the op.
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import type { BackendName } from "../../src/runtime/backend.js";
import { loadModel } from "../../src/runtime/model.js";
import { ModelError } from "../../src/runtime/model-error.js";
import {
  type Array_,
  convReference,
  convTransposeReference,
  cropReference,
  expectMatches,
  expectTwin,
  padReference,
  runOurs,
  single,
  toChannelsFirst,
  toChannelsLast,
  upsampleReference,
} from "./conv-test-helpers.js";

type Format = "channels_last" | "channels_first";
const FORMATS: readonly Format[] = ["channels_last", "channels_first"];
const tfFormat = (f: Format) => (f === "channels_first" ? "channelsFirst" : "channelsLast");
/** A spatial shape with `channels` placed for the format, as a .kml tuple. */
const shapeOf = (spatial: readonly number[], channels: number, f: Format) =>
  `(${(f === "channels_first" ? [channels, ...spatial] : [...spatial, channels]).join(", ")})`;

/** (name, input shape, kerasc layer, TF.js twin, whether the twin is the channels_last layer). */
type TwinCase = readonly [string, string, string, () => tfl.layers.Layer, boolean?];

const CONV1D: TwinCase[] = [
  ["Conv1D valid", "(7, 3)", "Conv1D(4, 3)", () => tfl.layers.conv1d({ filters: 4, kernelSize: 3 })],
  [
    "Conv1D same relu (fused)",
    "(7, 3)",
    'Conv1D(4, 3, padding="same", activation="relu")',
    () => tfl.layers.conv1d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
  ],
  [
    "Conv1D strides 2 same",
    "(7, 3)",
    'Conv1D(4, 2, strides=2, padding="same")',
    () => tfl.layers.conv1d({ filters: 4, kernelSize: 2, strides: 2, padding: "same" }),
  ],
  [
    "Conv1D dilation 2, tanh (unfused)",
    "(9, 3)",
    'Conv1D(4, 3, dilation_rate=2, activation="tanh")',
    () => tfl.layers.conv1d({ filters: 4, kernelSize: 3, dilationRate: 2, activation: "tanh" }),
  ],
  [
    "Conv1D without bias",
    "(7, 3)",
    "Conv1D(4, 3, use_bias=False)",
    () => tfl.layers.conv1d({ filters: 4, kernelSize: 3, useBias: false }),
  ],
];

/** Conv2D over a grid of windows, in both formats. */
const CONV2D_GRID: readonly (readonly [string, string, Record<string, unknown>])[] = [
  ["kernel 3", "3", { kernelSize: 3 }],
  ["kernel (2, 3) same", '(2, 3), padding="same"', { kernelSize: [2, 3], padding: "same" }],
  ["strides 2 same", '3, strides=2, padding="same"', { kernelSize: 3, strides: 2, padding: "same" }],
  ["strides (2, 1) valid", "(2, 2), strides=(2, 1)", { kernelSize: 2, strides: [2, 1] }],
  ["dilation (2, 2)", "3, dilation_rate=(2, 2)", { kernelSize: 3, dilationRate: [2, 2] }],
  [
    "dilation (1, 2) same sigmoid",
    '3, dilation_rate=(1, 2), padding="same", activation="sigmoid"',
    { kernelSize: 3, dilationRate: [1, 2], padding: "same", activation: "sigmoid" },
  ],
  ["elu", '3, activation="elu"', { kernelSize: 3, activation: "elu" }],
  ["softmax (unfused, last axis)", '3, activation="softmax"', { kernelSize: 3, activation: "softmax" }],
  ["no bias", "3, use_bias=False", { kernelSize: 3, useBias: false }],
];

const conv2dCases: TwinCase[] = FORMATS.flatMap((f) =>
  CONV2D_GRID.map(
    ([name, args, tf]) =>
      [
        `Conv2D ${name} ${f}`,
        shapeOf([6, 7], 3, f),
        `Conv2D(4, ${args}, data_format="${f}")`,
        () =>
          tfl.layers.conv2d({ filters: 4, dataFormat: tfFormat(f), ...tf } as Parameters<
            typeof tfl.layers.conv2d
          >[0]),
      ] as const,
  ),
);

const perFormat = (
  name: string,
  spatial: readonly number[],
  channels: number,
  layer: (f: Format) => string,
  twin: (f: Format) => tfl.layers.Layer,
): TwinCase[] =>
  FORMATS.map((f) => [`${name} ${f}`, shapeOf(spatial, channels, f), layer(f), () => twin(f)] as const);

/**
 * Like perFormat, with the channels_last twin for both formats (TF.js layers' SeparableConv2D adds its bias
 * in the wrong layout for channels_first, so channels_first is checked against the transposed channels_last
 * result).
 */
const perFormatViaLast = (
  name: string,
  spatial: readonly number[],
  channels: number,
  layer: (f: Format) => string,
  twin: () => tfl.layers.Layer,
): TwinCase[] =>
  FORMATS.map(
    (f) => [`${name} ${f}`, shapeOf(spatial, channels, f), layer(f), twin, f === "channels_first"] as const,
  );

const OTHER_TWINS: TwinCase[] = [
  ...perFormat(
    "Conv3D valid",
    [4, 5, 4],
    2,
    (f) => `Conv3D(3, (2, 3, 2), data_format="${f}")`,
    (f) => tfl.layers.conv3d({ filters: 3, kernelSize: [2, 3, 2], dataFormat: tfFormat(f) }),
  ),
  ...perFormat(
    "Conv3D strides 2 same relu",
    [4, 5, 4],
    2,
    (f) => `Conv3D(3, 3, strides=2, padding="same", activation="relu", data_format="${f}")`,
    (f) =>
      tfl.layers.conv3d({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        dataFormat: tfFormat(f),
      }),
  ),
  ...perFormat(
    "Conv3D dilation 2",
    [5, 5, 5],
    2,
    (f) => `Conv3D(3, 2, dilation_rate=2, data_format="${f}")`,
    (f) => tfl.layers.conv3d({ filters: 3, kernelSize: 2, dilationRate: 2, dataFormat: tfFormat(f) }),
  ),
  ...perFormatViaLast(
    "SeparableConv2D multiplier 2",
    [6, 6],
    3,
    (f) => `SeparableConv2D(4, 3, depth_multiplier=2, activation="relu", data_format="${f}")`,
    () => tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, activation: "relu" }),
  ),
  ...perFormatViaLast(
    "SeparableConv2D strides 2 same",
    [6, 7],
    3,
    (f) => `SeparableConv2D(4, (3, 2), strides=2, padding="same", data_format="${f}")`,
    () => tfl.layers.separableConv2d({ filters: 4, kernelSize: [3, 2], strides: 2, padding: "same" }),
  ),
  [
    "SeparableConv2D dilation 2 without bias",
    "(7, 7, 2)",
    "SeparableConv2D(3, 3, dilation_rate=2, use_bias=False)",
    () => tfl.layers.separableConv2d({ filters: 3, kernelSize: 3, dilationRate: 2, useBias: false }),
  ],
  ...perFormat(
    "DepthwiseConv2D multiplier 2 same",
    [6, 6],
    3,
    (f) => `DepthwiseConv2D(3, depth_multiplier=2, padding="same", data_format="${f}")`,
    (f) =>
      tfl.layers.depthwiseConv2d({
        kernelSize: 3,
        depthMultiplier: 2,
        padding: "same",
        dataFormat: tfFormat(f),
      }),
  ),
  [
    "DepthwiseConv2D strides 2 elu",
    "(7, 6, 3)",
    'DepthwiseConv2D((3, 2), strides=(2, 2), activation="elu")',
    () => tfl.layers.depthwiseConv2d({ kernelSize: [3, 2], strides: 2, activation: "elu" }),
  ],
  ...perFormat(
    "Conv2DTranspose valid",
    [4, 5],
    3,
    (f) => `Conv2DTranspose(2, 3, data_format="${f}")`,
    (f) => tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, dataFormat: tfFormat(f) }),
  ),
  ...perFormat(
    "Conv2DTranspose strides 2 same relu",
    [4, 5],
    3,
    (f) => `Conv2DTranspose(2, (3, 2), strides=2, padding="same", activation="relu", data_format="${f}")`,
    (f) =>
      tfl.layers.conv2dTranspose({
        filters: 2,
        kernelSize: [3, 2],
        strides: 2,
        padding: "same",
        activation: "relu",
        dataFormat: tfFormat(f),
      }),
  ),
  [
    "Conv2DTranspose strides (2, 1) valid, kernel smaller than stride",
    "(3, 4, 2)",
    "Conv2DTranspose(3, (1, 2), strides=(2, 1), use_bias=False)",
    () => tfl.layers.conv2dTranspose({ filters: 3, kernelSize: [1, 2], strides: [2, 1], useBias: false }),
  ],
  ...perFormat(
    "Conv3DTranspose strides 2 same",
    [3, 4, 3],
    2,
    (f) => `Conv3DTranspose(2, 3, strides=2, padding="same", data_format="${f}")`,
    (f) =>
      tfl.layers.conv3dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        dataFormat: tfFormat(f),
      }),
  ),
  [
    "Conv3DTranspose valid sigmoid",
    "(3, 2, 3, 2)",
    'Conv3DTranspose(2, 2, activation="sigmoid")',
    () => tfl.layers.conv3dTranspose({ filters: 2, kernelSize: 2, activation: "sigmoid" }),
  ],
  ...perFormat(
    "Cropping2D",
    [6, 5],
    2,
    (f) => `Cropping2D(((1, 2), (0, 1)), data_format="${f}")`,
    (f) =>
      tfl.layers.cropping2D({
        cropping: [
          [1, 2],
          [0, 1],
        ],
        dataFormat: tfFormat(f),
      }),
  ),
  ...perFormat(
    "UpSampling2D (2, 3)",
    [3, 4],
    2,
    (f) => `UpSampling2D((2, 3), data_format="${f}")`,
    (f) => tfl.layers.upSampling2d({ size: [2, 3], dataFormat: tfFormat(f) }),
  ),
  ...perFormat(
    "UpSampling2D bilinear",
    [3, 4],
    2,
    (f) => `UpSampling2D((2, 3), data_format="${f}", interpolation="bilinear")`,
    (f) => tfl.layers.upSampling2d({ size: [2, 3], dataFormat: tfFormat(f), interpolation: "bilinear" }),
  ),
  ...perFormat(
    "ZeroPadding2D",
    [3, 4],
    2,
    (f) => `ZeroPadding2D(((1, 2), (0, 1)), data_format="${f}")`,
    (f) =>
      tfl.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
        dataFormat: tfFormat(f),
      }),
  ),
];

type FullTwinCase = readonly [string, string, string, () => tfl.layers.Layer, boolean];
const TWIN_CASES: readonly FullTwinCase[] = [...CONV1D, ...conv2dCases, ...OTHER_TWINS].map(
  ([name, shape, layer, twin, viaChannelsLast]) =>
    [name, shape, layer, twin, viaChannelsLast ?? false] as const,
);

/**
 * A depthwise kernel (...window, in, m) as the full convolution kernel (...window, in, in·m) it equals:
 * input channel c feeds only outputs c·m … c·m + m − 1.
 */
function fullDepthwise(depthwise: Array_): Array_ {
  const window = depthwise.shape.slice(0, -2);
  const [inC, m] = depthwise.shape.slice(-2) as [number, number];
  const taps = window.reduce((a, b) => a * b, 1);
  const data = new Float32Array(taps * inC * inC * m);
  for (let t = 0; t < taps; t++) {
    for (let c = 0; c < inC; c++) {
      for (let j = 0; j < m; j++)
        data[(t * inC + c) * inC * m + c * m + j] = depthwise.data[(t * inC + c) * m + j]!;
    }
  }
  return { data, shape: [...window, inC, inC * m] };
}

/** In channels-last terms whatever the format: the reference works channels-last. */
const last = (a: Array_, f: Format) => (f === "channels_first" ? toChannelsLast(a) : a);
const back = (a: Array_, f: Format) => (f === "channels_first" ? toChannelsFirst(a) : a);

describe.each<BackendName>(["cpu", "wasm"])("convolutional layers on %s", (backend) => {
  it.each<FullTwinCase>(TWIN_CASES)(
    "%s matches TF.js layers",
    async (_name, shape, layer, twin, viaChannelsLast) => {
      await expectTwin(single(shape, layer), twin(), backend, { viaChannelsLast });
    },
  );

  it.each([
    [2, 1],
    [3, 1],
    [2, 2],
    [3, 4],
  ])("causal Conv1D, kernel %i dilation %i: left zeros, then valid", async (kernel, dilation) => {
    const run = await runOurs(
      single("(9, 3)", `Conv1D(4, ${kernel}, padding="causal", dilation_rate=${dilation})`),
      backend,
    );
    expectMatches(
      run,
      convReference(run.x, run.weights.get("kernel")!, run.weights.get("bias"), {
        strides: [1],
        dilations: [dilation],
        padBefore: [(kernel - 1) * dilation],
        outSpatial: [9],
      }),
    );
  });

  it("causal Conv1D: output[t] does not depend on input[t + 1:]", async () => {
    const lowered = single("(6, 2)", 'Conv1D(3, 3, padding="causal", dilation_rate=2)');
    const model = await loadModel(lowered.program, { backend });
    const x = Float32Array.from({ length: 12 }, (_, i) => i / 10);
    const changed = x.slice();
    changed[8] = 5; // step 4, feature 0
    const [a, b] = [
      model.predict([{ data: x, shape: [1, 6, 2] }])[0]!,
      model.predict([{ data: changed, shape: [1, 6, 2] }])[0]!,
    ];
    const [va, vb] = [a.dataSync(), b.dataSync()];
    expect(Array.from(va.slice(0, 12))).toEqual(Array.from(vb.slice(0, 12)));
    expect(Array.from(va.slice(12))).not.toEqual(Array.from(vb.slice(12)));
    a.dispose();
    b.dispose();
    model.dispose();
  });

  it.each([
    ["valid", 3, "", 1, [5]],
    ["same, strides 2", 2, ', strides=2, padding="same"', 2, [4]],
    ["dilation 2", 3, ", dilation_rate=2", 1, [3]],
  ] as const)("SeparableConv1D %s: depthwise then pointwise", async (_name, k, extra, stride, out) => {
    const run = await runOurs(
      single("(7, 3)", `SeparableConv1D(4, ${k}${extra}, depth_multiplier=2)`),
      backend,
    );
    const dilation = extra.includes("dilation") ? 2 : 1;
    const padBefore = extra.includes("same")
      ? [Math.floor(Math.max((out[0]! - 1) * stride + k - 7, 0) / 2)]
      : [0];
    const mid = convReference(run.x, fullDepthwise(run.weights.get("depthwise_kernel")!), undefined, {
      strides: [stride],
      dilations: [dilation],
      padBefore,
      outSpatial: out,
    });
    expectMatches(
      run,
      convReference(mid, run.weights.get("pointwise_kernel")!, run.weights.get("bias"), {
        strides: [1],
        dilations: [1],
        padBefore: [0],
        outSpatial: out,
      }),
    );
  });

  it.each(FORMATS)("Conv1D strides 2 same and SeparableConv1D dilation 2, %s: the loop", async (f) => {
    const conv = await runOurs(
      single(shapeOf([7], 3, f), `Conv1D(4, 3, strides=2, padding="same", data_format="${f}")`),
      backend,
    );
    expectMatches(
      conv,
      back(
        convReference(last(conv.x, f), conv.weights.get("kernel")!, conv.weights.get("bias"), {
          strides: [2],
          dilations: [1],
          padBefore: [1],
          outSpatial: [4],
        }),
        f,
      ),
    );
    const separable = await runOurs(
      single(
        shapeOf([7], 3, f),
        `SeparableConv1D(2, 3, dilation_rate=2, depth_multiplier=2, data_format="${f}")`,
      ),
      backend,
    );
    const window = { strides: [1], dilations: [2], padBefore: [0], outSpatial: [3] };
    const mid = convReference(
      last(separable.x, f),
      fullDepthwise(separable.weights.get("depthwise_kernel")!),
      undefined,
      window,
    );
    const pointwise = { strides: [1], dilations: [1], padBefore: [0], outSpatial: [3] };
    expectMatches(
      separable,
      back(
        convReference(
          mid,
          separable.weights.get("pointwise_kernel")!,
          separable.weights.get("bias"),
          pointwise,
        ),
        f,
      ),
    );
  });

  it.each(FORMATS)("DepthwiseConv2D dilation 2, tanh, %s (TF.js layers ignores the dilation)", async (f) => {
    const run = await runOurs(
      single(
        shapeOf([7, 8], 2, f),
        `DepthwiseConv2D(3, dilation_rate=2, depth_multiplier=2, activation="tanh", data_format="${f}")`,
      ),
      backend,
    );
    const conv = convReference(
      last(run.x, f),
      fullDepthwise(run.weights.get("depthwise_kernel")!),
      run.weights.get("bias"),
      {
        strides: [1, 1],
        dilations: [2, 2],
        padBefore: [0, 0],
        outSpatial: [3, 4],
      },
    );
    expectMatches(run, back({ data: Array.from(conv.data, Math.tanh), shape: conv.shape }, f));
  });

  it.each([
    [
      "Conv2DTranspose valid, output_padding (1, 0)",
      "(3, 4, 2)",
      "Conv2DTranspose(3, 3, strides=2, output_padding=(1, 0)",
      "valid",
      [2, 2],
      [8, 9],
    ],
    [
      "Conv2DTranspose same, output_padding 1",
      "(3, 4, 2)",
      'Conv2DTranspose(3, 3, strides=2, padding="same", output_padding=1',
      "same",
      [2, 2],
      [6, 8],
    ],
    [
      "Conv2DTranspose same, even kernel, output_padding (1, 2)",
      "(3, 4, 2)",
      'Conv2DTranspose(3, 2, strides=3, padding="same", output_padding=(1, 2)',
      "same",
      [3, 3],
      [7, 11],
    ],
    [
      "Conv3DTranspose same, output_padding (1, 0, 1)",
      "(2, 3, 2, 2)",
      'Conv3DTranspose(2, 3, strides=2, padding="same", output_padding=(1, 0, 1)',
      "same",
      [2, 2, 2],
      [4, 5, 4],
    ],
    [
      "Conv3DTranspose valid, output_padding 1",
      "(2, 2, 2, 2)",
      "Conv3DTranspose(2, 2, strides=2, output_padding=1",
      "valid",
      [2, 2, 2],
      [5, 5, 5],
    ],
  ] as const)("%s: the scatter", async (_name, shape, layer, padding, strides, out) => {
    for (const f of FORMATS) {
      const spatial = shape.slice(1, -1).split(", ").map(Number);
      const channels = spatial.pop()!;
      const run = await runOurs(
        single(shapeOf(spatial, channels, f), `${layer}, data_format="${f}")`),
        backend,
      );
      const expected = convTransposeReference(
        last(run.x, f),
        run.weights.get("kernel")!,
        run.weights.get("bias"),
        {
          strides,
          padding,
          outSpatial: out,
        },
      );
      expectMatches(run, back(expected, f));
    }
  });

  const pairs = (rank: number) =>
    [
      [1, 2],
      [0, 1],
      [2, 0],
    ].slice(0, rank) as [number, number][];
  const around = (f: Format, spatial: readonly (readonly [number, number])[]) =>
    f === "channels_first" ? [[0, 0], [0, 0], ...spatial] : [[0, 0], ...spatial, [0, 0]];
  const pairText = (p: readonly (readonly [number, number])[]) =>
    `(${p.map(([a, b]) => `(${a}, ${b})`).join(", ")})`;

  it("Cropping1D (1, 2)", async () => {
    const run = await runOurs(single("(6, 3)", "Cropping1D((1, 2))"), backend);
    expectMatches(
      run,
      cropReference(run.x, [
        [0, 0],
        [1, 2],
        [0, 0],
      ] as const),
    );
  });

  it("ZeroPadding1D (2, 1)", async () => {
    const run = await runOurs(single("(4, 3)", "ZeroPadding1D((2, 1))"), backend);
    expectMatches(
      run,
      padReference(run.x, [
        [0, 0],
        [2, 1],
        [0, 0],
      ] as const),
    );
  });

  it("UpSampling1D 3", async () => {
    const run = await runOurs(single("(4, 3)", "UpSampling1D(3)"), backend);
    expectMatches(run, upsampleReference(run.x, [1, 3, 1]));
  });

  it.each(FORMATS)("Cropping3D, ZeroPadding3D, UpSampling3D %s", async (f) => {
    const shape = shapeOf([5, 4, 4], 2, f);
    const spatialPairs = pairs(3);
    const crop = await runOurs(
      single(shape, `Cropping3D(${pairText(spatialPairs)}, data_format="${f}")`),
      backend,
    );
    expectMatches(crop, cropReference(crop.x, around(f, spatialPairs) as [number, number][]));
    const pad = await runOurs(
      single(shape, `ZeroPadding3D(${pairText(spatialPairs)}, data_format="${f}")`),
      backend,
    );
    expectMatches(pad, padReference(pad.x, around(f, spatialPairs) as [number, number][]));
    const up = await runOurs(single(shape, `UpSampling3D((2, 1, 3), data_format="${f}")`), backend);
    expectMatches(up, upsampleReference(up.x, f === "channels_first" ? [1, 1, 2, 1, 3] : [1, 2, 1, 3, 1]));
  });
});

describe("the load-time kernel check", () => {
  it.each([
    ["Conv3D", "(4, 4, 4, 2)", "Conv3D(2, 2)", "conv"],
    ["AvgPool3D", "(4, 4, 4, 2)", "AveragePooling3D()", "pool"],
    ["Reverse", "(2, 2, 2, 2)", "Conv3DTranspose(2, 2)", "convTranspose"],
    ["Conv2DBackpropInput", "(2, 2, 2)", "Conv2DTranspose(2, 2)", "convTranspose"],
    ["DepthwiseConv2dNative", "(4, 4, 2)", "LocallyConnected2D(2, 2)", "localConv"],
  ])("a backend without %s fails at load naming the op", async (kernel, shape, layer, op) => {
    const { program } = single(shape, layer);
    const error = await loadModel(program, {
      backend: "wasm",
      hasKernel: (k, b) => k !== kernel && b === "wasm",
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe("missing-kernel");
    expect((error as ModelError).message).toContain(`op "${op}"`);
    expect((error as ModelError).message).toContain(
      `needs the tfjs kernel ${kernel}, which the wasm backend does not have`,
    );
  });
});
