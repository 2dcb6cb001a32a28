// The convolutional layers against their TF.js twins (@tensorflow/tfjs-layers, computeOutputShape and
// countParams) across grids of kernel / stride / dilation / padding / data_format values. Where TF.js
// departs from the Keras 2 reference, the reference wins, and the last tests say where and why.
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { describe, expect, it } from "vitest";
import { apply, tensor } from "./helpers.js";

type Shape = (number | null)[];

/** What the tests use of a TF.js layer. */
interface TwinLayer {
  computeOutputShape(shape: Shape): unknown;
  build(shape: Shape): void;
  countParams(): number;
}
type Format = "channels_last" | "channels_first";

const FORMATS: readonly Format[] = ["channels_last", "channels_first"];
const PADDINGS = ["valid", "same"] as const;

/** TF.js spells data formats in camel case. */
const tfFormat = (format: Format) => (format === "channels_first" ? "channelsFirst" : "channelsLast");

/** The TF.js layer's output shape and parameter count on `shape` (batch first). */
function twin(layer: TwinLayer, shape: Shape): { shape: Shape; params: number } {
  const output = layer.computeOutputShape(shape) as Shape;
  layer.build(shape);
  return { shape: output, params: layer.countParams() };
}

/** kerasc's output shape and parameter count for the layer written as `text`. */
function ours(text: string, shape: Shape): { shape: Shape; params: number | null } {
  const r = apply(text, [tensor(shape)]);
  expect(r.reports).toEqual([]);
  return { shape: (r.outputs?.[0]?.shape ?? []) as Shape, params: r.params };
}

/**
 * kerasc agrees with the twin: the same shape and count, or — where the twin's window does not fit and it
 * answers a length below 1 — a report that the kernel is larger than the input.
 */
function expectTwin(text: string, layer: TwinLayer, shape: Shape): void {
  const expected = twin(layer, shape);
  if (expected.shape.some((d) => d !== null && d < 1)) {
    expect(apply(text, [tensor(shape)]).reports).toMatchObject([{ kind: "argument", arg: "kernel_size" }]);
  } else {
    expect(ours(text, shape)).toEqual(expected);
  }
}

/** A per-axis value in .kml: `3` or `(3, 2)`. */
const tuple = (v: number | readonly number[]) =>
  typeof v === "number" ? String(v) : v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;

/** An input shape with `channels` placed by `format`. */
const image = (spatial: readonly number[], channels: number, format: Format): Shape =>
  format === "channels_first" ? [null, channels, ...spatial] : [null, ...spatial, channels];

/** Every combination of the given axes, as objects. */
function grid<T extends Record<string, readonly unknown[]>>(axes: T): { [K in keyof T]: T[K][number] }[] {
  return Object.entries(axes).reduce<Record<string, unknown>[]>(
    (rows, [key, values]) => rows.flatMap((row) => values.map((value) => ({ ...row, [key]: value }))),
    [{}],
  ) as { [K in keyof T]: T[K][number] }[];
}

const isOne = (v: number | readonly number[]) => (typeof v === "number" ? v === 1 : v.every((x) => x === 1));
/** The documented rule: a stride other than 1 and a dilation other than 1 do not mix (tested elsewhere). */
const compatible = (c: { strides: number | readonly number[]; dilation: number | readonly number[] }) =>
  isOne(c.strides) || isOne(c.dilation);

describe("Conv1D = tfl.layers.conv1d", () => {
  const cases = grid({
    kernel: [1, 2, 3, 5],
    strides: [1, 2, 3],
    dilation: [1, 2, 3],
    padding: PADDINGS,
    length: [7, 8, 16],
    format: FORMATS,
  }).filter(compatible);

  it.each(cases)("%o", ({ kernel, strides, dilation, padding, length, format }) => {
    const shape = image([length], 3, format);
    const text = `Conv1D(4, ${kernel}, strides=${strides}, padding="${padding}", dilation_rate=${dilation}, data_format="${format}")`;
    const layer = tfl.layers.conv1d({
      filters: 4,
      kernelSize: kernel,
      strides,
      padding,
      dilationRate: dilation,
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("Conv2D = tfl.layers.conv2d", () => {
  const cases = grid({
    kernel: [3, [3, 2], [1, 5]] as const,
    strides: [1, [2, 3]] as const,
    dilation: [1, [2, 1]] as const,
    padding: PADDINGS,
    format: FORMATS,
  }).filter(compatible);

  it.each(cases)("%o", ({ kernel, strides, dilation, padding, format }) => {
    const shape = image([17, 12], 2, format);
    const text = `Conv2D(5, ${tuple(kernel)}, strides=${tuple(strides)}, padding="${padding}", data_format="${format}", dilation_rate=${tuple(dilation)})`;
    const layer = tfl.layers.conv2d({
      filters: 5,
      kernelSize: kernel as number | number[],
      strides: strides as number | number[],
      padding,
      dilationRate: dilation as number | [number, number],
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });

  it("keeps None rows as TF.js does", () => {
    const layer = tfl.layers.conv2d({ filters: 4, kernelSize: 3 });
    expect(ours("Conv2D(4, 3)", [null, null, 12, 3]).shape).toEqual(twin(layer, [null, null, 12, 3]).shape);
  });
});

describe("Conv3D = tfl.layers.conv3d", () => {
  const cases = grid({
    kernel: [3, [2, 3, 1]] as const,
    strides: [1, [2, 1, 2]] as const,
    dilation: [1, [1, 2, 1]] as const,
    padding: PADDINGS,
    format: FORMATS,
  }).filter(compatible);

  it.each(cases)("%o", ({ kernel, strides, dilation, padding, format }) => {
    const shape = image([9, 8, 7], 2, format);
    const text = `Conv3D(3, ${tuple(kernel)}, strides=${tuple(strides)}, padding="${padding}", data_format="${format}", dilation_rate=${tuple(dilation)})`;
    const layer = tfl.layers.conv3d({
      filters: 3,
      kernelSize: kernel as number | number[],
      strides: strides as number | number[],
      padding,
      dilationRate: dilation as number | [number, number, number],
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("SeparableConv2D = tfl.layers.separableConv2d", () => {
  const cases = grid({
    kernel: [3, [2, 3]] as const,
    strides: [1, 2] as const,
    dilation: [1, 2] as const,
    multiplier: [1, 2],
    padding: PADDINGS,
    format: FORMATS,
  }).filter(compatible);

  it.each(cases)("%o", ({ kernel, strides, dilation, multiplier, padding, format }) => {
    const shape = image([11, 10], 3, format);
    const text = `SeparableConv2D(4, ${tuple(kernel)}, strides=${strides}, padding="${padding}", data_format="${format}", depth_multiplier=${multiplier}, dilation_rate=${dilation})`;
    const layer = tfl.layers.separableConv2d({
      filters: 4,
      kernelSize: kernel as number | number[],
      strides,
      padding,
      dilationRate: dilation,
      depthMultiplier: multiplier,
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("DepthwiseConv2D = tfl.layers.depthwiseConv2d", () => {
  const cases = grid({
    kernel: [3, [2, 3]] as const,
    strides: [1, 2, [1, 2]] as const,
    multiplier: [1, 3],
    padding: PADDINGS,
    format: FORMATS,
  });

  it.each(cases)("%o", ({ kernel, strides, multiplier, padding, format }) => {
    const shape = image([11, 10], 3, format);
    const text = `DepthwiseConv2D(${tuple(kernel)}, strides=${tuple(strides)}, padding="${padding}", depth_multiplier=${multiplier}, data_format="${format}")`;
    const layer = tfl.layers.depthwiseConv2d({
      kernelSize: kernel as number | [number, number],
      strides: strides as number | [number, number],
      padding,
      depthMultiplier: multiplier,
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("Conv2DTranspose = tfl.layers.conv2dTranspose", () => {
  const cases = grid({
    kernel: [3, [2, 4]] as const,
    strides: [1, 2, [2, 3]] as const,
    padding: PADDINGS,
    format: FORMATS,
  });

  it.each(cases)("%o", ({ kernel, strides, padding, format }) => {
    const shape = image([5, 6], 3, format);
    const text = `Conv2DTranspose(4, ${tuple(kernel)}, strides=${tuple(strides)}, padding="${padding}", data_format="${format}")`;
    const layer = tfl.layers.conv2dTranspose({
      filters: 4,
      kernelSize: kernel as number | number[],
      strides: strides as number | number[],
      padding,
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("Conv3DTranspose = tfl.layers.conv3dTranspose", () => {
  const cases = grid({
    kernel: [3, [2, 1, 3]] as const,
    strides: [1, [2, 1, 3]] as const,
    padding: PADDINGS,
    format: FORMATS,
  });

  it.each(cases)("%o", ({ kernel, strides, padding, format }) => {
    const shape = image([4, 5, 3], 2, format);
    const text = `Conv3DTranspose(3, ${tuple(kernel)}, strides=${tuple(strides)}, padding="${padding}", data_format="${format}")`;
    const layer = tfl.layers.conv3dTranspose({
      filters: 3,
      kernelSize: kernel as number | number[],
      strides: strides as number | number[],
      padding,
      dataFormat: tfFormat(format),
    });
    expectTwin(text, layer, shape);
  });
});

describe("Cropping2D, UpSampling2D, ZeroPadding2D = their tfl.layers twins", () => {
  const sides = [
    { kml: "2", tf: 2 },
    { kml: "(1, 3)", tf: [1, 3] },
    {
      kml: "((1, 2), (3, 0))",
      tf: [
        [1, 2],
        [3, 0],
      ],
    },
  ] as const;

  it.each(grid({ side: sides, format: FORMATS }))("Cropping2D %o", ({ side, format }) => {
    const shape = image([10, 12], 3, format);
    const layer = tfl.layers.cropping2D({
      cropping: side.tf as number | [number, number] | [[number, number], [number, number]],
      dataFormat: tfFormat(format),
    });
    expect(ours(`Cropping2D(${side.kml}, data_format="${format}")`, shape)).toEqual(twin(layer, shape));
  });

  it.each(grid({ side: sides, format: FORMATS }))("ZeroPadding2D %o", ({ side, format }) => {
    const shape = image([10, 12], 3, format);
    const layer = tfl.layers.zeroPadding2d({
      padding: side.tf as number | [number, number] | [[number, number], [number, number]],
      dataFormat: tfFormat(format),
    });
    expect(ours(`ZeroPadding2D(${side.kml}, data_format="${format}")`, shape)).toEqual(twin(layer, shape));
  });

  it.each(grid({ size: [2, [1, 3]] as const, format: FORMATS }))("UpSampling2D %o", ({ size, format }) => {
    const shape = image([10, 12], 3, format);
    const layer = tfl.layers.upSampling2d({
      size: typeof size === "number" ? [size, size] : [...size],
      dataFormat: tfFormat(format),
    });
    expect(ours(`UpSampling2D(${tuple(size)}, data_format="${format}")`, shape)).toEqual(twin(layer, shape));
  });
});

describe("where TF.js departs from the reference (the reference wins)", () => {
  it("causal Conv1D: TF.js keeps the valid length; the reference's causal padding keeps the input length", () => {
    const layer = tfl.layers.conv1d({ filters: 4, kernelSize: 3, padding: "causal" });
    expect(twin(layer, [null, 10, 3]).shape).toEqual([null, 8, 4]);
    expect(ours('Conv1D(4, 3, padding="causal")', [null, 10, 3]).shape).toEqual([null, 10, 4]);
  });

  it("strides with dilation: TF.js computes a shape; the reference calls the two incompatible (KML313)", () => {
    const layer = tfl.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 });
    expect(twin(layer, [null, 10, 3]).shape).toEqual([null, 3, 4]);
    expect(() => apply("Conv1D(4, 3, strides=2, dilation_rate=2)", [tensor([null, 10, 3])])).toThrow(
      /dilation_rate \(2\) cannot be combined with strides \(2\)/,
    );
  });

  it("DepthwiseConv2D with dilation: TF.js's output shape ignores the dilation; its kernel still spans 5", () => {
    const layer = tfl.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2 });
    expect(twin(layer, [null, 10, 12, 3]).shape).toEqual([null, 8, 10, 3]);
    expect(ours("DepthwiseConv2D(3, dilation_rate=2)", [null, 10, 12, 3]).shape).toEqual([null, 6, 8, 3]);
  });
});
