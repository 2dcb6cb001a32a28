// Shape rules, FLOPs and errors of the pooling layers: expected shapes from TF.js layers' computeOutputShape
// on the twin layer (Keras 2's rule: valid ⌊(n − pool) / stride⌋ + 1, same ⌈n / stride⌉), hand-worked where
// TF.js has no twin (3D global pooling, symbolic dims) or disagrees (a window larger than the input).
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { bindLayerArgs } from "../../src/compiler/layers/bind.js";
import { getLayerDef } from "../../src/compiler/layers/registry.js";
import { build } from "../build/helpers.js";
import { apply, readCall, tensor } from "./helpers.js";

type Shape = (number | null)[];

/** One configuration in kml and in TF.js's spelling, on one input shape. */
interface PoolCase {
  readonly rank: 1 | 2 | 3;
  readonly kml: string;
  readonly tfjs: Record<string, unknown>;
  readonly input: Shape;
}

const CASES: readonly PoolCase[] = [
  { rank: 1, kml: "()", tfjs: {}, input: [null, 10, 4] },
  { rank: 1, kml: "(3)", tfjs: { poolSize: 3 }, input: [null, 10, 4] },
  { rank: 1, kml: "(4, strides=3)", tfjs: { poolSize: 4, strides: 3 }, input: [null, 11, 2] },
  {
    rank: 1,
    kml: '(3, strides=1, padding="same")',
    tfjs: { poolSize: 3, strides: 1, padding: "same" },
    input: [null, 10, 4],
  },
  { rank: 1, kml: '(2, padding="same")', tfjs: { poolSize: 2, padding: "same" }, input: [null, 7, 3] },
  { rank: 2, kml: "()", tfjs: {}, input: [null, 28, 28, 1] },
  {
    rank: 2,
    kml: "((3, 3), strides=(2, 2))",
    tfjs: { poolSize: [3, 3], strides: [2, 2] },
    input: [null, 28, 28, 3],
  },
  {
    rank: 2,
    kml: '((2, 3), strides=(1, 2), padding="same")',
    tfjs: { poolSize: [2, 3], strides: [1, 2], padding: "same" },
    input: [null, 7, 9, 5],
  },
  {
    rank: 2,
    kml: '(data_format="channels_first")',
    tfjs: { dataFormat: "channelsFirst" },
    input: [null, 3, 32, 31],
  },
  {
    rank: 2,
    kml: '(3, padding="same", data_format="channels_first")',
    tfjs: { poolSize: 3, padding: "same", dataFormat: "channelsFirst" },
    input: [null, 3, 10, 11],
  },
  { rank: 2, kml: "()", tfjs: {}, input: [8, null, 12, 2] },
  { rank: 3, kml: "()", tfjs: {}, input: [null, 8, 8, 8, 2] },
  {
    rank: 3,
    kml: '((2, 3, 1), strides=(1, 2, 3), padding="same")',
    tfjs: { poolSize: [2, 3, 1], strides: [1, 2, 3], padding: "same" },
    input: [null, 5, 7, 9, 2],
  },
  {
    rank: 3,
    kml: '((2, 3, 1), strides=(1, 2, 3), data_format="channels_first")',
    tfjs: { poolSize: [2, 3, 1], strides: [1, 2, 3], dataFormat: "channelsFirst" },
    input: [null, 2, 5, 7, 9],
  },
];

type TfPoolFactory = (config: Record<string, unknown>) => { computeOutputShape(shape: Shape): unknown };

/** The TF.js twin of `<Max|Average>Pooling<rank>D`. */
function tfjsPooling(mode: "Max" | "Average", rank: 1 | 2 | 3): TfPoolFactory {
  const name = `${mode === "Max" ? "max" : "average"}Pooling${rank}d` as const;
  return tfl.layers[name] as unknown as TfPoolFactory;
}

describe.each(["Max", "Average"] as const)("%sPooling1D/2D/3D", (mode) => {
  it.each(CASES.map((c) => ({ ...c, layer: `${mode}Pooling${c.rank}D${c.kml}` })))(
    "$layer on $input matches TF.js",
    ({ rank, kml, tfjs, input }) => {
      const expected = tfjsPooling(mode, rank)(tfjs).computeOutputShape(input);
      const r = apply(`${mode}Pooling${rank}D${kml}`, [tensor(input)]);
      expect(r.reports).toEqual([]);
      expect(r.outputs).toEqual([tensor(expected as Shape)]);
      expect(r.weights).toEqual([]);
      expect(r.params).toBe(0);
    },
  );

  it("takes strides=None as pool_size: (None, 10, 4) with pool 3 → ⌊(10 − 3) / 3⌋ + 1 = 3 steps", () => {
    expect(apply(`${mode}Pooling1D(3, None)`, [tensor([null, 10, 4])]).outputs).toEqual([
      tensor([null, 3, 4]),
    ]);
  });

  it("documents its defaults: pool_size 2 per axis, strides None, padding valid, channels_last", () => {
    const bound = bindLayerArgs(getLayerDef(`${mode}Pooling2D`)!, readCall(`${mode}Pooling2D()`));
    expect(bound.args).toMatchObject({
      pool_size: [2, 2],
      strides: null,
      padding: "valid",
      data_format: "channels_last",
    });
    expect(getLayerDef(`${mode}Pooling3D`)!.schema.args.pool_size!.default).toEqual([2, 2, 2]);
    expect(getLayerDef(`${mode}Pooling1D`)!.schema.args.pool_size!.default).toEqual([2]);
  });

  it("keeps the input's dtype and takes no mask", () => {
    const r = apply(`${mode}Pooling1D()`, [{ shape: [null, 4, 2], dtype: "int32", masked: false }]);
    expect(r.outputs).toEqual([{ shape: [null, 2, 2], dtype: "int32", masked: false }]);
    expect(getLayerDef(`${mode}Pooling2D`)!.supportsMasking).toBe(false);
  });

  it("reports an input of the wrong rank, naming the layout it expects", () => {
    const r = apply(`${mode}Pooling2D()`, [tensor([null, 28, 28])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 4D input (batch, rows, cols, channels)",
        hint: "the input has no channels axis: give it one, e.g. input_shape=(rows, cols, 1)",
      },
    ]);
    expect(
      apply(`${mode}Pooling3D(data_format="channels_first")`, [tensor([null, 4, 4])]).reports[0],
    ).toMatchObject({ expected: "a 5D input (batch, channels, dim1, dim2, dim3)" });
    expect(apply(`${mode}Pooling1D()`, [tensor([null, 4])]).reports[0]).toMatchObject({
      expected: "a 3D input (batch, steps, features)",
    });
  });

  it("reports a valid window that does not fit (TF.js gives length 0; Keras on TF fails: negative size)", () => {
    // TF.js's computeOutputShape says (None, 0, 2) here; the TensorFlow op Keras runs refuses it.
    expect(tfl.layers.maxPooling1d({ poolSize: 3 }).computeOutputShape([null, 2, 2])).toEqual([null, 0, 2]);
    const r = apply(`${mode}Pooling1D(3)`, [tensor([null, 2, 2])]);
    expect(r.outputs).toBeNull();
    expect(r.reports).toEqual([
      {
        kind: "argument",
        arg: "pool_size",
        message:
          'pool_size (3) does not fit in the spatial size (2,) with padding="valid": no window is complete',
        hint: 'use a smaller pool_size, or padding="same"',
      },
    ]);
    // With "same" padding there is always a window.
    expect(apply(`${mode}Pooling1D(3, padding="same")`, [tensor([null, 2, 2])]).outputs).toEqual([
      tensor([null, 1, 2]),
    ]);
  });
});

describe("pooled lengths of symbolic dims (conv-arithmetic's rule)", () => {
  it("keeps a symbolic dim only where the length is unchanged (stride 1, same or a window of 1)", () => {
    const steps = (text: string) => apply(text, [tensor([null, "T", 4])], ["T"]).outputs?.[0]?.shape[1];
    expect(steps("MaxPooling1D(1, strides=1)")).toBe("T");
    expect(steps('AveragePooling1D(2, strides=2, padding="same")')).toBeNull();
    expect(
      apply('MaxPooling1D(3, strides=1, padding="same")', [tensor([null, "T", 4])], ["T"]).outputs,
    ).toEqual([tensor([null, "T", 4])]);
    expect(apply("MaxPooling1D(2)", [tensor([null, "T", 4])], ["T"]).outputs).toEqual([
      tensor([null, null, 4]),
    ]);
  });
});

describe("FLOPs of window pooling", () => {
  const flops = (text: string, input: Shape) => {
    const call = readCall(text);
    const def = getLayerDef(call.layerName)!;
    const bound = bindLayerArgs(def, call);
    const r = apply(text, [tensor(input)]);
    return def.flops(bound.args, [tensor(input)], r.outputs!);
  };

  it("max: window − 1 comparisons per output value: 14*14*3 outputs × 3 = 1764", () => {
    expect(flops("MaxPooling2D()", [null, 28, 28, 3])).toBe(14 * 14 * 3 * 3);
  });

  it("average: window additions and division per output value: 14*14*3 outputs × 4 = 2352", () => {
    expect(flops("AveragePooling2D()", [null, 28, 28, 3])).toBe(14 * 14 * 3 * 4);
  });

  it("is unknown when an output dim is", () => {
    expect(flops("MaxPooling1D()", [null, null, 3])).toBeNull();
  });
});

describe("GlobalMax/GlobalAveragePooling1D/2D/3D", () => {
  const globals = ["Max", "Average"] as const;

  it.each(globals)("Global%sPooling1D: (None, 10, 4) → (None, 4), as TF.js", (mode) => {
    const twin = mode === "Max" ? tfl.layers.globalMaxPooling1d({}) : tfl.layers.globalAveragePooling1d({});
    expect(twin.computeOutputShape([null, 10, 4])).toEqual([null, 4]);
    const r = apply(`Global${mode}Pooling1D()`, [tensor([null, 10, 4])]);
    expect(r.outputs).toEqual([tensor([null, 4])]);
    expect(r.params).toBe(0);
  });

  it.each(globals)("Global%sPooling1D with channels_first: (None, 4, 10) → (None, 4) (Keras 2.x)", (mode) => {
    expect(
      apply(`Global${mode}Pooling1D(data_format="channels_first")`, [tensor([null, 4, 10])]).outputs,
    ).toEqual([tensor([null, 4])]);
  });

  it.each(globals)("Global%sPooling2D in both formats, as TF.js", (mode) => {
    const twin = (dataFormat: "channelsLast" | "channelsFirst") =>
      mode === "Max"
        ? tfl.layers.globalMaxPooling2d({ dataFormat })
        : tfl.layers.globalAveragePooling2d({ dataFormat });
    const last = [null, 7, 7, 512];
    const first = [null, 512, 7, 7];
    expect(apply(`Global${mode}Pooling2D()`, [tensor(last)]).outputs).toEqual([
      tensor(twin("channelsLast").computeOutputShape(last) as Shape),
    ]);
    expect(apply(`Global${mode}Pooling2D(data_format="channels_first")`, [tensor(first)]).outputs).toEqual([
      tensor(twin("channelsFirst").computeOutputShape(first) as Shape),
    ]);
  });

  it.each(globals)(
    "Global%sPooling3D: (None, 4, 5, 6, 3) → (None, 3); channels_first (None, 3, 4, 5, 6) → (None, 3)",
    (mode) => {
      // TF.js has no 3D global pooling; the rule is the 2D one with a third spatial axis.
      expect(apply(`Global${mode}Pooling3D()`, [tensor([null, 4, 5, 6, 3])]).outputs).toEqual([
        tensor([null, 3]),
      ]);
      expect(
        apply(`Global${mode}Pooling3D(data_format="channels_first")`, [tensor([null, 3, 4, 5, 6])]).outputs,
      ).toEqual([tensor([null, 3])]);
    },
  );

  it("keeps unknown spatial dims and an unknown channel count", () => {
    expect(apply("GlobalMaxPooling2D()", [tensor([4, null, null, null])]).outputs).toEqual([
      tensor([4, null]),
    ]);
  });

  it("reports the wrong rank", () => {
    expect(apply("GlobalAveragePooling2D()", [tensor([null, 8, 3])]).reports).toEqual([
      {
        kind: "input",
        index: 0,
        expected: "a 4D input (batch, rows, cols, channels)",
        hint: "the input has no channels axis: give it one, e.g. input_shape=(rows, cols, 1)",
      },
    ]);
  });

  it("counts FLOPs per channel: max rows*cols − 1, average rows*cols", () => {
    const def = (name: string) => getLayerDef(name)!;
    const input = [tensor([null, 7, 7, 512])];
    const args = { data_format: "channels_last" };
    expect(def("GlobalMaxPooling2D").flops(args, input, [tensor([null, 512])])).toBe(48 * 512);
    expect(def("GlobalAveragePooling2D").flops(args, input, [tensor([null, 512])])).toBe(49 * 512);
    expect(def("GlobalAveragePooling2D").flops(args, [tensor([null, null, 7, 512])], [])).toBeNull();
  });

  it("only GlobalAveragePooling1D takes a mask (Keras 2.x averages the unmasked steps); the mask ends there", () => {
    const takes = [
      "GlobalMaxPooling1D",
      "GlobalAveragePooling1D",
      "GlobalMaxPooling2D",
      "GlobalAveragePooling2D",
    ].map((n) => getLayerDef(n)!.supportsMasking);
    expect(takes).toEqual([false, true, false, false]);
    expect(apply("GlobalAveragePooling1D()", [tensor([null, 10, 4], true)]).outputs).toEqual([
      tensor([null, 4]),
    ]);
  });
});

describe("pooling through the whole pipeline", () => {
  it("SPEC's mnist_cnn tail: MaxPooling2D((2, 2)) halves 26 × 26 to 13 × 13", () => {
    const b = build(
      `sequential m {
  MaxPooling2D(pool_size=(2, 2), input_shape=(26, 26, 32))
  Flatten()
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([]);
    const g = b.graph("m");
    expect(g.values.map((v) => v.type?.shape)).toEqual([
      [null, 26, 26, 32],
      [null, 13, 13, 32],
      [null, 13 * 13 * 32],
    ]);
  });

  it("KML401 at the pooling layer for a wrong rank, KML402 for a window that does not fit", () => {
    const b = build(
      `model m {
  x = Input(shape=(28, 28))
  p = MaxPooling2D()(x)
  y = Input(shape=(2, 5))
  q = AveragePooling1D(pool_size=3)(y)
  outputs p, q
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML401", "3:7"],
      ["KML402", "5:7"],
    ]);
    expect(b.diagnostics[0]!.message).toBe(
      "MaxPooling2D `max_pooling2d_1` expects a 4D input (batch, rows, cols, channels); `input_1` at line 2 produces (None, 28, 28)",
    );
  });

  it("GlobalAveragePooling1D consumes Embedding's mask; GlobalMaxPooling1D and MaxPooling1D cannot take it (KML404)", () => {
    const b = build(
      `model m {
  words = Input(shape=(20,), dtype="int32")
  e = Embedding(1000, 16, mask_zero=True)(words)
  avg = GlobalAveragePooling1D()(e)
  out = Dense(1)(avg)
  mx = GlobalMaxPooling1D()(e)
  mp = MaxPooling1D()(e)
  outputs out, mx, mp
}
`,
      {},
      true,
    );
    expect(b.codes()).toEqual([
      ["KML404", "6:8"],
      ["KML404", "7:8"],
    ]);
    const avg = b.graph("m").values.find((v) => v.type?.shape.length === 2 && v.type.shape[1] === 16);
    expect(avg?.type).toEqual({ shape: [null, 16], dtype: "float32", masked: false });
  });
});

describe("the Keras 1 keywords Keras 2 still accepts (and the reference shows)", () => {
  const bound = (text: string) => {
    const call = readCall(text);
    return bindLayerArgs(getLayerDef(call.layerName)!, call);
  };

  it("GlobalMaxPooling2D(dim_ordering=...): th is channels_first, tf and default channels_last", () => {
    const th = bound('GlobalMaxPooling2D(dim_ordering="th")');
    expect(th.diagnostics).toEqual([]);
    expect(th.args.data_format).toBe("channels_first");
    expect(th.args).not.toHaveProperty("dim_ordering");
    expect(bound('GlobalAveragePooling2D(dim_ordering="tf")').args.data_format).toBe("channels_last");
    expect(bound('GlobalAveragePooling3D(dim_ordering="default")').args.data_format).toBe("channels_last");
    expect(apply('GlobalMaxPooling2D(dim_ordering="th")', [tensor([null, 3, 8, 8])]).outputs).toEqual([
      tensor([null, 3]),
    ]);
  });

  it("MaxPooling2D(border_mode=..., dim_ordering=...) are padding and data_format", () => {
    const r = apply('MaxPooling2D((2, 2), border_mode="same", dim_ordering="th")', [tensor([null, 3, 7, 7])]);
    expect(r.outputs).toEqual([tensor([null, 3, 4, 4])]);
    expect(bound('AveragePooling3D(border_mode="same")').args.padding).toBe("same");
  });

  it("MaxPooling1D(pool_length=..., stride=..., border_mode=...) are pool_size, strides and padding", () => {
    expect(bound('MaxPooling1D(pool_length=3, stride=1, border_mode="same")').args).toMatchObject({
      pool_size: [3],
      strides: [1],
      padding: "same",
    });
  });

  it("both spellings at once is an error at the older one (KML313), as in Keras", () => {
    const text = 'MaxPooling2D(padding="valid", border_mode="same")';
    const r = bound(text);
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end), d.message])).toEqual([
      [
        "KML313",
        "border_mode",
        "`border_mode` of MaxPooling2D: it is the older spelling of `padding`, which is given too",
      ],
    ]);
  });

  it("a bad legacy value is reported against the Keras 2 argument's choices", () => {
    expect(bound('GlobalMaxPooling2D(dim_ordering="tx")').diagnostics.map((d) => d.code)).toEqual(["KML307"]);
  });

  it("only where Keras 2 had them: GlobalMaxPooling1D takes no dim_ordering", () => {
    expect(bound('GlobalMaxPooling1D(dim_ordering="tf")').diagnostics.map((d) => d.code)).toEqual(["KML301"]);
  });
});
