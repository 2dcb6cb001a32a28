// The summary's two printed forms: Keras's table (exact text) and SPEC §4's JSON (exact keys and values),
// plus the human units of kerasc's extra lines.
import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatFlops,
  formatSummaryTable,
  type ModelSummary,
  stringifySummaryJson,
  summaryJson,
} from "../../src/compiler/summary/index.js";
import { MNIST_MLP, SIAMESE, summarize } from "./helpers.js";

describe("formatSummaryTable", () => {
  it("prints a Sequential model as Keras does (65 wide, no Connected to), then FLOPs and memory", () => {
    expect(formatSummaryTable(summarize(MNIST_MLP, { batch: 32 }))).toBe(`Model: "mnist_mlp"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
dense_1 (Dense)              (None, 512)               401920
_________________________________________________________________
dropout_1 (Dropout)          (None, 512)               0
_________________________________________________________________
dense_2 (Dense)              (None, 512)               262656
_________________________________________________________________
dropout_2 (Dropout)          (None, 512)               0
_________________________________________________________________
dense_3 (Dense)              (None, 10)                5130
=================================================================
Total params: 669,706
Trainable params: 669,706
Non-trainable params: 0
_________________________________________________________________
FLOPs per sample: 1.34 MFLOPs (1,339,412)
Activation memory per sample: 11.4 KB (11,368 bytes)
FLOPs per batch of 32: 42.9 MFLOPs (42,861,184)
Activation memory per batch of 32: 364 KB (363,776 bytes)
`);
  });

  it("prints a functional model 98 wide with Connected to, a shared layer's calls one a line", () => {
    expect(formatSummaryTable(summarize(SIAMESE))).toBe(`Model: "siamese"
__________________________________________________________________________________________________
Layer (type)                    Output Shape         Param #     Connected to
==================================================================================================
input_1 (InputLayer)            (None, 16)           0
__________________________________________________________________________________________________
input_2 (InputLayer)            (None, 16)           0
__________________________________________________________________________________________________
dense_1 (Dense)                 (None, 8)            136         input_1[0][0]
                                                                 input_2[0][0]
__________________________________________________________________________________________________
concatenate_1 (Concatenate)     (None, 16)           0           dense_1[0][0]
                                                                 dense_1[1][0]
__________________________________________________________________________________________________
dense_2 (Dense)                 (None, 1)            17          concatenate_1[0][0]
==================================================================================================
Total params: 153
Trainable params: 153
Non-trainable params: 0
__________________________________________________________________________________________________
FLOPs per sample: 578 FLOPs
Activation memory per sample: 260 B
`);
  });

  it("cuts a field at its column with one space kept, as Keras's print_row does", () => {
    const table = formatSummaryTable(
      summarize('sequential m(input_shape=(4,)) {\n  Dense(3, name="a_very_long_layer_name_indeed")\n}\n'),
    );
    // "a_very_long_layer_name_indeed (Dense)" is cut at column 29, whose last character then gives way to
    // the space before the next field.
    expect(table).toContain("\na_very_long_layer_name_indee (None, 3)                 15\n");
  });

  it('prints "multiple", lists of shapes and unknowns as Keras would', () => {
    const table = formatSummaryTable(
      handBuilt({
        layers: [
          layer("lstm_1", "LSTM", [
            [null, 4],
            [null, 4],
          ]),
          layer("shared", "Dense", null),
        ],
        flops: null,
        unknownFlops: ["a", "b", "c", "d", "e"],
        activationBytes: 12,
      }),
    );
    expect(table).toContain("\nlstm_1 (LSTM)                [(None, 4), (None, 4)]    0\n");
    expect(table).toContain("\nshared (Dense)               multiple                  0\n");
    expect(table).toContain(
      "\nFLOPs per sample: unknown (a, b, c and 2 more depend on a dimension that is None or symbolic)\n",
    );
    expect(table).toContain("\nActivation memory per sample: 12 B\n");
  });
});

describe("summaryJson", () => {
  it("has exactly SPEC §4's fields, in its order", () => {
    const json = summaryJson(summarize(SIAMESE));
    expect(Object.keys(json)).toEqual([
      "name",
      "inputs",
      "outputs",
      "layers",
      "totalParams",
      "trainableParams",
      "nonTrainableParams",
    ]);
    for (const tensor of [...json.inputs, ...json.outputs])
      expect(Object.keys(tensor)).toEqual(["name", "shape"]);
    for (const l of json.layers) expect(Object.keys(l)).toEqual(["name", "type", "outputShape", "params"]);
  });

  it("gives names, shapes with null for unknown dims, and Keras's counts", () => {
    expect(summaryJson(summarize(SIAMESE))).toEqual({
      name: "siamese",
      inputs: [
        { name: "input_1", shape: [null, 16] },
        { name: "input_2", shape: [null, 16] },
      ],
      outputs: [{ name: "dense_2", shape: [null, 1] }],
      layers: [
        { name: "input_1", type: "InputLayer", outputShape: [null, 16], params: 0 },
        { name: "input_2", type: "InputLayer", outputShape: [null, 16], params: 0 },
        { name: "dense_1", type: "Dense", outputShape: [null, 8], params: 136 },
        { name: "concatenate_1", type: "Concatenate", outputShape: [null, 16], params: 0 },
        { name: "dense_2", type: "Dense", outputShape: [null, 1], params: 17 },
      ],
      totalParams: 153,
      trainableParams: 153,
      nonTrainableParams: 0,
    });
  });

  it("gives a multi-output layer an array of shapes, symbolic dims and 'multiple' as null", () => {
    const json = summaryJson(
      handBuilt({
        inputs: [{ name: "input_1", shape: [null, "T", 3] }],
        layers: [
          layer("lstm_1", "LSTM", [
            [null, "T", 4],
            [null, 4],
            [null, 4],
          ]),
          layer("shared", "Dense", null),
          layer("untyped", "Dense", [null]),
        ],
        params: null,
      }),
    );
    expect(json.inputs).toEqual([{ name: "input_1", shape: [null, null, 3] }]);
    expect(json.layers.map((l) => l.outputShape)).toEqual([
      [
        [null, null, 4],
        [null, 4],
        [null, 4],
      ],
      null,
      null,
    ]);
    expect([json.totalParams, json.trainableParams, json.nonTrainableParams]).toEqual([null, null, null]);
  });

  it("prints shapes on one line, the rest indented by two spaces", () => {
    const text = stringifySummaryJson(summaryJson(summarize(MNIST_MLP)));
    expect(text).toContain(
      '  "inputs": [\n    {\n      "name": "input_1",\n      "shape": [null, 784]\n    }\n  ],\n',
    );
    expect(JSON.parse(text)).toEqual(summaryJson(summarize(MNIST_MLP)));
    expect(stringifySummaryJson([])).toBe("[]\n");
  });
});

describe("units", () => {
  it("rounds to three significant digits with decimal prefixes", () => {
    expect(formatFlops(0)).toBe("0 FLOPs");
    expect(formatFlops(999)).toBe("999 FLOPs");
    expect(formatFlops(1_339_412)).toBe("1.34 MFLOPs");
    expect(formatFlops(999_950)).toBe("1 MFLOPs");
    expect(formatFlops(3.2e9)).toBe("3.2 GFLOPs");
    expect(formatBytes(2600)).toBe("2.6 KB");
    expect(formatBytes(11_368)).toBe("11.4 KB");
    expect(formatBytes(363_776)).toBe("364 KB");
    expect(formatBytes(5_000_000)).toBe("5 MB");
  });
});

type HandBuiltLayer = ModelSummary["layers"][number];

function layer(name: string, type: string, outputShapes: HandBuiltLayer["outputShapes"]): HandBuiltLayer {
  const params = { total: 0, trainable: 0, nonTrainable: 0 };
  return { name, type, outputShapes, params, flops: 0, activationBytes: 0, connectedTo: [] };
}

/** A summary no layer can produce yet, to test the printers on their own. */
function handBuilt(overrides: Partial<ModelSummary>): ModelSummary {
  return {
    name: "hand",
    kind: "functional",
    showConnections: false,
    inputs: [],
    outputs: [],
    layers: [],
    params: { total: 0, trainable: 0, nonTrainable: 0 },
    flops: 0,
    activationBytes: 0,
    unknownFlops: [],
    unknownActivations: [],
    perBatch: undefined,
    ...overrides,
  };
}
